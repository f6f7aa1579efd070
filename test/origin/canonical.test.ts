// Formatting-invariant origin input (issue 19): formatting variants of one snippet give identical canonical
// text, different code gives different text, the map points back into the source, bad input never throws,
// and, where the real formatters are installed, their output canonicalizes like the input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalizeForOrigin, CANONICAL_VERSION } from '../../server/src/origin/canonical';
import { identifierShape } from '../../server/src/origin/identifierShape';
import { sourceSpan } from '../../server/src/origin/model';
import type { LanguageId } from '../../server/src/core/languages';

const crlf = (s: string): string => s.replace(/\n/g, '\r\n');

interface Case {
  lang: LanguageId;
  variants: string[];
  different: string[];
}

const CASES: Case[] = [
  {
    lang: 'python',
    variants: [
      `import sys\nimport os\nfrom a.b import (c,\n    d,)\n\nclass Acc():\n    '''Totals   things.'''\n    def add(self, xs, k=0XFF):\n        # add them all up and return the\n        # total of the values\n        total = sum(xs) + k * 2\n        return {'total': total, 'name': u'it\\'s',}\n`,
      `import os\nimport sys\nfrom a.b import c, d\n\n\nclass Acc:\n    """Totals things."""\n\n    def add(self, xs, k=0xFF):\n        # add them all up and return the total of the values\n        total = (\n            sum(xs)\n            + k * 2\n        )\n        return {\n            "total": total,\n            "name": "it's"\n        }\n`,
      crlf(`\uFEFFimport os\nimport sys\nfrom a.b import (\n  c, d\n)\nclass Acc:\n  """\n  Totals things.\n  """\n  def add(self, xs, k=0xff):\n    #   add them all up and return the total of the values\n    total = sum(xs) + \\\n      k * 2\n    return {"total": total, "name": "it's"}\n`),
    ],
    different: [
      `import os\nimport sys\nclass Acc:\n    """Totals things."""\n    def add(self, xs, k=0xff):\n        # add them all up and return the total of the values\n        total = sum(xs) - k * 2\n        return {"total": total, "name": "it's"}\n`,
      `import os\nimport sys\nclass Acc:\n    """Totals things."""\n    def add(self, ys, k=0xff):\n        # add them all up and return the total of the values\n        total = sum(ys) + k * 2\n        return {"total": total, "name": "it's"}\n`,
    ],
  },
  {
    lang: 'javascript',
    variants: [
      `import { b } from 'b'\nimport a from "a"\nconst double = (x) => x * 2\nfunction run(items, opts) {\n  const out = items.map(x => double(x)).filter((y) => (y > .5))\n  return { out, label: 'it\\'s done', }\n}\n`,
      `import a from "a";\nimport { b } from "b";\nconst double = (x) => x * 2;\nfunction run(items, opts) {\n  const out = items\n    .map((x) => double(x))\n    .filter((y) => y > 0.5);\n  return {\n    out,\n    label: "it's done",\n  };\n}\n`,
    ],
    different: [
      `import a from "a";\nimport { b } from "b";\nconst double = (x) => x * 3;\nfunction run(items, opts) {\n  const out = items.map((x) => double(x)).filter((y) => y > 0.5);\n  return { out, label: "it's done" };\n}\n`,
    ],
  },
  {
    lang: 'typescript',
    variants: [
      `import { Z } from './z'\nimport { A } from './a'\nexport function total(xs: number[], scale = 1.50): number {\n  const f = (v) => v * scale\n  return xs.map(f).reduce((a: number, b: number) => a + b, 0)\n}\n`,
      `import { A } from "./a";\nimport { Z } from "./z";\nexport function total(\n  xs: number[],\n  scale = 1.5,\n): number {\n  const f = v => v * scale;\n  return xs\n    .map(f)\n    .reduce((a: number, b: number) => a + b, 0);\n}\n`,
    ],
    different: [
      `import { A } from "./a";\nimport { Z } from "./z";\nexport function total(xs: number[], scale = 1.5): number {\n  const f = (v) => v / scale;\n  return xs.map(f).reduce((a: number, b: number) => a + b, 0);\n}\n`,
    ],
  },
  {
    lang: 'java',
    variants: [
      `import java.util.List;\nimport java.io.File;\n\npublic class Acc {\n    /** Sums the values of the given list and\n     *  returns their total. */\n    public int sum(List<Integer> xs) {\n        int t = 0;\n        for (int x : xs) { if (x > 0) { t += x; } }\n        return t;\n    }\n}\n`,
      `import java.io.File;\nimport java.util.List;\n\npublic class Acc\n{\n  /** Sums the values of the given list and returns their total. */\n  public int sum(List<Integer> xs)\n  {\n    int t = 0;\n    for (int x : xs)\n    {\n      if (x > 0)\n      {\n        t += x;\n      }\n    }\n    return t;\n  }\n}\n`,
    ],
    different: [
      `import java.io.File;\nimport java.util.List;\npublic class Acc {\n  /** Sums the values of the given list and returns their total. */\n  public int sum(List<Integer> xs) {\n    int t = 0;\n    for (int x : xs) { if (x >= 0) { t += x; } }\n    return t;\n  }\n}\n`,
    ],
  },
  {
    lang: 'c',
    variants: [
      `#include <stdlib.h>\n#include <stdio.h>\n#define SQ(x) ((x)*(x))\n/* Prints the squares\n * of the numbers. */\nint main(void) {\n    for (int i = 0; i < 10; i++) printf("%d\\n", SQ(i));\n    return 0;\n}\n`,
      `# include <stdio.h>\n#include <stdlib.h>\n#  define SQ(x) ((x) * (x))\n// Prints the squares of the numbers.\nint main(void)\n{\n  for (int i = 0; i < 10; i++)\n    printf("%d\\n",\n           SQ(i));\n  return 0;\n}\n`,
    ],
    different: [
      `#include <stdio.h>\n#include <stdlib.h>\n#define SQ(x) ((x) * (x))\n// Prints the squares of the numbers.\nint main(void) {\n  for (int j = 0; j < 10; j++) printf("%d\\n", SQ(j));\n  return 0;\n}\n`,
    ],
  },
  {
    lang: 'cpp',
    variants: [
      `#include <vector>\n#include <algorithm>\nnamespace util {\nint largest(const std::vector<int>& v) { return *std::max_element(v.begin(), v.end()); }\n}\n`,
      `#include <algorithm>\n#include <vector>\n\nnamespace util {\nint largest(const std::vector<int> &v) {\n  return *std::max_element(v.begin(),\n                           v.end());\n}\n}  // namespace util\n`,
    ],
    different: [
      `#include <algorithm>\n#include <vector>\nnamespace util {\nint largest(const std::vector<int>& v) { return *std::min_element(v.begin(), v.end()); }\n}\n`,
    ],
  },
  {
    lang: 'go',
    variants: [
      `package main\n\nimport (\n\t"os"\n\t"fmt"\n)\n\nfunc main() {\n\txs := []int{1, 2, 3}\n\tfor _, x := range xs { fmt.Println(x) }; os.Exit(0)\n}\n`,
      `package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\txs := []int{\n\t\t1,\n\t\t2,\n\t\t3,\n\t}\n\tfor _, x := range xs {\n\t\tfmt.Println(x)\n\t}\n\tos.Exit(0)\n}\n`,
    ],
    different: [
      `package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\txs := []int{1, 2, 4}\n\tfor _, x := range xs {\n\t\tfmt.Println(x)\n\t}\n\tos.Exit(0)\n}\n`,
    ],
  },
  {
    lang: 'rust',
    variants: [
      `use std::io;\nuse std::collections::{HashMap, BTreeMap};\n\nfn pick(x: i32) -> i32 {\n    let m: HashMap<i32, i32> = HashMap::new();\n    match x { 0 => { 1 }, _ => x * 2 }\n}\n/// Does the thing\n/// in two lines.\nfn run() { pick(3); }\n`,
      `use std::collections::{BTreeMap, HashMap};\nuse std::io;\n\nfn pick(x: i32) -> i32 {\n    let m: HashMap<i32, i32> =\n        HashMap::new();\n    match x {\n        0 => {\n            1\n        }\n        _ => x * 2,\n    }\n}\n/// Does the thing in two lines.\nfn run() {\n    pick(3);\n}\n`,
    ],
    different: [
      `use std::collections::{BTreeMap, HashMap};\nuse std::io;\nfn pick(x: i32) -> i32 {\n    let m: HashMap<i32, i32> = HashMap::new();\n    match x { 0 => { 1 } _ => x * 3 }\n}\n/// Does the thing in two lines.\nfn run() { pick(3) }\n`,
    ],
  },
];

describe(`canonical origin input (${CANONICAL_VERSION})`, () => {
  for (const c of CASES) {
    it(`${c.lang}: formatting variants give identical text, different code a different one`, async () => {
      const base = await canonicalizeForOrigin(c.variants[0]!, c.lang);
      assert.ok(base.text.length > 20, base.text);
      assert.ok(!/\n|\s\s/.test(base.text), 'no newlines or double spaces');
      for (const v of c.variants.slice(1)) {
        assert.equal((await canonicalizeForOrigin(v, c.lang)).text, base.text);
        assert.equal((await canonicalizeForOrigin(crlf(v), c.lang)).text, base.text, 'CRLF');
      }
      for (const d of c.different) assert.notEqual((await canonicalizeForOrigin(d, c.lang)).text, base.text);
    });
  }

  it('maps every canonical character back into the source', async () => {
    for (const c of CASES) {
      for (const src of c.variants) {
        const { text, map } = await canonicalizeForOrigin(src, c.lang);
        assert.equal(map.length, text.length + 1);
        assert.equal(map[text.length], src.length);
        for (let i = 0; i < text.length; i++) {
          assert.ok(map[i]! >= 0 && map[i]! < src.length, `${c.lang} map[${i}] in range`);
          // Letters are never synthesized, only lowercased (numbers, string prefixes); digits may be (prettier's `.5` → `0.5`).
          if (/[A-Za-z_]/.test(text[i]!)) assert.equal(src[map[i]!]!.toLowerCase(), text[i]!.toLowerCase(), `${c.lang} char ${i} of ${text}`);
        }
      }
    }
  });

  it('maps an identifier token to its own position', async () => {
    const src = 'def f(a):\n    return   compute_total(a)\n';
    const { text, map } = await canonicalizeForOrigin(src, 'python');
    const at = text.indexOf('compute_total');
    const srcAt = src.indexOf('compute_total');
    for (let i = 0; i < 'compute_total'.length; i++) assert.equal(map[at + i], srcAt + i);
    // The separator space before a token maps to that token's start.
    assert.equal(map[at - 1], srcAt);
  });

  it('keeps non-ASCII source positions in UTF-16 units', async () => {
    const src = 'x = "héllo 😀"\ny = x\n';
    const { text, map } = await canonicalizeForOrigin(src, 'python');
    const at = text.lastIndexOf('y');
    assert.equal(map[at], src.indexOf('y ='));
  });

  it('falls back to whitespace collapse for an unknown language', async () => {
    const r = await canonicalizeForOrigin('\uFEFF  <?php\r\n  echo   "a  b";\r\n', 'unknown');
    assert.equal(r.text, '<?php echo "a b";');
    assert.equal(r.map.length, r.text.length + 1);
    assert.equal(r.map[0], 3);
    assert.equal((await canonicalizeForOrigin('', 'unknown')).text, '');
    assert.equal((await canonicalizeForOrigin('', 'python')).text, '');
  });

  it('canonicalizes 200 KB of deep nesting and syntax errors without throwing', async function () {
    this.timeout(60000);
    const deep = '('.repeat(20000) + '1' + ')'.repeat(20000);
    const junk = 'def f(:\n  ]] "unterminated\n  }{ /* \n'.repeat(4000);
    for (const lang of ['python', 'javascript', 'typescript', 'java', 'c', 'cpp', 'go', 'rust'] as const) {
      for (const src of [`x = ${deep}\n`, junk.slice(0, 200_000)]) {
        const r = await canonicalizeForOrigin(src, lang);
        assert.equal(r.map.length, r.text.length + 1);
        assert.ok(r.text.length > 0);
      }
    }
  });

  it('is fast on a 300-line file', async () => {
    const fn = 'def f{i}(a, b):\n    """Doc."""\n    x = [a, b, "s{i}"]  # note\n    return (a + b) * {i}\n\n';
    const src = Array.from({ length: 60 }, (_, i) => fn.replace(/\{i\}/g, String(i))).join('');
    await canonicalizeForOrigin(src, 'python');
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < 10; k++) await canonicalizeForOrigin(src, 'python');
    const ms = Number(process.hrtime.bigint() - t0) / 1e7;
    assert.ok(ms < 50, `${ms.toFixed(1)} ms per 300-line file`);
  });
});

/** Real formatters, where installed: their output canonicalizes like their input. */
const FORMATTED: { lang: LanguageId; ext: string; tool: string; args: (f: string) => string[]; src: string }[] = [
  {
    lang: 'python', ext: 'py', tool: 'black', args: (f) => ['-q', '-l', '40', f],
    src: `import os\nclass Acc(object):\n  '''Totals.'''\n  def add(self, xs, key='k', scale=0XFF, other_argument=None):\n    d = {'a': 1, 'b': [1,2,3], 'long_key_name': xs[0] + xs[1] * scale}\n    return d if d['a'] else u'nothing here at all'\n`,
  },
  {
    lang: 'java', ext: 'java', tool: 'clang-format', args: (f) => ['-i', '--style={BasedOnStyle: Google, ColumnLimit: 40}', f],
    src: `import java.util.Map;\nimport java.util.List;\npublic class Acc {\n// Sums the values of the given list and returns the total of them all.\npublic int sum(List<Integer> xs, Map<String,Integer> m) { int t = 0; for (int x : xs) { if (x > 0 && m.containsKey("k")) t += x * m.get("k"); } return t; }\n}\n`,
  },
  {
    lang: 'cpp', ext: 'cpp', tool: 'clang-format', args: (f) => ['-i', '--style={BasedOnStyle: LLVM, ColumnLimit: 40}', f],
    src: `#include <vector>\n#include <algorithm>\nnamespace util {\n// Returns the largest value of the vector, or zero when the vector is empty.\nint largest(const std::vector<int>& v) { if (v.empty()) return 0; return *std::max_element(v.begin(), v.end()); }\n}\n`,
  },
  {
    lang: 'c', ext: 'c', tool: 'clang-format', args: (f) => ['-i', '--style={BasedOnStyle: GNU, ColumnLimit: 40}', f],
    src: `#include <stdlib.h>\n#include <stdio.h>\n#define SQ(x) ((x)*(x))\nint main(int argc, char **argv) { for (int i = 0; i < argc; i++) printf("%d %s\\n", SQ(i), argv[i]); return 0; }\n`,
  },
  {
    lang: 'go', ext: 'go', tool: 'gofmt', args: (f) => ['-w', f],
    src: `package main\nimport (\n"os"\n"fmt"\n)\nfunc main() {\nxs := []int{1, 2,\n3}\nfor _, x := range xs { fmt.Println(x) }; os.Exit(0)\n}\n`,
  },
  {
    lang: 'rust', ext: 'rs', tool: 'rustfmt', args: (f) => ['--edition', '2021', '--config', 'max_width=40', f],
    src: `use std::io;\nuse std::collections::{HashMap, BTreeMap};\nfn pick(x: i32, name: &str) -> i32 {\n    let m: HashMap<i32, i32> = HashMap::new();\n    match x { 0 => { 1 }, 1 => return x, _ => x * 2 + name.len() as i32 }\n}\n`,
  },
];

function installed(tool: string): boolean {
  return spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0 || spawnSync('which', [tool]).status === 0;
}

describe('canonical origin input tokens-v2 (identifier shapes)', () => {
  it('writes each identifier as its shape: casing, word count, length class', () => {
    const cases: Array<[string, string]> = [
      ['moving_average', 'sn2'], ['MAX_SIZE', 'UP2'], ['HashMap', 'Pa2'], ['nextInt', 'ca2'], ['i', 'x'], ['N', 'X'],
      ['total', 'wm'], ['sum', 'ws'], ['accumulator', 'wl'], ['_private_helper', '_sn2'], ['__init__', '_wm'],
      ['getHTTPResponseCode', 'ca3'], ['x1', 'ws'], ['$el', 'ws'],
    ];
    for (const [id, shape] of cases) assert.equal(identifierShape(id), shape, id);
  });

  for (const c of CASES) {
    it(`${c.lang}: formatting variants give identical text; names no longer matter, structure still does`, async () => {
      const base = await canonicalizeForOrigin(c.variants[0]!, c.lang, 'tokens-v2');
      for (const v of c.variants.slice(1)) assert.equal((await canonicalizeForOrigin(v, c.lang, 'tokens-v2')).text, base.text);
      const v1 = await canonicalizeForOrigin(c.variants[0]!, c.lang, 'tokens-v1');
      assert.notEqual(base.text, v1.text);
      // the same tokens, one for one: only identifiers differ
      assert.equal(base.text.split(' ').length, v1.text.split(' ').length);
    });
  }

  it('maps a shaped identifier back onto the whole name in the source', async () => {
    const src = 'import zlib\nimport abcdef\n\ndef f(a):\n    return   compute_total(a)\n';
    const { text, map } = await canonicalizeForOrigin(src, 'python', 'tokens-v2');
    assert.equal(text, 'import wm import wm def x ( x ) : return sn2 ( x )');
    const at = text.indexOf('sn2');
    const sp = sourceSpan(map, at, at + 3);
    assert.equal(src.slice(sp.start, sp.end), 'compute_total');
    // imports are sorted by their names, as formatters sort them, not by their shapes
    const w = text.indexOf('wm');
    assert.equal(src.slice(map[w]!, map[w]! + 3), 'abc');
  });
});

describe('canonical origin input vs real formatters', () => {
  for (const f of FORMATTED) {
    it(`${f.lang}: ${f.tool} output canonicalizes like its input`, async function () {
      if (!installed(f.tool)) {
        console.log(`    (skipped: ${f.tool} is not installed)`);
        this.skip();
      }
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canon-fmt-'));
      const file = path.join(dir, `sample.${f.ext}`);
      fs.writeFileSync(file, f.src);
      const run = spawnSync(f.tool, f.args(file), { encoding: 'utf8', timeout: 30000 });
      assert.equal(run.status, 0, `${f.tool} failed: ${run.stderr}`);
      const formatted = fs.readFileSync(file, 'utf8');
      fs.rmSync(dir, { recursive: true, force: true });
      assert.notEqual(formatted, f.src, 'the formatter changed the layout');
      const [a, b] = [(await canonicalizeForOrigin(formatted, f.lang)).text, (await canonicalizeForOrigin(f.src, f.lang)).text];
      assert.ok(a === b, `formatted:\n${formatted}\n${a}\n${b}`);
    });
  }
});
