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
import zlib from 'node:zlib';
import { SHARED, soco } from './datasets.mjs';
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

const HEADER_CPP = `#include <bits/stdc++.h>
using namespace std;
#define ll long long
#define pb push_back
#define all(x) (x).begin(), (x).end()
typedef pair<int, int> pii;
using vi = vector<int>;
const int MOD = 1e9 + 7;
const int INF = 1e9;
template <typename T> T gcd(T a, T b) { return b ? gcd(b, a % b) : a; }
template <typename T> void print(const vector<T> &v) { for (auto &x : v) cout << x << ' '; cout << '\\n'; }
ll power(ll b, ll e) { ll r = 1; while (e) { if (e & 1) r = r * b % MOD; b = b * b % MOD; e >>= 1; } return r; }
struct DSU { vector<int> p; DSU(int n) : p(n) { iota(p.begin(), p.end(), 0); } int find(int x) { return p[x] == x ? x : p[x] = find(p[x]); } void unite(int a, int b) { p[find(a)] = find(b); } };
`;

const noDolos = process.argv.includes('--no-dolos');
const CACHE = process.env.CODE_ORIGIN_BENCH_CACHE ?? path.join(os.homedir(), '.cache/code-origin-bench');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'co-headers-'));
const stat = (xs) => {
  const s = xs.slice().sort((x, y) => x - y);
  return `${(s.reduce((a, x) => a + x, 0) / s.length).toFixed(3)} / ${s[Math.floor(s.length / 2)].toFixed(3)} / ${s[0].toFixed(3)}`;
};
const key = (a, b) => [path.basename(a), path.basename(b)].sort().join('|');
const dolosDir = noDolos ? null : ensureDolos(CACHE);

/** Writes each program and its copy with `header` into a folder of its own, scores all in one run. */
function measure(name, programs, ext, header, language) {
  const dir = path.join(TMP, name);
  fs.mkdirSync(dir);
  for (const [b, src] of programs) {
    fs.writeFileSync(path.join(dir, `${b}${ext}`), src, 'latin1');
    fs.writeFileSync(path.join(dir, `${b}_h${ext}`), `${header}\n${src}`, 'latin1');
  }
  const ours = runOurs([dir], ['--judge', 'off'], TMP);
  const byKey = new Map(ours.report.similarity.pairs.map((p) => [key(p.file1, p.file2), p]));
  const d = dolosDir ? runDolos(dolosDir, programs.flatMap(([b]) => [path.join(dir, `${b}${ext}`), path.join(dir, `${b}_h${ext}`)]), language, TMP) : null;
  const dKey = new Map(d ? [...d.scores].map(([k, v]) => [key(...k.split('|')), v]) : []);
  const rows = programs.map(([b]) => {
    const k = key(`${b}${ext}`, `${b}_h${ext}`);
    return { ours: byKey.get(k)?.similarity_score ?? 0, reported: !!byKey.get(k)?.reported, dolos: dKey.get(k) ?? 0 };
  });
  return [
    `| ${name}, Code Origin | ${rows.length} | ${stat(rows.map((r) => r.ours))} | ${rows.filter((r) => r.reported).length} of ${rows.length} |`,
    d ? `| ${name}, Dolos 3.5.1 (k=23, w=17) | ${rows.length} | ${stat(rows.map((r) => r.dolos))} | – |` : `| ${name}, Dolos | not run (--no-dolos) | | |`,
  ];
}

// SOCO C: every program with a main of 15 lines or more.
const ds = soco('c');
const cPrograms = [];
for (const f of ds.files) {
  const src = fs.readFileSync(path.join(ds.dir, f), 'latin1');
  if (/\bmain\s*\(/.test(src) && src.split('\n').length >= 15) cPrograms.push([path.basename(f, '.c'), src]);
}
// C++: the first 30 human C++ programs of the origin pool with a main of 15-150 lines.
const cppPrograms = [];
for (const line of zlib.gunzipSync(fs.readFileSync(path.join(SHARED, 'datasets/origin/pool.jsonl.gz'))).toString('utf8').split('\n')) {
  if (!line || cppPrograms.length >= 30) continue;
  const r = JSON.parse(line);
  const n = r.code?.split('\n').length ?? 0;
  if (r.language === 'cpp' && r.label === 'human' && /\bmain\s*\(/.test(r.code) && n >= 15 && n <= 150) cppPrograms.push([`p${String(cppPrograms.length).padStart(2, '0')}`, r.code]);
}
const table = [...measure('SOCO C', cPrograms, '.c', HEADER, 'c'), ...measure('C++ (origin pool, human)', cppPrograms, '.cpp', HEADER_CPP, 'cpp')];
const lines = [
  `# Header disguise (${new Date().toISOString()}, default settings)`,
  '',
  `Programs beside a copy with a pasted header they never use (a competitive programmer's template): for C (${cPrograms.length} SOCO C programs with a \`main\` of 15 lines or more) 4 includes, 5 macros, 2 typedefs and 4 helpers; for C++ (${cppPrograms.length} human programs of the origin pool with a \`main\`, 15-150 lines) an include, macros, aliases, constants, templates and a struct. Score of each copy against its original; each language's files in one run.`,
  '',
  '| set, tool | copies | score mean / median / min | listed in the default report |',
  '|---|---|---|---|',
  ...table,
  '',
];
fs.writeFileSync(path.join(import.meta.dirname, 'HEADERS.md'), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
fs.rmSync(TMP, { recursive: true, force: true });
