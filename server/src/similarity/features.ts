// Per-file evidence for comparison: tracked subtree hashes with their line ranges, and the edge-key
// sets of the control-flow and data-flow graphs. Plain typed arrays, so the cache and worker threads
// can move them cheaply.
import type { LanguageId } from '../core/languages';
import { parseSource, type Parsed } from '../core/parser';
import { docKeys, type DocKeys } from '../judge/local/context';
import { TokenWalk } from '../judge/local/tokens';
import { buildCfgs, cfgEdgeKeys } from './cfg';
import { dataflowKeys, defUseEdges } from './dataflow';
import { deadStatements } from './deadcode';
import { unusedDefinitions } from './unused';
import { extract } from './extract';
import type { TrackedNodes } from './extracted';
import { inlineCalls } from './inline';
import { winnow, type Fingerprints } from './fingerprint';
import { sortedUnique } from './hash';

/** Bumped whenever features change meaning, so cached entries from older engines are not reused. */
export const FEATURES_VERSION = 10;

export interface FeatureOptions {
  minSubtree: number;
  /** k-gram length and winnowing window over the normalized token stream. */
  k: number;
  w: number;
  /** Hash commutative operands and member lists as multisets (off: every node ordered). */
  unordered: boolean;
}

/**
 * k = 12, w = 6 (was 16 / 8): shorter k-grams survive more local edits (ConPlag AST AUC 0.933 -> 0.937,
 * SOCO Java 0.9987 -> 0.9990), at a guaranteed match length of k + w - 1 = 17 tokens.
 */
export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { minSubtree: 8, k: 12, w: 6, unordered: true };

export interface FileFeatures {
  language: LanguageId;
  lineCount: number;
  /** Hashed nodes in the file. */
  total: number;
  tracked: TrackedNodes;
  /** Sorted unique tracked hashes. */
  astSet: Float64Array;
  cfg: Float64Array;
  df: Float64Array;
  /** Fingerprint hashes only: the rows each covers are not read by scoring or regions (10 MB at 5,000 files). */
  fp: Pick<Fingerprints, 'hash'>;
  /** Sorted unique fingerprint hashes. */
  fpSet: Float64Array;
  syntaxErrors: boolean;
  /** Where the analysis was bounded (hostile input): what was left out, for the file's entry in the report. */
  warnings?: string[];
}

/**
 * What one parse of a file yields (its analysed-file record, less the content hash the caller keys it
 * by): the engine's features and, when the local judge will read them, the judge's document keys
 * (judge/local/context.ts) from the same tree.
 */
export interface AnalysedFile {
  features: FileFeatures;
  judgeKeys?: DocKeys;
}

export async function featuresOfSource(text: string, language: LanguageId, opts: FeatureOptions = DEFAULT_FEATURE_OPTIONS): Promise<FileFeatures> {
  return (await analyseSource(text, language, opts, false)).features;
}

/** One parse, the features and (`judgeKeys`) the judge's keys from it. */
export async function analyseSource(text: string, language: LanguageId, opts: FeatureOptions, judgeKeys: boolean): Promise<AnalysedFile> {
  const parsed = await parseSource(text, language);
  try {
    // The judge's tokens ride along the features' first walk of the tree (extract.ts).
    const tokens = judgeKeys ? new TokenWalk(text, language) : undefined;
    const features = featuresOfTree(parsed, opts, tokens);
    const tf = tokens?.result();
    // A failed token walk is not the engine's failure: the judge tokenizes the file itself, and meets (and reports) it there.
    return tf ? { features, judgeKeys: docKeys(tf, text) } : { features };
  } finally {
    parsed.dispose();
  }
}

function featuresOfTree(parsed: Parsed, opts: FeatureOptions, visitor: TokenWalk | undefined): FileFeatures {
  const { language } = parsed;
  let x = extract(parsed, { minSubtree: opts.minSubtree, unordered: opts.unordered, visitor });
  // Dead statements (unreachable, or nothing observable depends on them) are left out of everything:
  // subtrees, k-grams and both graphs; a second walk of the same tree skips them.
  const first = defUseEdges(x);
  // Bounded (incomplete) def-use edges would make live statements look dead: nothing is removed then.
  const dead = first.note ? new Set<number>() : deadStatements(x, first.edges, { assignmentsDeclare: language === 'python' });
  // A program's definitions that nothing uses (a pasted header of helpers) are dead code too.
  for (const k of unusedDefinitions(parsed)) dead.add(k);
  if (dead.size > 0) x = extract(parsed, { minSubtree: opts.minSubtree, unordered: opts.unordered, skip: dead });
  // A single-use helper called as a statement reads as its body at the call site (extract-function).
  const inlined = inlineCalls(x);
  const cfg = sortedUnique(cfgEdgeKeys(buildCfgs(x)));
  const du = dead.size > 0 || inlined > 0 ? defUseEdges(x) : first;
  const df = sortedUnique(dataflowKeys(du.edges));
  const fp = winnow(x.tokens, x.tokenRows, opts.k, opts.w);
  return {
    language, lineCount: x.lineCount, total: x.total, tracked: x.tracked, astSet: sortedUnique(x.tracked.hash), cfg, df, fp: { hash: fp.hash }, fpSet: sortedUnique(fp.hash),
    syntaxErrors: parsed.tree.rootNode.hasError,
    ...(du.note ? { warnings: [du.note] } : {}),
  };
}
