// Stage 7, regions: the report's pairs (the reported ones; with --all-pairs every allowed pair, with
// its flag), each with the matching regions of its files, reported first and then by score. Regions
// of a pair whose documents did not change come from the last run's.
import type { ReportPair } from '../../../../protocol/report';
import type { SourceFile } from '../sourceFile';
import { lineMatches, toRegions, type Region } from '../regions';
import { ZERO } from '../pairScores';
import type { PairScore } from '../score';
import type { Judged } from './judge';
import { round, type Allowed, type Context, type Doc, type Settings } from './types';

export interface Listed {
  pairs: ReportPair[];
  /** The listed pairs' regions by the pair's documents and their identities (with `remember`). */
  regions: Map<string, Region[]>;
}

/** `known`: the last run's regions in this context, where the caller remembers them (`remember`). */
export function listPairs(docs: Doc[], files: SourceFile[], scores: Map<number, PairScore>, j: Judged, ctx: Context, s: Settings, allowed: Allowed,
  known: Map<string, Region[]> | undefined, remember: boolean): Listed {
  const n = docs.length;
  const pairs: ReportPair[] = [];
  const remembered = new Map<string, Region[]>();
  // Remembered regions read their code from this run's files from now on (same paths, same content).
  const byPath = new Map<string, SourceFile>(files.map((f) => [f.path, f]));
  const emit = (i: number, k: number) => {
    const sc = scores.get(i * n + k) ?? ZERO;
    // Only reported pairs are listed (every consumer of the report then shows the same ones); the
    // matrix keeps every raw score, and --all-pairs lists every pair with its flag.
    const listed = j.reported.has(i * n + k);
    if (!s.allPairs && !listed) return;
    const sig = j.significance(i, k, sc.score);
    // Below the floor, a significant pair's standout is what let it in (or kept it out).
    const st = sc.score < j.rule.floor && sig !== undefined && sig >= (j.rule.z_standout ?? Infinity) ? j.standout(i, k, sc.score) : undefined;
    const a = docs[i]!;
    const b = docs[k]!;
    const key = remember && listed ? `${a.name}\0${b.name}\0${a.hash}\0${b.hash}` : '';
    const old = key ? known?.get(key) : undefined;
    if (old) for (const r of old) r.rebind(byPath);
    const regions: Region[] = old ?? [];
    if (key) remembered.set(key, regions);
    if (listed && !old) {
      for (let x = 0; x < a.files.length; x++) {
        for (let y = 0; y < b.files.length; y++) {
          const ms = lineMatches(a.feats[x]!, b.feats[y]!, ctx.ignored.ast);
          regions.push(...toRegions(ms, a.files[x]!, b.files[y]!, s.submissions));
        }
      }
    }
    pairs.push({
      file1: a.name, file2: b.name, similarity_score: round(sc.score), ...(sig === undefined ? {} : { significance: round(sig) }),
      ...(st !== undefined && Number.isFinite(st) ? { standout: round(st) } : {}), reported: listed,
      components: { ast: round(sc.ast), cfg: round(sc.cfg), dataflow: round(sc.dataflow) }, matching_regions: regions,
    });
  };
  if (s.allPairs) {
    for (let i = 0; i < n; i++) for (let k = i + 1; k < n; k++) if (allowed(i, k)) emit(i, k);
  } else {
    for (const [i, k] of j.strong) emit(i, k);
  }
  // Reported first, then by score.
  pairs.sort((p, q) => Number(!!q.reported) - Number(!!p.reported) || q.similarity_score - p.similarity_score || (p.file1 < q.file1 ? -1 : p.file1 > q.file1 ? 1 : 0));
  return { pairs, regions: remembered };
}
