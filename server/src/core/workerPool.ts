// CPU-bound per-file work in worker threads. A worker loads this same bundle; with our marker in
// workerData it serves jobs for the tasks the bundle registered (similarity features, the local
// judge's file analysis). Each run starts its workers and ends them, so their parser memory goes too.
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

/** Workers kept between runs for a moment, so that the next run (the judge after the features) does not start new ones. */
const IDLE_MS = 1500;
let kept: Worker[] = [];
let keptBusy = false;
let idleTimer: NodeJS.Timeout | undefined;

function newWorker(): Worker {
  // Loaded through `require` from an eval'd stub, so the bundle is not the worker's main module
  // and the CLI entry point (guarded by `require.main === module`) does not run again.
  const w = new Worker(`require(${JSON.stringify(__filename)})`, { eval: true, workerData: { [MARKER]: true } });
  // A kept worker that fails while idle is dropped (and its error is not an uncaught one).
  w.on('error', () => undefined);
  w.on('exit', () => {
    kept = kept.filter((k) => k !== w);
  });
  return w;
}

/** `owned`: this run took the kept slot (and frees it); `keep`: its workers stay for the next run. */
function release(pool: Worker[], owned: boolean, keep: boolean): void {
  if (owned) keptBusy = false;
  if (!owned || !keep) {
    for (const w of pool) void w.terminate();
    return;
  }
  kept = pool;
  for (const w of kept) w.unref(); // an idle kept worker never holds the process open (the CLI exits when done)
  clearTimeout(idleTimer);
  // Then they go, and their parser memory with them.
  idleTimer = setTimeout(() => {
    if (keptBusy) return;
    for (const w of kept) void w.terminate();
    kept = [];
  }, IDLE_MS);
  idleTimer.unref();
}

/**
 * Runs `task` on every payload with up to `workers` threads, results in payload order; `used` is the
 * number of threads that ran them (0: this thread, also the fallback when a worker cannot start).
 * Workers of the previous run are reused when they are still there and free.
 */
export async function runTasks<P, R>(task: string, payloads: P[], workers: number, onDone?: () => void): Promise<{ results: Array<Outcome<R>>; used: number }> {
  if (!tasks.has(task)) throw new Error(`unknown task ${task}`);
  const n = Math.min(workers, payloads.length);
  if (n <= 0) return { results: await sequential<P, R>(task, payloads, onDone), used: 0 };
  const out: Array<Outcome<R>> = new Array(payloads.length);
  let next = 0;
  let done = 0;
  const reusable = !keptBusy;
  const pool: Worker[] = reusable ? kept.splice(0, n) : [];
  if (reusable) {
    keptBusy = true;
    for (const w of kept) void w.terminate(); // more than this run needs
    kept = [];
  }
  for (const w of pool) w.ref(); // busy again: the process waits for its results
  while (pool.length < n) pool.push(newWorker());
  const cleanups: Array<() => void> = [];
  let failed = false;
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
    failed = true;
    return { results: await sequential<P, R>(task, payloads, onDone), used: 0 };
  } finally {
    for (const c of cleanups) c();
    release(pool, reusable, !failed);
  }
  return { results: out, used: n };
}
