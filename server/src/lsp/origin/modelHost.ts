// The origin model as the language server holds it: the worker engine for the configured folder, restarted
// when a new export lands there (the folder's stamp comes from the files its manifest names), the caches of
// verdicts and explanations that belong to that model, and a model that cannot be loaded said once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { modelFolderFiles, resolveModelDir } from '../../origin/index';
import type { OriginLanguage } from '../../origin/sourceText';
import { OriginEngine, OriginError } from './engine';
import { Lru } from '../../store/lru';
import type { OriginSettings } from './settings';
import { contentHash } from './text';
import type { ExplainResult, ModelInfo, TextVerdict } from './workerProtocol';

/** Verdicts and explanations kept (by content hash). */
const CACHE_ENTRIES = 4000;
const EXPLAIN_CACHE_ENTRIES = 200;
/** How often the model folder is checked for a new export. */
const MODEL_CHECK_MS = 5000;


/** Size and modification time of every file the folder's manifest names: a new export changes it. */
export function folderStamp(dir: string): string {
  return modelFolderFiles(dir).map((f) => {
    try {
      const st = fs.statSync(f);
      return `${st.size}:${st.mtimeMs}`;
    } catch {
      return '-';
    }
  }).join('|');
}

/** A job's result, or the message of a model that could not be loaded (shown to the user once). */
export type Settled<T> = { value: T } | { modelError: string };

export class ModelHost {
  private engine: OriginEngine | undefined;
  private stamp = '';
  private lastCheck = 0;
  private readonly errorShown = new Set<string>();
  /** What the current model said of itself with its last answer. */
  info: ModelInfo | undefined;
  /** Raw verdicts by text key (content hash, language, token and window limits). */
  readonly verdicts = new Lru<string, TextVerdict>(CACHE_ENTRIES);
  private readonly explanations = new Lru<string, Promise<ExplainResult>>(EXPLAIN_CACHE_ENTRIES);

  constructor(private readonly deps: {
    connection: Connection;
    settings: () => OriginSettings;
    /** A new export replaced the model: the open documents are judged again. */
    onReplaced: () => void;
  }) {}

  dir(): string {
    const p = this.deps.settings().modelPath;
    if (p) return path.resolve(p.startsWith('~') ? path.join(os.homedir(), p.slice(1)) : p);
    return resolveModelDir(undefined, __dirname);
  }

  /** The engine of the current model (queued jobs are cancelled through it); undefined before the first use. */
  get current(): OriginEngine | undefined {
    return this.engine;
  }

  /** The engine for the configured folder, restarted when the folder changed (checked every few seconds) or when forced. */
  ensure(force = false): OriginEngine {
    const dir = this.dir();
    const now = Date.now();
    if (!force && this.engine && this.engine.modelDir === dir && now - this.lastCheck < MODEL_CHECK_MS) return this.engine;
    this.lastCheck = now;
    const stamp = folderStamp(dir);
    if (this.engine && this.engine.modelDir === dir && stamp === this.stamp) return this.engine;
    const replaced = this.engine !== undefined && !force;
    void this.engine?.dispose();
    this.engine = new OriginEngine(dir);
    this.stamp = stamp;
    this.info = undefined;
    this.verdicts.clear();
    this.explanations.clear();
    // A new export in the model folder: judge the open documents again with it.
    if (replaced) setTimeout(() => this.deps.onReplaced(), 0);
    return this.engine;
  }

  /** Checks the folder (every few seconds): whether the model was replaced just now. */
  replacedNow(): boolean {
    const before = this.engine;
    return this.ensure() !== before;
  }

  cancel(jobs: number[]): void {
    for (const id of jobs) this.engine?.cancel(id);
  }

  /** Keeps what the model said of itself; a fallback to onnxruntime-web (WASM) is told once per message. */
  noteInfo(info: ModelInfo): ModelInfo {
    this.info = info;
    const n = info.runtimeNotice;
    if (n && !this.errorShown.has(n)) {
      this.errorShown.add(n);
      this.deps.connection.console.warn(`origin model: ${n}`);
      void this.deps.connection.window.showInformationMessage(`Code Origin: ${n}.`);
    }
    return info;
  }

  reportModelError(message: string): void {
    if (this.errorShown.has(message)) return;
    this.errorShown.add(message);
    this.deps.connection.console.error(`origin model: ${message}`);
    void this.deps.connection.window.showErrorMessage(
      `Code Origin: the origin model could not be loaded, so there are no origin verdicts (similarity features keep working). ${message}`,
    );
  }

  /** Awaits a job; a model that cannot be loaded is reported once and comes back as its message, other errors are thrown. */
  async settle<T>(promise: Promise<T>): Promise<Settled<T>> {
    try {
      return { value: await promise };
    } catch (e) {
      if (e instanceof OriginError && e.modelError) {
        this.reportModelError(e.message);
        return { modelError: e.message };
      }
      throw e;
    }
  }

  /** Integrated Gradients of a text, cached by content (a failed one is not: the next request tries again). */
  explain(text: string, language: OriginLanguage, priority: number): Promise<ExplainResult> {
    const s = this.deps.settings();
    const key = `${contentHash(text)}:${language}:${s.steps}:${s.explainMaxWindows}`;
    let p = this.explanations.get(key);
    if (!p) {
      const job = this.ensure().explain(text, { language, steps: s.steps, maxWindows: s.explainMaxWindows, top: 5, priority });
      p = job.promise.then((r) => r.explanation);
      p.catch(() => this.explanations.delete(key));
      this.explanations.set(key, p);
    }
    return p;
  }

  async dispose(): Promise<void> {
    await this.engine?.dispose();
  }
}
