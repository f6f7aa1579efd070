// The origin worker thread: loads the model once, on the first request, and serves classify/explain jobs
// one at a time, interactive ones (hover, explain, classify selection) before background ones (diagnostics).
// A job cancelled before it starts is answered `cancelled` without running.
import { parentPort, workerData } from 'node:worker_threads';
import { cueGroups, loadOrt, minTokensOf, ModelFolderError, OriginModel, type Classification, type OrtRuntime } from '../../origin/index';
import type { OriginLanguage } from '../../origin/sourceText';
import type { ExplainResult, ModelInfo, TextVerdict, WorkerData, WorkerRequest, WorkerResult } from './workerProtocol';

const data = workerData as WorkerData;
let model: Promise<OriginModel> | undefined;
let runtime: OrtRuntime | undefined;

function loadModel(): Promise<OriginModel> {
  model ??= (async () => {
    const m = OriginModel.open(data.modelDir, { threads: data.threads });
    await m.ready();
    runtime = await loadOrt(); // already loaded by ready(): which backend, and the fallback notice
    return m;
  })();
  return model;
}

function infoOf(m: OriginModel): ModelInfo {
  const man = m.folder.manifest;
  return {
    dir: m.folder.dir,
    name: man.name,
    version: man.version,
    architecture: man.architecture ?? 'unknown',
    parameters: man.parameters,
    threshold: man.threshold,
    maxLength: man.max_length,
    windowLength: man.window.length,
    aggregation: man.aggregation,
    explainability: m.explainUnavailable ? 'none (no attribution graphs)' : 'Integrated Gradients',
    explainUnavailable: m.explainUnavailable,
    igBaseline: man.ig_baseline.description,
    verdict: man.verdict,
    ...(man.canonicalization ? { canonicalization: man.canonicalization } : {}),
    ...(runtime ? { runtime: runtime.backend === 'wasm' ? 'onnxruntime-web (WASM)' : 'onnxruntime-node' } : {}),
    ...(runtime?.notice ? { runtimeNotice: runtime.notice } : {}),
  };
}

async function classify(m: OriginModel, texts: string[], languages: OriginLanguage[], minTokens: number, maxWindows: number): Promise<TextVerdict[]> {
  const out: TextVerdict[] = new Array(texts.length);
  const judged: number[] = [];
  const windows: Array<Awaited<ReturnType<OriginModel['sourceWindows']>>> = [];
  // The setting may ask for more tokens than the model needs, never for fewer.
  minTokens = minTokensOf(m.folder.manifest.verdict, minTokens);
  for (let i = 0; i < texts.length; i++) {
    // Counted on what the model reads (the canonical form when the model uses one).
    const w = await m.sourceWindows(texts[i]!, languages[i] ?? 'unknown', maxWindows);
    windows.push(w);
    if (w.tokens < minTokens) out[i] = { tokens: w.tokens, tooShort: true };
    else judged.push(i);
  }
  const cs: Classification[] = judged.length
    ? await m.classifyWindows(judged.map((i) => windows[i]!), { languages: judged.map((i) => languages[i] ?? 'unknown') })
    : [];
  judged.forEach((i, k) => {
    const c = cs[k]!;
    out[i] = { tokens: c.tokens, p_llm: c.p_llm, windows: c.windows, truncated: c.truncated };
  });
  return out;
}

async function explain(m: OriginModel, text: string, language: OriginLanguage, steps: number, maxWindows: number, top: number): Promise<ExplainResult> {
  const e = await m.explain(text, { target: 'llm', steps, maxWindows, top, language });
  let maxAbs = 0;
  for (const t of e.tokens) maxAbs = Math.max(maxAbs, Math.abs(t.score));
  return {
    p_llm: e.classification.p_llm,
    modelTokens: e.classification.tokens,
    windows: e.classification.windows,
    truncated: e.classification.truncated,
    tokens: e.tokens,
    maxAbs,
    steps: e.steps,
    completenessError: Math.max(0, ...e.completeness.map((c) => c.relative_error)),
    cues: { llm: cueGroups(text, language, e.tokens, { sign: 1 }), human: cueGroups(text, language, e.tokens, { sign: -1 }) },
  };
}

type Job = Exclude<WorkerRequest, { kind: 'cancel' } | { kind: 'drain' }>;
const queue: Job[] = [];
let current: Promise<void> | undefined;
let running = false;

function post(r: WorkerResult): void {
  parentPort!.postMessage(r);
}

async function runOne(req: Job): Promise<void> {
  let m: OriginModel;
  try {
    m = await loadModel();
  } catch (e) {
    post({ id: req.id, ok: false, error: (e as Error).message, modelError: true });
    return;
  }
  try {
    const info = infoOf(m);
    if (req.kind === 'info') post({ id: req.id, ok: true, info });
    else if (req.kind === 'classify') post({ id: req.id, ok: true, info, verdicts: await classify(m, req.texts, req.languages, req.minTokens, req.maxWindows) });
    else {
      if (m.explainUnavailable) post({ id: req.id, ok: false, error: m.explainUnavailable, modelError: false });
      else post({ id: req.id, ok: true, info, explanation: await explain(m, req.text, req.language, req.steps, req.maxWindows, req.top) });
    }
  } catch (e) {
    post({ id: req.id, ok: false, error: (e as Error).message, modelError: e instanceof ModelFolderError });
  }
}

async function pump(): Promise<void> {
  if (running) return;
  running = true;
  try {
    while (queue.length) {
      // Lowest priority number first; FIFO within a priority.
      let best = 0;
      for (let i = 1; i < queue.length; i++) if (queue[i]!.priority < queue[best]!.priority) best = i;
      const [req] = queue.splice(best, 1);
      current = runOne(req!);
      await current;
      current = undefined;
    }
  } finally {
    running = false;
  }
}

parentPort!.on('message', (req: WorkerRequest) => {
  if (req.kind === 'cancel') {
    const i = queue.findIndex((q) => q.id === req.id);
    if (i >= 0) {
      queue.splice(i, 1);
      post({ id: req.id, ok: false, error: 'cancelled', modelError: false, cancelled: true });
    }
    return;
  }
  if (req.kind === 'drain') {
    // Terminating a worker while onnxruntime runs aborts the whole process, so the owner waits for this.
    for (const q of queue.splice(0)) post({ id: q.id, ok: false, error: 'cancelled', modelError: false, cancelled: true });
    void (current ?? Promise.resolve()).then(() => parentPort!.postMessage({ drained: req.id }));
    return;
  }
  queue.push(req);
  void pump();
});
