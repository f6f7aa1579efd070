// The judge in the editor: runs judgeReport on each report before it is stored and published, with
// the key fetched from the extension's SecretStorage only when Gemini is about to be called, and the
// user's consent asked once before code is sent to Google. A missing key or a refusal falls back to
// the local judge; a judge failure never loses the structural report.
import type { Connection } from 'vscode-languageserver';
import { JudgeConfigError, type JudgeOptions } from '../../judge';
import { judgeReport } from '../../similarity/judgeReport';
import { LocalJudgeCache } from '../../judge/local/cache';
import type { CompareOptions, CompareReport } from '../../similarity/engine';
import { JudgeApiKeyRequest, JudgeConsentRequest, type JudgeConsentParams } from './protocol';
import type { JudgeSettings } from './settings';

/** What the workspace index and the comparisons call between `compare` and publishing. */
export type JudgeHook = (report: CompareReport, inputs: CompareOptions, stale?: () => boolean) => Promise<CompareReport>;

export interface JudgingDeps {
  connection: Connection;
  settings: () => JudgeSettings;
  /** sql.js verdict cache under the extension's storage (known after initialize); undefined: not cached. */
  cachePath: () => string | undefined;
}

export class Judging {
  /** This session's answer; "Allow for this workspace" is remembered by the extension. */
  private consent: 'granted' | 'declined' | undefined;
  private pendingConsent: Promise<boolean> | undefined;
  private readonly reported = new Set<string>();
  /** The local judge's work kept between runs: a re-run after an edit re-does only the edited files' part. */
  readonly localCache = new LocalJudgeCache({ keepAnalyses: false });

  constructor(private readonly deps: JudgingDeps) {}

  readonly hook: JudgeHook = (report, inputs, stale) => this.judge(report, inputs, stale);

  /** A new key (or none): ask again next time instead of keeping an earlier refusal. */
  keyChanged(): void {
    this.consent = undefined;
    this.reported.clear();
  }

  async judge(report: CompareReport, inputs: CompareOptions, stale?: () => boolean): Promise<CompareReport> {
    const s = this.deps.settings();
    // A superseded run is dropped anyway: spend no judge time (or Gemini calls) on it.
    if (s.provider === 'off' || stale?.()) return report;
    const log = (m: string) => this.deps.connection.console.info(`judge: ${m}`);
    const base: JudgeOptions = {
      provider: s.provider, threshold: s.threshold, model: s.model, maxCalls: s.maxCalls, concurrency: s.concurrency,
      timeoutMs: s.timeoutMs, cachePath: this.deps.cachePath(), log, localCache: this.localCache,
    };
    try {
      return await judgeReport(report, inputs, { ...base, apiKey: () => this.apiKey(), consent: () => this.askConsent(report, s) });
    } catch (e) {
      if (!(e instanceof JudgeConfigError)) {
        this.deps.connection.console.error(`judge failed, structural results kept: ${(e as Error).stack ?? e}`);
        return report;
      }
      this.once('no-key', 'no Gemini API key is set ("Code Origin: Set Gemini API Key"); using the local judge');
      const judged = await judgeReport(report, inputs, { ...base, provider: 'local' });
      judged.llm_summary?.notes.push('no Gemini API key set: local verdicts');
      return judged;
    }
  }

  private async apiKey(): Promise<string | undefined> {
    try {
      const r = await this.deps.connection.sendRequest(JudgeApiKeyRequest, {});
      return typeof r?.key === 'string' && r.key.trim() ? r.key.trim() : undefined;
    } catch {
      return undefined; // a client without the request: no key
    }
  }

  /** One question at a time: runs that overlap share the pending answer instead of opening two dialogs. */
  private askConsent(report: CompareReport, s: JudgeSettings): Promise<boolean> {
    if (this.consent) return Promise.resolve(this.consent === 'granted');
    this.pendingConsent ??= this.requestConsent(report, s).finally(() => (this.pendingConsent = undefined));
    return this.pendingConsent;
  }

  private async requestConsent(report: CompareReport, s: JudgeSettings): Promise<boolean> {
    const judged = report.similarity.pairs.filter((p) => p.similarity_score >= s.threshold);
    const params: JudgeConsentParams = { pairs: judged.length, files: new Set(judged.flatMap((p) => [p.file1, p.file2])).size, model: s.model };
    let allowed = false;
    try {
      const r = await this.deps.connection.sendRequest(JudgeConsentRequest, params);
      allowed = r?.allowed === true;
    } catch (e) {
      this.deps.connection.console.warn(`judge: consent request failed (${(e as Error).message}); nothing is sent`);
    }
    this.consent = allowed ? 'granted' : 'declined';
    if (!allowed) this.once('declined', 'sending code to Google was declined; the local judge is used until the Gemini key is set again or the editor restarts');
    return allowed;
  }

  private once(key: string, message: string): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.deps.connection.console.warn(`judge: ${message}`);
  }
}
