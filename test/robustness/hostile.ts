// Hostile inputs made at test time (large ones are never committed), and a bounded way to run the CLI.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';

export const CLI = path.resolve('dist/cli.js');

/** A fresh folder others can read (permission probes run the CLI as nobody when the tests run as root). */
export function tmpdir(prefix = 'code-origin-robust-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(d, 0o755);
  return d;
}

/**
 * Whether a permission probe can run: as root the CLI runs as nobody, who must be able to read the
 * checkout (a clone inside a private folder is not readable to nobody; the probe then skips).
 */
export function unprivilegedRunnable(): boolean {
  if (process.getuid?.() !== 0) return true;
  const model = path.resolve('models/code-origin-small/model.onnx');
  const r = spawnSync(process.execPath, ['-e', `for (const f of ${JSON.stringify([CLI, model])}) require('fs').accessSync(f, 4)`],
    { uid: 65534, gid: 65534, timeout: 10_000 });
  return r.status === 0;
}

/** Runs the bundled CLI with a heap cap and a wall-clock limit; the time it took comes back too. */
export function runCli(args: string[], o: { heapMb?: number; timeoutMs?: number; cwd?: string; input?: string; unprivileged?: boolean } = {}): SpawnSyncReturns<string> & { ms: number } {
  const t = Date.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${o.heapMb ?? 512}`, CLI, ...args], {
    encoding: 'utf8', timeout: o.timeoutMs ?? 30_000, cwd: o.cwd, input: o.input, maxBuffer: 256 * 1024 * 1024,
    // Root reads anything: permission probes run as nobody then.
    ...(o.unprivileged && process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}),
  });
  return Object.assign(r, { ms: Date.now() - t });
}

/** Runs the CLI through `sh -c` (for pipes), bounded the same way. */
export function runShell(script: string, timeoutMs = 30_000): SpawnSyncReturns<string> {
  return spawnSync('sh', ['-c', script], { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, CLI, NODE: process.execPath } });
}


/**
 * Raw deflate of `1 + 258 * matches` zero bytes: one fixed-Huffman block of a literal 0 and
 * length-258 distance-1 matches (13 bits each), made without compressing anything.
 */
export function deflatedZeros(matches: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((3 + 8 + 13 * matches + 7) / 8) + 1);
  let bit = 0;
  const put = (v: number, n: number) => { // LSB first
    for (let i = 0; i < n; i++, bit++) if ((v >> i) & 1) out[bit >> 3]! |= 1 << (bit & 7);
  };
  const huff = (code: number, n: number) => { // Huffman codes go MSB first
    for (let i = n - 1; i >= 0; i--, bit++) if ((code >> i) & 1) out[bit >> 3]! |= 1 << (bit & 7);
  };
  put(1, 1); // final block
  put(1, 2); // fixed Huffman
  huff(0x30, 8); // literal 0
  // The 13-bit match pattern repeats every 13 bytes once 8 matches are written: copy it instead of writing bits.
  const first = Math.min(matches, 16);
  for (let m = 0; m < first; m++) { huff(0xc5, 8); huff(0, 5); }
  if (matches > first) {
    const start = bit; // 11 + 13*16 bits: a byte boundary plus 3 bits (11+208=219)
    const from = (start >> 3) - 13; // 13 whole bytes = 8 matches before the current byte
    const lastByte = start >> 3;
    const copyBits = 13 * (matches - first);
    const endBit = start + copyBits;
    for (let b = lastByte; b <= endBit >> 3; b++) out[b] = out[b - 13]!;
    // Clear what lies past the last match, then end the block.
    bit = endBit;
    out[bit >> 3]! &= (1 << (bit & 7)) - 1;
    for (let b = (bit >> 3) + 1; b < out.length; b++) out[b] = 0;
    void from;
  }
  huff(0, 7); // end of block
  return out.subarray(0, Math.ceil(bit / 8));
}

/**
 * A zip of deflated-zero entries. With `descriptor`, sizes are in a data descriptor after the data, as
 * streaming zip writers do: the local header says 0, so only inflating tells the real size. Without
 * it, the headers carry the true sizes. (CRCs are left 0: readers that stream do not check them first.)
 */
export function zipOfZeros(entries: Array<{ name: string; matches: number }>, descriptor: boolean): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = deflatedZeros(e.matches);
    const size = 1 + 258 * e.matches;
    const fn = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(descriptor ? 8 : 0, 6);
    local.writeUInt16LE(8, 8); // deflate
    if (!descriptor) {
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(size >>> 0, 22);
    }
    local.writeUInt16LE(fn.length, 26);
    const parts = [local, fn, Buffer.from(data)];
    if (descriptor) {
      const dd = Buffer.alloc(16);
      dd.writeUInt32LE(0x08074b50, 0);
      dd.writeUInt32LE(data.length, 8);
      dd.writeUInt32LE(size >>> 0, 12);
      parts.push(dd);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(descriptor ? 8 : 0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size >>> 0, 24);
    central.writeUInt16LE(fn.length, 28);
    central.writeUInt32LE(offset, 42);
    const local1 = Buffer.concat(parts);
    locals.push(local1);
    centrals.push(central, fn);
    offset += local1.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** One entry of zeros whose sizes only a data descriptor tells, about `compressedBytes` big. */
export function streamingZipBomb(name: string, compressedBytes: number): Buffer {
  return zipOfZeros([{ name, matches: Math.floor((compressedBytes * 8) / 13) }], true);
}

export { zipSync };

/** The same archive with every header flagged encrypted (bit 0), as `zip -P` writes them. */
export function flaggedEncrypted(zip: Uint8Array): Buffer {
  const z = Buffer.from(zip);
  for (let i = 0; i + 4 <= z.length; i++) {
    if (z.readUInt32LE(i) === 0x04034b50) z.writeUInt16LE(z.readUInt16LE(i + 6) | 1, i + 6);
    if (z.readUInt32LE(i) === 0x02014b50) z.writeUInt16LE(z.readUInt16LE(i + 8) | 1, i + 8);
  }
  return z;
}

/** Two entries with one name (zip tools allow it): `b.py` renamed to `a.py` in its headers. */
export function duplicateNames(first: string, second: string): Buffer {
  const z = Buffer.from(zipSync({ 'a.py': Buffer.from(first), 'b.py': Buffer.from(second) }, { level: 0 }));
  const from = Buffer.from('b.py');
  for (let i = z.indexOf(from); i >= 0; i = z.indexOf(from, i + 1)) Buffer.from('a.py').copy(z, i);
  return z;
}

/** Spawns a process and gives back its stderr as it comes, its exit status and signal. */
export function watch(args: string[], env: NodeJS.ProcessEnv): { child: ReturnType<typeof spawn>; stderr: () => string; done: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['--max-old-space-size=512', CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  child.stdout!.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => err, done };
}
