// Every catalog entry is recognised by its structural signature, in both canonical forms.
import assert from 'node:assert/strict';
import { CATALOG } from '../../server/src/judge/local/catalog';
import { detectAlgorithms } from '../../server/src/judge/local/detect';
import { matchSignatures } from '../../server/src/judge/local/signatures';
import { tokenize } from '../../server/src/judge/local/tokens';
import { namedText } from '../../server/src/judge/local/detect';

describe('judge catalog', () => {
  for (const entry of CATALOG) {
    for (const form of ['python', 'c'] as const) {
      it(`${entry.name} (${form}) matches its own signature`, async () => {
        const file = await tokenize(entry[form], form);
        const fnName = file.functions[0]?.name ?? '';
        const text = namedText(file.tokens);
        const recursive = file.tokens.filter((t) => t.name === fnName).length > 1;
        // Names are withheld: the structure alone must be recognised.
        const found = matchSignatures(text, '', recursive);
        const detected = (await detectAlgorithms(file)).map((d) => d.name);
        assert.ok(found.includes(entry.name) || detected.includes(entry.name), `${entry.name}: signatures ${JSON.stringify(found)}, detected ${JSON.stringify(detected)}\n${text}`);
      });
    }
  }
});

// Implementations written for this test in the other languages: the signatures read them all alike.
const OTHERS: Array<{ lang: 'java' | 'javascript' | 'typescript' | 'go' | 'rust' | 'cpp' | 'c'; algorithm: string; src: string }> = [
  { lang: 'java', algorithm: 'binary search', src: 'class B { static int find(int[] xs, int t) { int l = 0, r = xs.length - 1; while (l <= r) { int m = (l + r) >>> 1; if (xs[m] == t) return m; if (xs[m] < t) l = m + 1; else r = m - 1; } return -1; } }' },
  { lang: 'go', algorithm: 'gcd (Euclid)', src: 'package main\nfunc gcd(a, b int) int {\n\tfor b != 0 {\n\t\ta, b = b, a%b\n\t}\n\treturn a\n}\n' },
  { lang: 'rust', algorithm: 'fast power (exponentiation by squaring)', src: 'fn mod_pow(mut b: u64, mut e: u64, m: u64) -> u64 {\n    let mut r = 1;\n    b %= m;\n    while e > 0 {\n        if e & 1 == 1 { r = r * b % m; }\n        b = b * b % m;\n        e >>= 1;\n    }\n    r\n}\n' },
  { lang: 'javascript', algorithm: 'sieve of Eratosthenes', src: 'function primes(n) {\n  const comp = new Array(n + 1).fill(false);\n  for (let p = 2; p * p <= n; p++) {\n    if (!comp[p]) for (let q = p * p; q <= n; q += p) comp[q] = true;\n  }\n  return comp;\n}\n' },
  { lang: 'typescript', algorithm: 'union-find (disjoint set union)', src: 'function root(up: number[], x: number): number {\n  while (up[x] !== x) { up[x] = up[up[x]]; x = up[x]; }\n  return x;\n}\n' },
  { lang: 'cpp', algorithm: 'insertion sort', src: 'void isort(std::vector<int>& v) {\n  for (size_t i = 1; i < v.size(); ++i) {\n    int cur = v[i]; int j = i - 1;\n    while (j >= 0 && v[j] > cur) { v[j + 1] = v[j]; --j; }\n    v[j + 1] = cur;\n  }\n}\n' },
];

describe('judge catalog across languages', () => {
  for (const o of OTHERS) {
    it(`${o.algorithm} in ${o.lang}`, async () => {
      const file = await tokenize(o.src, o.lang);
      const detected = (await detectAlgorithms(file)).map((d) => d.name);
      assert.ok(detected.includes(o.algorithm), `${JSON.stringify(detected)}\n${namedText(file.tokens)}`);
    });
  }
});
