// Recent reports by analysis id, so the client can export or re-open one without re-running it.
// The workspace's report replaces its previous one (a large workspace's report is tens of megabytes,
// and every edit makes a new one); comparisons keep the last few.
import type { CompareReport } from '../../similarity/engine';

export class ReportStore {
  private readonly reports = new Map<string, CompareReport>();
  private workspaceId: string | undefined;

  constructor(private readonly capacity = 8) {}

  put(report: CompareReport, workspace = false): void {
    if (workspace && this.workspaceId !== undefined && this.workspaceId !== report.analysis_id) this.reports.delete(this.workspaceId);
    if (workspace) this.workspaceId = report.analysis_id;
    this.reports.delete(report.analysis_id);
    this.reports.set(report.analysis_id, report);
    while (this.reports.size > this.capacity) this.reports.delete(this.reports.keys().next().value!);
  }

  get(id: string): CompareReport | undefined {
    return this.reports.get(id);
  }
}

/**
 * The report without the regions' code: the client reads workspace files itself, and at thousands of
 * files the code is most of the report (57 of 72 MB at 5,000 files) — to encode, send and decode.
 */
export function withoutRegionCode(report: CompareReport): CompareReport {
  return {
    ...report,
    similarity: {
      ...report.similarity,
      pairs: report.similarity.pairs.map((p) => ({
        ...p,
        // Fields picked, not the code left out by a rest pattern: that would build the code (regions.ts).
        matching_regions: p.matching_regions.map((r) => ({
          ...(r.file1 !== undefined ? { file1: r.file1, file2: r.file2 } : {}), file1_lines: r.file1_lines, file2_lines: r.file2_lines,
        }) as typeof p.matching_regions[number]),
      })),
    },
  };
}
