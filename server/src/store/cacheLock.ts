// A lock file beside a cache file, so that two processes writing one cache take turns: each re-reads what
// the other wrote and merges its own entries into it before the atomic rename (cacheDb.ts, diskStore.ts).
// Created with O_EXCL; a lock left by a process that died (same host, pid gone) or older than STALE_MS is
// broken. The work under the lock is one read, merge and write of one file: seconds at most.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDir } from './cacheFile';

const STALE_MS = 30_000;
const WAIT_MS = 20_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);

function stale(lock: string, st: fs.Stats): boolean {
  if (Date.now() - st.mtimeMs > STALE_MS) return true;
  let owner = '';
  try {
    owner = fs.readFileSync(lock, 'utf8');
  } catch {
    return false;
  }
  const [pid, host] = owner.split('@');
  if (host !== os.hostname() || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Runs `fn` holding `${file}.lock`; throws when another process held it for WAIT_MS. */
export function withFileLock<T>(file: string, fn: () => T): T {
  const lock = `${file}.lock`;
  ensureDir(path.dirname(path.resolve(file)));
  const deadline = Date.now() + WAIT_MS;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(lock, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (fd !== undefined) {
      try {
        fs.writeSync(fd, `${process.pid}@${os.hostname()}`);
      } finally {
        fs.closeSync(fd);
      }
      try {
        return fn();
      } finally {
        fs.rmSync(lock, { force: true });
      }
    }
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(lock);
    } catch {
      continue; // released meanwhile
    }
    if (stale(lock, st)) {
      // Removed only if it is still the lock judged stale (not one a third process just took).
      try {
        if (fs.lstatSync(lock).ino === st.ino) fs.rmSync(lock, { force: true });
      } catch {
        // gone already
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${lock} is held by another process`);
    sleep(pause);
  }
}
