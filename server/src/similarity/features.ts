// Per-file evidence for comparison: tracked subtree hashes with their line ranges, and the edge-key
// sets of the control-flow and data-flow graphs. Plain typed arrays, so the cache and worker threads
// can move them cheaply.
import type { LanguageId } from '../core/languages';
import { parseSource } from '../core/parser';
import { buildCfgs, cfgEdgeKeys } from './cfg';
import { dataflowKeys, defUseEdges } from './dataflow';
import { extract, type TrackedNodes } from './extract';
import { sortedUnique } from './hash';

/** Bumped whenever features change meaning, so cached entries from older engines are not reused. */
export const FEATURES_VERSION = 3;

export interface FeatureOptions {
  minSubtree: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { minSubtree: 12 };

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
  syntaxErrors: boolean;
}

export async function featuresOfSource(text: string, language: LanguageId, opts: FeatureOptions = DEFAULT_FEATURE_OPTIONS): Promise<FileFeatures> {
  const parsed = await parseSource(text, language);
  try {
    const x = extract(parsed, { minSubtree: opts.minSubtree });
    const cfg = sortedUnique(cfgEdgeKeys(buildCfgs(x)));
    const df = sortedUnique(dataflowKeys(defUseEdges(x)));
    return {
      language, lineCount: x.lineCount, total: x.total, tracked: x.tracked, astSet: sortedUnique(x.tracked.hash), cfg, df,
      syntaxErrors: parsed.tree.rootNode.hasError,
    };
  } finally {
    parsed.dispose();
  }
}
