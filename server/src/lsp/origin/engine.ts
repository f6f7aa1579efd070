// The main thread's handle on the origin worker: starts it on first use, matches replies to requests,
// cancels queued jobs, and restarts it after a crash or when the model folder changes.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { OriginLanguage } from '../../origin/sourceText';
import type { ExplainResult, ModelInfo, TextVerdict, WorkerData, WorkerRequest, WorkerResult } from './workerProtocol';

/** Interactive requests (hover, explain, classify selection) run before background diagnostics. */
export const PRIORITY_INTERACTIVE = 0;
export const PRIORITY_BACKGROUND = 1;

export class OriginError extends Error {
  constructor(message: string, readonly modelError: boolean, readonly cancelled = false) {
    super(message);
  }
}

export interface Job<T> {
  id: number;
  promise: Promise<T>;
}

type Pending = { resolve: (r: WorkerResult & { ok: true }) => void; reject: (e: OriginError) => void };

export class OriginEngine {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(readonly modelDir: string, private readonly workerFile = path.join(__dirname, 'originWorker.js'), private readonly threads?: number) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const data: WorkerData = { modelDir: this.modelDir, threads: this.threads };
    const w = new Worker(this.workerFile, { workerData: data });
    w.unref();
    w.on('message', (r: WorkerResult | { drained: number }) => {
      if ('drained' in r) return;
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r);
      else p.reject(new OriginError(r.error, r.modelError, r.cancelled === true));
    });
    const fail = (why: string) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      for (const [, p] of this.pending) p.reject(new OriginError(`the origin worker stopped (${why})`, false));
      this.pending.clear();
    };
    w.on('error', (e) => fail(e.message));
    w.on('exit', (code) => fail(`exit code ${code}`));
    this.worker = w;
    return w;
  }

  private send(req: Exclude<WorkerRequest, { kind: 'cancel' } | { kind: 'drain' }>): Promise<WorkerResult & { ok: true }> {
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      try {
        this.ensureWorker().postMessage(req);
      } catch (e) {
        this.pending.delete(req.id);
        reject(new OriginError(`cannot start the origin worker: ${(e as Error).message}`, false));
      }
    });
  }

  info(priority = PRIORITY_INTERACTIVE): Promise<ModelInfo> {
    return this.send({ id: this.nextId++, kind: 'info', priority }).then((r) => r.info);
  }

  /** `language` (one for all texts) feeds canonicalization in the worker. */
  classify(texts: string[], o: { language: OriginLanguage; minTokens: number; maxWindows: number; priority: number }): Job<{ info: ModelInfo; verdicts: TextVerdict[] }> {
    const id = this.nextId++;
    const promise = this.send({ id, kind: 'classify', priority: o.priority, texts, languages: texts.map(() => o.language), minTokens: o.minTokens, maxWindows: o.maxWindows })
      .then((r) => ({ info: r.info, verdicts: r.verdicts! }));
    return { id, promise };
  }

  explain(text: string, o: { language: OriginLanguage; steps: number; maxWindows: number; top: number; priority: number }): Job<{ info: ModelInfo; explanation: ExplainResult }> {
    const id = this.nextId++;
    const promise = this.send({ id, kind: 'explain', priority: o.priority, text, language: o.language, steps: o.steps, maxWindows: o.maxWindows, top: o.top })
      .then((r) => ({ info: r.info, explanation: r.explanation! }));
    return { id, promise };
  }

  /** Drops a queued job (its promise rejects with `cancelled`); a running one finishes. */
  cancel(id: number): void {
    if (this.pending.has(id)) this.worker?.postMessage({ id, kind: 'cancel' } satisfies WorkerRequest);
  }

  /**
   * Stops the worker: queued jobs are dropped, the running one is waited for (at most `waitMs`), then the
   * thread is terminated. Terminating during an onnxruntime call would abort the whole server process.
   */
  async dispose(waitMs = 15_000): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    for (const [, p] of this.pending) p.reject(new OriginError('the origin worker was stopped', false, true));
    this.pending.clear();
    if (!w) return;
    const id = this.nextId++;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      w.on('message', (m: { drained?: number }) => { if (m.drained === id) { clearTimeout(timer); resolve(); } });
      w.once('exit', () => { clearTimeout(timer); resolve(); });
      try {
        w.postMessage({ id, kind: 'drain' } satisfies WorkerRequest);
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
    await w.terminate();
  }
}
