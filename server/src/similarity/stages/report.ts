// Stage 9, report: the stages' results as the report (protocol/report.ts).
import crypto from 'node:crypto';
import type { CompareReport, ReportPair } from '../../../../protocol/report';
import type { FileFeatures } from '../features';
import type { SourceFile } from '../sourceFile';
import type { Grouped } from './clusters';
import type { Judged } from './judge';
import { round, type Context, type Doc, type Settings } from './types';

export interface ReportInputs {
  s: Settings;
  files: SourceFile[];
  feats: Array<FileFeatures | undefined>;
  docs: Doc[];
  ctx: Context;
  candidates: number;
  highest: number;
  judged: Judged;
  pairs: ReportPair[];
  grouped: Grouped;
  cache: CompareReport['metadata']['cache'];
  timings: Record<string, number>;
  workersUsed: number;
  skipped: number;
  /** A quick update (the last full run's context kept). */
  incremental: boolean;
  archive?: { sources: string[]; leftOutAsNew: number };
}

export function buildReport(r: ReportInputs): CompareReport {
  const { s, files, feats, docs, grouped } = r;
  return {
    analysis_id: crypto.randomUUID(),
    summary: {
      total_files: files.length, total_documents: docs.length, suspicious_pairs_count: r.judged.reported.size, highest_similarity: round(r.highest),
      cluster_count: grouped.clusters.length, candidate_pairs: r.candidates,
    },
    files: files.map((f, i) => ({
      path: f.path,
      ...(f.language ? { language: f.language } : {}),
      ...(f.error ? { error: f.error } : {}),
      ...(feats[i]?.warnings ? { warnings: feats[i]!.warnings } : {}),
      ...(feats[i]?.syntaxErrors ? { syntax_errors: true } : {}),
      ...(s.submissions ? { submission: f.doc } : {}),
      ...(f.archive ? { archive: true } : {}),
    })),
    similarity: { pairs: r.pairs },
    graph: { nodes: docs.map((d) => ({ id: d.name, files: d.files.length, ...(d.archive ? { archive: true } : {}) })), edges: grouped.edges },
    matrix: grouped.matrix,
    clusters: grouped.clusters,
    metadata: {
      analysis_type: 'similarity', timestamp: new Date().toISOString(), llm_enabled: false, weights: s.weights,
      thresholds: {
        min_score: s.minScore, cluster: s.clusterThreshold, common_share: s.commonShare, common_min_documents: s.commonMinDocs,
        min_subtree: s.fopts.minSubtree, kgram: s.fopts.k, window: s.fopts.w,
      },
      report_rule: r.judged.rule,
      ...(r.ctx.common ? { common: r.ctx.common } : {}),
      submissions: s.submissions, cross: s.cross,
      ...(r.cache ? { cache: r.cache } : {}),
      timings_ms: r.timings, workers_used: r.workersUsed,
      ...(r.skipped ? { skipped_files: r.skipped } : {}),
      ...(r.incremental ? { incremental: true } : {}),
      ...(r.archive ? {
        archive: {
          sources: r.archive.sources, files: files.filter((f) => f.archive).length, documents: docs.filter((d) => d.archive).length,
          ...(r.archive.leftOutAsNew ? { left_out_as_new: r.archive.leftOutAsNew } : {}),
        },
      } : {}),
    },
  };
}
