// Recent reports by analysis id, so the client can export or re-open one without re-running it.
import type { CompareReport } from '../../similarity/engine';

export class ReportStore {
  private readonly reports = new Map<string, CompareReport>();

  constructor(private readonly capacity = 8) {}

  put(report: CompareReport): void {
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
        matching_regions: p.matching_regions.map(({ file1_code: _a, file2_code: _b, ...r }) => r as typeof p.matching_regions[number]),
      })),
    },
  };
}
