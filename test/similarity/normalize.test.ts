// Normalizations that keep disguised copies close: dead code (unused statements and variables,
// unreachable code) is left out of every feature, a single-use helper is read as its body at the call
// site (extract-function), and the control-flow builder handles any nesting depth without a cap.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { detectLanguage, type LanguageId } from '../../server/src/core/languages';
import { parseSource } from '../../server/src/core/parser';
import { buildCfgs } from '../../server/src/similarity/cfg';
import { defUseEdges } from '../../server/src/similarity/dataflow';
import { deadStatements } from '../../server/src/similarity/deadcode';
import { extract } from '../../server/src/similarity/extract';
import { analyseSource, DEFAULT_FEATURE_OPTIONS, featuresOfSource, type FileFeatures } from '../../server/src/similarity/features';
import { docKeys } from '../../server/src/judge/local/context';
import { tokenize, TokenWalk } from '../../server/src/judge/local/tokens';
import { inlineCalls } from '../../server/src/similarity/inline';

/** Source text of the statements judged dead. */
async function dead(src: string, lang: LanguageId): Promise<string[]> {
  const p = await parseSource(src, lang);
  try {
    const x = extract(p, { minSubtree: 8 });
    const keys = deadStatements(x, defUseEdges(x).edges, { assignmentsDeclare: lang === 'python' });
    const found: string[] = [];
    const stack = [x.root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      for (const c of n.children) stack.push(c);
      if (keys.has(n.start * 0x10000 + n.type)) found.push(src.slice(n.start).split('\n')[0]!.trim());
    }
    return found.sort();
  } finally {
    p.dispose();
  }
}

const view = (f: FileFeatures) => ({ ast: [...f.astSet], fp: [...f.fpSet], cfg: [...f.cfg], df: [...f.df] });

async function sameFeatures(a: string, b: string, lang: LanguageId): Promise<void> {
  assert.deepEqual(view(await featuresOfSource(b, lang)), view(await featuresOfSource(a, lang)));
}

const JAVA = `class A {
    static int sum(int[] xs) {
        int total = 0;
        for (int i = 0; i < xs.length; i++) {
            total += xs[i];
            System.out.println(total);
        }
        return total;
    }
}
`;

describe('dead code', () => {
  it('an unused variable and an if that only updates it are dead; the copy has the same features', async () => {
    const copy = JAVA.replace('int total = 0;', 'int total = 0;\n        int deadVar = 0;\n        if (deadVar > 1) {\n            deadVar = deadVar + 1;\n        }');
    assert.deepEqual(await dead(copy, 'java'), ['if (deadVar > 1) {', 'int deadVar = 0;']);
    await sameFeatures(JAVA, copy, 'java');
  });

  it('statements after a return are unreachable, even calls', async () => {
    const copy = JAVA.replace('return total;', 'return total;\n        System.out.println(1);');
    assert.deepEqual(await dead(copy, 'java'), ['System.out.println(1);']);
    await sameFeatures(JAVA, copy, 'java');
  });

  it('a loop computing values nobody reads is dead as a whole', async () => {
    const copy = JAVA.replace('return total;', 'int junk = 3;\n        for (int k = 0; k < 10; k++) { junk = junk * k; }\n        return total;');
    assert.deepEqual(await dead(copy, 'java'), ['for (int k = 0; k < 10; k++) { junk = junk * k; }', 'int junk = 3;']);
    await sameFeatures(JAVA, copy, 'java');
  });

  it('keeps what is observable: calls, constructions, writes through fields and elements, non-local names, jumps', async () => {
    assert.deepEqual(await dead(`class B {
    int count;
    int[] cells = new int[4];
    void f(int a) {
        int unusedButRead = read();
        Object o = new Object();
        this.count = a;
        cells[0] = a;
        count = a + 1;
        while (a > 0) { a--; if (a == 3) break; }
    }
    int read() { return 1; }
}
`, 'java'), []);
  });

  it('a dead store goes but the declaration of a used name stays (C), and Python assignments are declarations', async () => {
    assert.deepEqual(await dead('int f(void) {\n  int x;\n  int y = 1;\n  x = 2;\n  x = g();\n  return x;\n}\n', 'c'), ['int y = 1;', 'x = 2;']);
    assert.deepEqual(await dead('def f():\n    x = 1\n    x = input()\n    unused = x * 2\n    return x\n', 'python'), ['unused = x * 2', 'x = 1']);
  });

  it('Python names declared global are not local: writing them is observable', async () => {
    assert.deepEqual(await dead('count = 0\ndef bump():\n    global count\n    count = count + 1\n', 'python'), []);
  });

  it('a name read by a nested function keeps its definition', async () => {
    assert.deepEqual(await dead('function f(xs) {\n  const k = 2;\n  return xs.map((x) => x * k);\n}\n', 'javascript'), []);
  });

  it('compound assignments read their target, so earlier updates stay live (Java, C)', async () => {
    assert.deepEqual(await dead('class A { int f(int a) { int s = 0; s += a; s -= 1; return s; } }', 'java'), []);
    assert.deepEqual(await dead('int f(int a) {\n  int s = 0;\n  s <<= a;\n  s |= 1;\n  return s;\n}\n', 'c'), []);
  });

  it('C++: stream operators are effects, reference parameters are the caller\'s, `T x(args);` declares x', async () => {
    assert.deepEqual(await dead('void f(int &out, int n) {\n  std::cout << n;\n  std::cin >> n;\n  out = n;\n}\n', 'cpp'), []);
    assert.deepEqual(await dead('int f(int n) {\n  Tree t(n, 2);\n  Tree unused(n);\n  return t.size();\n}\n', 'cpp'), ['Tree unused(n);']);
  });

  it('names read inside f-strings and template strings are uses', async () => {
    assert.deepEqual(await dead('def f(a):\n    s = a * 2\n    return f"{s:>4}"\n', 'python'), []);
    assert.deepEqual(await dead('function f(a) {\n  const s = a * 2;\n  return `v=${s}`;\n}\n', 'javascript'), []);
  });

  it('functions with syntax errors are left as they are', async () => {
    assert.deepEqual(await dead('int f(void) {\n  int unused = 1;\n  x = = 2;\n  return 0;\n}\n', 'c'), []);
  });
});

describe('extract function', () => {
  const ORIG = `class C {
    static int total;
    static void run(int[] xs) {
        int acc = 0;
        for (int i = 0; i < xs.length; i++) {
            acc = acc + xs[i];
            total = acc;
        }
        System.out.println(acc);
    }
}
`;
  const EXTRACTED = `class C {
    static int total;
    static void run(int[] xs) {
        int acc = 0;
        for (int i = 0; i < xs.length; i++) { step(); }
        System.out.println(acc);
    }

    static void step() {
            acc = acc + xs[i];
            total = acc;
    }
}
`;

  it('a loop body moved into a helper called once gives the same control and data flow', async () => {
    const a = await featuresOfSource(ORIG, 'java');
    const b = await featuresOfSource(EXTRACTED, 'java');
    assert.deepEqual([...b.cfg], [...a.cfg]);
    assert.deepEqual([...b.df], [...a.df]);
  });

  it('a helper called twice, or recursively, keeps its own graph', async () => {
    const graphs = async (src: string) => {
      const p = await parseSource(src, 'python');
      try {
        const x = extract(p, { minSubtree: 8 });
        const inlined = inlineCalls(x);
        return [inlined, buildCfgs(x).length];
      } finally {
        p.dispose();
      }
    };
    // Graphs: the module's top level plus one per function left standing.
    assert.deepEqual(await graphs('def h():\n    print(1)\n\ndef f():\n    h()\n'), [1, 2]);
    assert.deepEqual(await graphs('def h():\n    print(1)\n\ndef f():\n    h()\n    h()\n'), [0, 3]);
    assert.deepEqual(await graphs('def h(n):\n    if n > 0:\n        h(n - 1)\n'), [0, 2]);
    assert.deepEqual(await graphs('def h():\n    print(1)\n\ndef h():\n    print(2)\n\ndef f():\n    h()\n'), [0, 4]);
  });
});

describe('control-flow graph depth', () => {
  it('builds graphs for thousands of nested ifs and loops without a cap', async () => {
    const depth = 3000;
    let body = 'x = x + 1;';
    for (let i = 0; i < depth; i++) body = i % 2 ? `if (x > ${i}) { ${body} }` : `while (x < ${i}) { ${body} }`;
    const src = `int f(int x) { ${body} return x; }\n`;
    const p = await parseSource(src, 'c');
    try {
      const g = buildCfgs(extract(p, { minSubtree: 8 })).find((c) => c.line >= 0)!;
      assert.equal(g.nodes.filter((n) => n.kind === 'if').length, depth / 2);
      assert.equal(g.nodes.filter((n) => n.kind === 'loop').length, depth / 2);
      assert.equal(new Set(g.edges.filter((e) => e.kind === 'back').map((e) => e.to)).size, depth / 2, 'every loop head gets its back edges');
    } finally {
      p.dispose();
    }
    const f = await featuresOfSource(src, 'c');
    assert.ok(f.cfg.length > 0 && f.df.length > 0, 'the whole pipeline (dead code, inlining, data flow) runs at this depth');
  });

  it('a long else-if chain links each condition to the next', async () => {
    const n = 2000;
    const chain = Array.from({ length: n }, (_, i) => `if (x == ${i}) { y = ${i}; }`).join(' else ');
    const p = await parseSource(`int f(int x) { int y = 0; ${chain} return y; }\n`, 'c');
    try {
      const g = buildCfgs(extract(p, { minSubtree: 8 })).find((c) => c.line >= 0)!;
      const ifFalseIf = g.edges.filter((e) => e.kind === 'false' && g.nodes[e.from]!.kind === 'if' && g.nodes[e.to]!.kind === 'if');
      assert.equal(ifFalseIf.length, n - 1);
    } finally {
      p.dispose();
    }
  });
});

describe('one walk for the engine and the judge', () => {
  // The local judge's tokens ride along extract's walk (ExtractOptions.visitor): they must equal the
  // judge's own walk (tokenize), and the features must not change with them.
  it('a riding token walk equals tokenize, and leaves the features unchanged, in every language', async () => {
    const roots = [path.resolve('test/fixtures/similarity'), path.resolve('test/judge/fixtures'), path.resolve('examples')];
    const files = roots.flatMap((r) => fs.readdirSync(r, { recursive: true, encoding: 'utf8' }).map((f) => path.join(r, f)))
      .filter((f) => fs.statSync(f).isFile() && detectLanguage(f));
    assert.ok(new Set(files.map((f) => detectLanguage(f))).size >= 8, 'every language');
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const language = detectLanguage(f)!;
      const p = await parseSource(text, language);
      try {
        const walk = new TokenWalk(text, language);
        const x = extract(p, { minSubtree: 8, visitor: walk });
        const plain = extract(p, { minSubtree: 8 });
        assert.deepEqual(walk.result(), await tokenize(text, language), f);
        assert.deepEqual([...x.tokens], [...plain.tokens], f);
        assert.deepEqual([...x.tracked.hash], [...plain.tracked.hash], f);
        assert.deepEqual(x.events.map((e) => e.name), plain.events.map((e) => e.name), f);
      } finally {
        p.dispose();
      }
      const withKeys = await analyseSource(text, language, DEFAULT_FEATURE_OPTIONS, true);
      assert.deepEqual(withKeys.features, await featuresOfSource(text, language), f);
      assert.deepEqual(withKeys.judgeKeys, docKeys(await tokenize(text, language), text), f);
    }
  });
});
