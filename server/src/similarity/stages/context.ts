// Stage 3, index: the scoring context (template and common evidence ignored, candidate cap) and the
// candidate count. The same documents and options as a recorded run give that run's; a quick update
// keeps the last run's context and counts again only around the changed documents; otherwise the
// fingerprint index is built and the common-code filter counted over groups of near-copies.
import crypto from 'node:crypto';
import v8 from 'node:v8';
import type { FeatureCache } from '../cache';
import { buildIndex } from '../candidates';
import { commonEvidence, GROUP_PASS_MAX_DOCS, GROUP_SCORE, regroup, type CommonInfo } from '../common';
import type { FileFeatures } from '../features';
import { PairScorer } from '../pairScores';
import type { Ignored } from '../score';
import type { LazyPostings } from './documents';
import type { QuickUpdate } from './runIndex';
import { MATRIX_MAX_DOCS, type Allowed, type Context, type Doc, type Settings } from './types';

/** A run's context and candidate count, by the documents and options it was for. */
export interface RecordedRun { key: string; ctx: Context; candidates: number }

export interface Indexed {
  ctx: Context;
  candidates: number;
  /** Whether they are a recorded run's (every pair the memory holds is then still a candidate). */
  recorded: boolean;
  /** The run for the state to remember (found or recorded now). */
  remember?: RecordedRun;
}

/** The template's files, for the index: their features, and an identity each (feature key, else error). */
export interface TemplateEvidence { feats: FileFeatures[]; ids: string[] }

/** Scores below this are only kept where the report shows them (the matrix, --all-pairs). */
export function scoreFloor(n: number, s: Settings): number {
  const keepAll = s.allPairs || n <= MATRIX_MAX_DOCS;
  return keepAll ? 0 : Math.min(s.minScore, s.clusterThreshold);
}

export function indexRun(docs: Doc[], template: TemplateEvidence, s: Settings, floor: number, postings: LazyPostings, allowed: Allowed,
  quick: QuickUpdate | undefined, known: { recorded?: RecordedRun; cache?: FeatureCache }): Indexed {
  if (quick) return { ctx: quick.ctx, candidates: quick.candidates(docs, allowed, s.cross), recorded: false };
  // The context is a function of the documents' contents and the options: the same documents as a
  // recorded run give that run's context and candidate count without indexing again.
  const key = runKey(docs, template, s, floor);
  const found = s.allPairs ? undefined : recordedRun(known.recorded, known.cache, key);
  if (found) return { ctx: found.ctx, candidates: found.candidates, recorded: true, remember: found };
  const { ctx, candidates } = indexDocs(docs, template.feats, s, floor, postings, allowed);
  if (s.allPairs) return { ctx, candidates, recorded: false };
  const remember = { key, ctx, candidates };
  recordRun(known.cache, remember);
  return { ctx, candidates, recorded: false, remember };
}

function indexDocs(docs: Doc[], templateFeats: FileFeatures[], s: Settings, floor: number, postings: LazyPostings, allowed: Allowed): { ctx: Context; candidates: number } {
  const n = docs.length;
  const { commonShare, commonMinDocs } = s;
  const ignored: Ignored = {
    ast: new Set(templateFeats.flatMap((f) => [...f.astSet])),
    fp: new Set(templateFeats.flatMap((f) => [...f.fpSet])),
    cfg: new Set(templateFeats.flatMap((f) => [...f.cfg])),
    df: new Set(templateFeats.flatMap((f) => [...f.df])),
  };
  const templateFp = new Set(ignored.fp);
  const maxGroups = commonShare > 0 ? Math.max(commonMinDocs, Math.floor(commonShare * n)) : Number.POSITIVE_INFINITY;
  // Keys in more than half of the documents (at most 500) are too common to propose pairs at all...
  const groupCap = Number.isFinite(maxGroups) ? Math.max(maxGroups, commonMinDocs, Math.min(Math.ceil(n / 2), 500)) : n;
  // ...except in classes (up to GROUP_PASS_MAX_DOCS), where 40 copies of one source in 55 files may
  // share only such keys and their pairs must be scored (here and in the first pass, or the copies form
  // no group and the common filter erases what they share). The index's fingerprint groups keep the cap.
  const capDocs = n <= GROUP_PASS_MAX_DOCS ? n : groupCap;
  const fp = postings.fp();
  const rows = rowsWithLaterPartners(docs);
  const index = buildIndex(fp, groupCap, fp.flags(templateFp), allowed, rows);
  const candidates = capDocs === groupCap ? index.candidates : buildIndex(fp, capDocs, fp.flags(templateFp), allowed, rows).candidates;
  // Near-copies the fingerprints miss (disguised copies) are found by a first scoring pass (common.ts).
  let groups = index;
  if (commonShare > 0 && n <= GROUP_PASS_MAX_DOCS && index.groupCount > Math.max(commonMinDocs, Math.floor(commonShare * index.groupCount))) {
    const first = new PairScorer(docs, { capDocs, templateFp, ignored, weights: s.weights, allowed }, postings.all());
    const near: Array<[number, number, number]> = [];
    for (let a = 0; a < rows; a++) first.scoreDoc(a, (b) => b > a, (b, sc) => { if (sc.score >= GROUP_SCORE) near.push([a, b, sc.score]); });
    groups = regroup(index, near);
  }
  const common = commonEvidence(groups, n, commonShare, commonMinDocs, ignored, { fp, of: (kind) => postings.of(kind) });
  const ctx: Context = { ignored, templateFp, capDocs, id: '', common };
  ctx.id = contextId(ctx, s, floor);
  return { ctx, candidates };
}

/**
 * Documents from the returned number on have no allowed partner after them: the archived ones, which come
 * after the new ones and never meet each other (allowedPairs). Their rows of the index are skipped.
 */
function rowsWithLaterPartners(docs: Doc[]): number {
  let rows = docs.length;
  while (rows > 0 && docs[rows - 1]!.archive) rows--;
  return rows;
}

/** What a recorded run is looked up by: the documents (by content) and every option the context depends on. */
function runKey(docs: Doc[], template: TemplateEvidence, s: Settings, floor: number): string {
  return crypto.createHash('sha256').update(JSON.stringify([
    docs.map((d) => (s.cross ? `${d.hash}:${d.input}` : d.hash) + (d.archive ? ':a' : '')).sort(), template.ids,
    s.weights, s.fopts, floor, s.commonShare, s.commonMinDocs, s.submissions, s.cross,
  ])).digest('base64');
}

/** The context and candidate count of an earlier run over the same documents and options, if recorded. */
function recordedRun(inState: RecordedRun | undefined, cache: FeatureCache | undefined, key: string): RecordedRun | undefined {
  if (inState?.key === key) return inState;
  const blob = cache?.getMeta('run');
  if (!blob) return undefined;
  try {
    const r = v8.deserialize(blob) as { key: string; ignored: number[][]; templateFp: number[]; capDocs: number; id: string; candidates: number; common?: CommonInfo };
    if (r.key !== key) return undefined;
    const [ast, fp, cfg, df] = r.ignored.map((a) => new Set(a));
    return { key, ctx: { ignored: { ast: ast!, fp: fp!, cfg: cfg!, df: df! }, templateFp: new Set(r.templateFp), capDocs: r.capDocs, id: r.id, common: r.common }, candidates: r.candidates };
  } catch {
    return undefined;
  }
}

function recordRun(cache: FeatureCache | undefined, { key, ctx, candidates }: RecordedRun): void {
  const i = ctx.ignored;
  cache?.putMeta('run', v8.serialize({ key, ignored: [i.ast, i.fp, i.cfg, i.df].map((x) => [...x]), templateFp: [...ctx.templateFp], capDocs: ctx.capDocs, id: ctx.id, candidates, common: ctx.common }));
}

/** A stable id of the scoring context: ignored evidence, weights, feature options, candidate cap, floor, pairing mode. */
function contextId(ctx: Context, s: Settings, floor: number): string {
  const h = crypto.createHash('sha256');
  const put = (set: Set<number>) => h.update(Float64Array.from(set).sort()).update('|');
  put(ctx.ignored.ast);
  put(ctx.ignored.fp);
  put(ctx.ignored.cfg);
  put(ctx.ignored.df);
  put(ctx.templateFp);
  h.update(JSON.stringify([s.weights, s.fopts, ctx.capDocs, floor, s.submissions]));
  return h.digest('base64').slice(0, 22);
}
