#!/usr/bin/env node
// Header disguise (competitive programmers' templates): every SOCO C program with a `main` of 15 lines or
// more, and a copy with a pasted header of includes, macros, typedefs and helpers it never uses. Score of
// each copy against its original (ours at default settings, Dolos in the same run) and whether our
// default report lists it. Writes HEADERS.md.
//
//   npm run build && node test/bench/similarity/headers.mjs [--no-dolos]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { soco } from './datasets.mjs';
import { ensureDolos, runDolos, runOurs } from './peers.mjs';

const HEADER = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#define ll long long
#define MAX(a,b) ((a)>(b)?(a):(b))
#define MIN(a,b) ((a)<(b)?(a):(b))
#define REP(i,n) for(int i=0;i<(n);i++)
#define MOD 1000000007
typedef unsigned long long ull;
typedef struct { int x, y; } pt;
static int readInt(void) { int c = getchar(), s = 1, x = 0; while (c != '-' && (c < '0' || c > '9')) c = getchar(); if (c == '-') { s = -1; c = getchar(); } while (c >= '0' && c <= '9') { x = x * 10 + c - '0'; c = getchar(); } return x * s; }
static ll gcd(ll a, ll b) { return b ? gcd(b, a % b) : a; }
static ll power(ll b, ll e, ll m) { ll r = 1; b %= m; while (e > 0) { if (e & 1) r = r * b % m; b = b * b % m; e >>= 1; } return r; }
static void swapInt(int *a, int *b) { int t = *a; *a = *b; *b = t; }
`;

const noDolos = process.argv.includes('--no-dolos');
const CACHE = process.env.CODE_ORIGIN_BENCH_CACHE ?? path.join(os.homedir(), '.cache/code-origin-bench');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'co-headers-'));
const dir = path.join(TMP, 'in');
fs.mkdirSync(dir);
const ds = soco('c');
const names = [];
for (const f of ds.files) {
  const src = fs.readFileSync(path.join(ds.dir, f), 'latin1');
  if (!/\bmain\s*\(/.test(src) || src.split('\n').length < 15) continue;
  const b = path.basename(f, '.c');
  fs.writeFileSync(path.join(dir, `${b}.c`), src, 'latin1');
  fs.writeFileSync(path.join(dir, `${b}_h.c`), `${HEADER}\n${src}`, 'latin1');
  names.push(b);
}
const key = (a, b) => [path.basename(a, '.c'), path.basename(b, '.c')].sort().join('|');
const ours = runOurs([dir], ['--judge', 'off'], TMP);
const byKey = new Map(ours.report.similarity.pairs.map((p) => [key(p.file1, p.file2), p]));
const d = noDolos ? null : runDolos(ensureDolos(CACHE), names.flatMap((b) => [path.join(dir, `${b}.c`), path.join(dir, `${b}_h.c`)]), 'c', TMP);
const dKey = new Map(d ? [...d.scores].map(([k, v]) => [key(...k.split('|')), v]) : []);
const rows = names.map((b) => {
  const p = byKey.get(key(`${b}.c`, `${b}_h.c`));
  return { b, ours: p?.similarity_score ?? 0, reported: !!p?.reported, dolos: dKey.get(key(`${b}.c`, `${b}_h.c`)) };
});
const stat = (xs) => {
  const s = xs.slice().sort((x, y) => x - y);
  return `${(s.reduce((a, x) => a + x, 0) / s.length).toFixed(3)} / ${s[Math.floor(s.length / 2)].toFixed(3)} / ${s[0].toFixed(3)}`;
};
const lines = [
  `# Header disguise (${new Date().toISOString()}, default settings)`,
  '',
  `Each of the ${names.length} SOCO C programs with a \`main\` of 15 lines or more, beside a copy with a pasted header of 4 includes, 5 macros, 2 typedefs and 4 helpers it never uses (a competitive programmer's template). Score of each copy against its original; all ${2 * names.length} files in one run.`,
  '',
  '| tool | copies | score mean / median / min | listed in the default report |',
  '|---|---|---|---|',
  `| Code Origin | ${rows.length} | ${stat(rows.map((r) => r.ours))} | ${rows.filter((r) => r.reported).length} of ${rows.length} |`,
  d ? `| Dolos 3.5.1 (k=23, w=17) | ${rows.length} | ${stat(rows.map((r) => r.dolos ?? 0))} | – |` : '| Dolos | not run (--no-dolos) | | |',
  '',
];
fs.writeFileSync(path.join(import.meta.dirname, 'HEADERS.md'), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
fs.rmSync(TMP, { recursive: true, force: true });
