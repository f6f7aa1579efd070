// CPU-bound per-file work in worker threads. A worker loads this same bundle; with our marker in
// workerData it serves jobs for the tasks the bundle registered (similarity features, the local
// judge's file analysis). Each run starts its workers and ends them, so their parser memory goes too.
import os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

type Task = (payload: unknown) => Promise<unknown>;
interface Job { id: number; task: string; payload: unknown }
type Reply = { id: number; value?: unknown; error?: string };

const MARKER = 'codeOriginWorker';
const tasks = new Map<string, Task>();

export function isPoolWorker(): boolean {
  return !isMainThread && !!(workerData as Record<string, unknown> | null)?.[MARKER];
}

/** Makes `fn` runnable in workers under `name` (call at module load, so a worker's bundle has it too). */
export function registerTask<P, R>(name: string, fn: (payload: P) => Promise<R>): void {
  tasks.set(name, fn as Task);
}

if (isPoolWorker()) {
  parentPort!.on('message', (job: Job) => {
    const fn = tasks.get(job.task);
    (fn ? fn(job.payload) : Promise.reject(new Error(`unknown task ${job.task}`)))
      .then((value) => parentPort!.postMessage({ id: job.id, value } satisfies Reply))
      .catch((e: Error) => parentPort!.postMessage({ id: job.id, error: e.message } satisfies Reply));
  });
}

/** Threads for per-file work: a number as given (0: this thread), or 'auto'. */
export type WorkerCount = number | 'auto';

/**
 * Source (characters) below which 'auto' stays on this thread: a worker's start (the bundle, the grammars)
 * costs more than it saves. SOCO Java (1 MB, 259 files, 2 cores): 1.60 s wall / 2.3 s CPU on this thread,
 * 1.76 s / 3.1 s with two workers; ConPlag (3.7 MB): 3.28 s / 4.1 s against 3.00 s / 4.6 s.
 */
export const AUTO_MIN_CHARS = 2_000_000;

/** The threads to start for `files` jobs over `chars` of source: 'auto' is one per core (up to 8) for large inputs. */
export function resolveWorkers(w: WorkerCount, files: number, chars: number): number {
  // Starting workers costs a few hundred milliseconds: a handful of files (an edit) stays on this thread.
  if (files <= 50) return 0;
  if (w !== 'auto') return w;
  return chars >= AUTO_MIN_CHARS ? Math.min(8, os.availableParallelism()) : 0;
}

/** Result of one job: its value, or the error message. */
export type Outcome<R> = { value: R } | { error: string };

async function sequential<P, R>(task: string, payloads: P[], onDone?: () => void): Promise<Array<Outcome<R>>> {
  const fn = tasks.get(task)!;
  const out: Array<Outcome<R>> = [];
  for (const p of payloads) {
    try {
      out.push({ value: (await fn(p)) as R });
    } catch (e) {
      out.push({ error: (e as Error).message });
    }
    onDone?.();
  }
  return out;
}

function newWorker(): Worker {
  // Loaded through `require` from an eval'd stub, so the bundle is not the worker's main module
  // and the CLI entry point (guarded by `require.main === module`) does not run again.
  const w = new Worker(`require(${JSON.stringify(__filename)})`, { eval: true, workerData: { [MARKER]: true } });
  w.on('error', () => undefined); // a failure is handled by the run (its own listener); never an uncaught one
  return w;
}

/**
 * Runs `task` on every payload with up to `workers` threads, results in payload order; `used` is the
 * number of threads that ran them (0: this thread, also the fallback when a worker cannot start).
 * The workers end with the run, and their parser memory with them (keeping them for the next run saved
 * their start but held that memory through the scoring: SOCO Java peak 306 vs 217 MiB).
 */
export async function runTasks<P, R>(task: string, payloads: P[], workers: number, onDone?: () => void): Promise<{ results: Array<Outcome<R>>; used: number }> {
  if (!tasks.has(task)) throw new Error(`unknown task ${task}`);
  const n = Math.min(workers, payloads.length);
  if (n <= 0) return { results: await sequential<P, R>(task, payloads, onDone), used: 0 };
  const out: Array<Outcome<R>> = new Array(payloads.length);
  let next = 0;
  let done = 0;
  const pool: Worker[] = [];
  for (let i = 0; i < n; i++) pool.push(newWorker());
  const cleanups: Array<() => void> = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker) => {
        if (next < payloads.length) {
          const id = next++;
          w.postMessage({ id, task, payload: payloads[id] } satisfies Job);
        }
      };
      for (const w of pool) {
        const onMessage = (r: Reply) => {
          out[r.id] = r.error !== undefined ? { error: r.error } : { value: r.value as R };
          done++;
          onDone?.();
          if (done === payloads.length) resolve();
          else feed(w);
        };
        const onExit = () => reject(new Error('worker exited'));
        w.on('message', onMessage);
        w.on('error', reject);
        w.on('exit', onExit);
        cleanups.push(() => {
          w.off('message', onMessage);
          w.off('error', reject);
          w.off('exit', onExit);
        });
        // Two jobs in flight per worker keep it busy while the parent handles a reply.
        feed(w);
        feed(w);
      }
    });
  } catch {
    return { results: await sequential<P, R>(task, payloads, onDone), used: 0 };
  } finally {
    for (const c of cleanups) c();
    for (const w of pool) void w.terminate();
  }
  return { results: out, used: n };
}
