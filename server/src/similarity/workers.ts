// Parsing and feature extraction in worker threads. A worker loads this same bundle; with our marker
// in workerData it serves jobs.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { LanguageId } from '../core/languages';
import { featuresOfSource, type FeatureOptions, type FileFeatures } from './features';

interface Job { id: number; text: string; language: LanguageId; fopts: FeatureOptions }
type Reply = { id: number; f?: FileFeatures; error?: string };

const MARKER = 'codeOriginSimilarityWorker';

export function isSimilarityWorker(): boolean {
  return !isMainThread && !!(workerData as Record<string, unknown> | null)?.[MARKER];
}

if (isSimilarityWorker()) {
  parentPort!.on('message', (job: Job) => {
    featuresOfSource(job.text, job.language, job.fopts)
      .then((f) => parentPort!.postMessage({ id: job.id, f } satisfies Reply))
      .catch((e: Error) => parentPort!.postMessage({ id: job.id, error: `analysis failed: ${e.message}` } satisfies Reply));
  });
}

async function sequential(jobs: Array<{ text: string; language: LanguageId }>, fopts: FeatureOptions, onDone?: () => void): Promise<Array<FileFeatures | string>> {
  const out: Array<FileFeatures | string> = [];
  for (const j of jobs) {
    try {
      out.push(await featuresOfSource(j.text, j.language, fopts));
    } catch (e) {
      out.push(`analysis failed: ${(e as Error).message}`);
    }
    onDone?.();
  }
  return out;
}

/** Worker threads the last parallel run really used (0 when it fell back to this thread). */
export let lastWorkersUsed = 0;

export function resetWorkersUsed(): void {
  lastWorkersUsed = 0;
}

/** Features for many files on `workers` threads (falls back to this thread if a worker cannot start). */
export async function computeFeaturesParallel(jobs: Array<{ text: string; language: LanguageId }>, fopts: FeatureOptions, workers: number,
  onDone?: () => void): Promise<Array<FileFeatures | string>> {
  const n = Math.min(workers, jobs.length);
  lastWorkersUsed = 0;
  if (n <= 0) return sequential(jobs, fopts, onDone);
  const out: Array<FileFeatures | string> = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker) => {
        if (next < jobs.length) {
          const id = next++;
          w.postMessage({ id, text: jobs[id]!.text, language: jobs[id]!.language, fopts } satisfies Job);
        }
      };
      for (let i = 0; i < n; i++) {
        // Loaded through `require` from an eval'd stub, so the bundle is not the worker's main module
        // and the CLI entry point (guarded by `require.main === module`) does not run again.
        const w = new Worker(`require(${JSON.stringify(__filename)})`, { eval: true, workerData: { [MARKER]: true } });
        pool.push(w);
        w.on('message', (r: Reply) => {
          out[r.id] = r.f ?? r.error ?? 'analysis failed';
          done++;
          onDone?.();
          if (done === jobs.length) resolve();
          else feed(w);
        });
        w.on('error', reject);
        // Two jobs in flight per worker keep it busy while the parent handles a reply.
        feed(w);
        feed(w);
      }
    });
  } catch {
    return sequential(jobs, fopts, onDone);
  } finally {
    for (const w of pool) void w.terminate();
  }
  lastWorkersUsed = n;
  return out;
}
