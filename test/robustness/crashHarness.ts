// Spawns the bundled CLI under a V8 heap limit and a time limit, for hostile-input probes:
// a run that needs more memory than the limit dies with a heap OOM (SIGABRT) instead of passing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CLI = path.resolve('dist/cli.js');

export interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

export function runCli(args: string[], o: { heapMb: number; timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, [`--max-old-space-size=${o.heapMb}`, CLI, ...args], {
      cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => p.kill('SIGKILL'), o.timeoutMs);
    p.on('error', reject);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ms: Date.now() - t0 });
    });
  });
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; write(name: string, text: string): string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    write(name, text) {
      const p = path.join(dir, name);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
      return p;
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** `depth` nested `while` loops in one C function (5,000 deep is ~60 KB). */
export function nestedWhileC(depth: number): string {
  return `int f(int x) {\n${'while (x) {\n'.repeat(depth)}x--;\n${'}\n'.repeat(depth)}return x;\n}\n`;
}

/** One Java method with an else-if chain of `links` branches, each assigning the same variable. */
export function elseIfJava(links: number): string {
  const parts = ['class A {\n  int f(int x) {\n    int y = 0;\n'];
  for (let i = 0; i < links; i++) parts.push(`    ${i ? 'else ' : ''}if (x == ${i}) { y = x + ${i}; }\n`);
  parts.push('    return y;\n  }\n}\n');
  return parts.join('');
}

/** One C function of `n` sibling statements, ten to a line. */
export function siblingStatementsC(n: number): string {
  const parts = ['int f(int *p) {\n  int x = 0;\n'];
  for (let i = 0; i < n; i++) parts.push(i % 10 === 9 ? 'x++;\n' : 'x++;');
  parts.push('\n  *p = x;\n  return x;\n}\n');
  return parts.join('');
}
