// For the hostile-endpoint judge probes: a local HTTP server speaking (or abusing) Gemini's REST API,
// and the bundled CLI run as a separate process, with its wall time and peak resident memory.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const KEY = 'AIzaHOSTILE-probe-key-9f8e7d6c5b4a';
export const CLI = path.resolve('dist/cli.js');
export const FIXTURES = path.resolve('test/judge/fixtures');

export interface Seen { url: string; headers: http.IncomingHttpHeaders; body: string; at: number }
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number, body: string) => void;

export interface Stub {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

export async function startStub(handler: Handler): Promise<Stub> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body, at: Date.now() });
      res.on('error', () => undefined);
      handler(req, res, seen.length - 1, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      // Hanging and dripping replies hold their sockets: drop them so close() returns.
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export function verdictBody(text: string): string {
  return JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP' }] });
}

export function sendJson(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
}

export const VERDICT = { classification: 'LIKELY_COPY', confidence: 'HIGH', algorithm_detected: null, reasoning: 'Same quirks in both.' };

/** Two near-copies the local judge is not sure enough about (score < 0.95), so Gemini is asked. */
export function writePair(dir: string): string[] {
  const a = path.join(dir, 'fold.py');
  const b = path.join(dir, 'walk.py');
  fs.writeFileSync(a, 'def fold(steps, mirror):\n    pos = 0\n    for s in steps:\n        pos += -s if s % 3 == 0 else s\n    return pos * 31\n');
  fs.writeFileSync(b, 'def walk(moves, wall):\n    at = 0\n    for m in moves:\n        at += -m if m % 3 == 0 else m\n    return at * 31 + 1\n');
  return [a, b];
}

export interface CliRun { code: number | null; signal: NodeJS.Signals | null; stdout: Buffer; stderr: Buffer; ms: number; peakRssMb: number; end: number }

/** Runs the CLI with the stub as Gemini endpoint; killed (and reported) past `killAfterMs`. */
export function runCli(args: string[], stubUrl: string, o: { heapMb?: number; killAfterMs?: number; cwd?: string } = {}): Promise<CliRun> {
  const start = Date.now();
  const node = o.heapMb ? [`--max-old-space-size=${o.heapMb}`] : [];
  const child = spawn(process.execPath, [...node, CLI, ...args], {
    cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GEMINI_API_KEY: KEY, GOOGLE_GEMINI_BASE_URL: stubUrl },
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  let peakKb = 0;
  // VmHWM is the process's peak resident set so far; the last reading before exit is its peak.
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // exited
    }
  }, 20);
  const killer = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs ?? 60_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(killer);
      const end = Date.now();
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err), ms: end - start, peakRssMb: peakKb / 1024, end });
    });
  });
}

/** Every file under `dir`, recursively. */
export function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}
