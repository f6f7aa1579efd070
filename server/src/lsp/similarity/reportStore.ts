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
