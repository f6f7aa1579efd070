// Generated classes for the similarity tests: students' own programs (random functions, seeded) and
// disguised copies of them (renamed, reordered, with dead statements).

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** A student's own program: functions of random statements (names, constants and shapes vary by seed). */
export function program(seed: number): string {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  const name = () => pick(['a', 'b', 'c', 'total', 'acc', 'val', 'k', 'm', 'res', 'cur', 'tmp', 'step']) + Math.floor(r() * 9);
  const num = () => String(1 + Math.floor(r() * 50));
  const stmt = (v: string): string[] => {
    const w = name();
    switch (Math.floor(r() * 14)) {
      case 7: return [`for ${w} in range(${num()}):`, `    for y in range(${w}):`, `        if (${w} + y) % ${num()} == 0:`, `            ${v} -= y`];
      case 8: return [`${w} = str(${v})`, `${v} = int(${w}[::-1] or '0') + len(${w})`];
      case 9: return [`try:`, `    ${v} = ${num()} // (${v} - ${num()})`, `except ZeroDivisionError:`, `    ${v} = 0`];
      case 10: return [`${w} = {i: i * i for i in range(${num()})}`, `${v} = sum(${w}.values()) - ${v}`];
      case 11: return [`${w} = sorted([${num()}, ${v}, ${num()}], reverse=True)`, `${v} = ${w}[0] * ${w}[-1]`];
      case 12: return [`${v} = abs(${v}) if ${v} < 0 else -${v}`];
      case 13: return [`with open('${w}.txt', 'w') as fh:`, `    fh.write(str(${v}))`];
      case 0: return [`${v} = ${v} ${pick(['+', '-', '*'])} ${num()}`];
      case 1: return [`for ${w} in range(${num()}):`, `    ${v} += ${w} * ${num()}`];
      case 2: return [`if ${v} > ${num()}:`, `    ${v} = ${v} - ${num()}`, 'else:', `    ${v} = ${v} + ${num()}`];
      case 3: return [`while ${v} < ${num()}:`, `    ${v} = ${v} * 2 + ${num()}`];
      case 4: return [`${w} = [x for x in range(${num()}) if x % ${num()} == 0]`, `${v} += len(${w})`];
      case 5: return [`${w} = ${v} % ${num()}`, `if ${w} == 0:`, `    ${v} //= 2`];
      default: return [`${v} = max(${v}, ${num()}) - min(${v}, ${num()})`];
    }
  };
  const fns: string[] = [];
  const count = 4 + Math.floor(r() * 3);
  for (let f = 0; f < count; f++) {
    const v = name();
    const body = [`${v} = ${num()}`];
    const n = 4 + Math.floor(r() * 5);
    for (let s = 0; s < n; s++) body.push(...stmt(v));
    body.push(`return ${v}`);
    fns.push(`def f${seed}_${f}(${name()}):\n${body.map((l) => `    ${l}`).join('\n')}\n`);
  }
  fns.push(`if __name__ == '__main__':\n    print(${Array.from({ length: count }, (_, f) => `f${seed}_${f}(${num()})`).join(' + ')})\n`);
  return fns.join('\n');
}

/** A disguised copy: identifiers renamed, functions reordered, a dead statement in each function. */
export function disguise(src: string, k: number): string {
  const parts = src.split('\n\n');
  const main = parts.pop()!;
  const r = rng(k);
  parts.sort(() => r() - 0.5);
  const renamed = [...parts, main].join('\n\n').replace(/\b([a-z]+)(\d)\b/g, (_, w: string, d: string) => `${w}_${k}_${d}`);
  return renamed.replace(/^(def .*:)$/gm, `$1\n    unused_${k} = ${k}`);
}

/** Twelve independent solutions of a tiny task (read numbers, add them up, print the sum), each combining the ways differently. */
export function tinyTask(): Record<string, string> {
  const out: Record<string, string> = {};
  // Ways to read numbers, add them up and print the sum, combined differently by each student.
  const reads = ['nums = list(map(int, input().split()))', 'nums = [int(x) for x in input().split()]', 'import sys\nnums = [int(t) for t in sys.stdin.read().split()]'];
  const sums = [
    (v: string) => `${v} = sum(nums)`,
    (v: string) => `${v} = 0\nfor x in nums:\n    ${v} += x`,
    (v: string) => `${v} = 0\ni = 0\nwhile i < len(nums):\n    ${v} = ${v} + nums[i]\n    i += 1`,
    (v: string) => `from functools import reduce\n${v} = reduce(lambda a, b: a + b, nums, 0)`,
  ];
  const prints = [(v: string) => `print(${v})`, (v: string) => `print(str(${v}))`, (v: string) => `print(f"{${v}}")`];
  let k = 0;
  for (let a = 0; a < reads.length; a++) {
    for (let b = 0; b < sums.length; b++) {
      const v = ['total', 's', 'answer', 'res'][(a + b) % 4]!;
      out[`t${k++}.py`] = `${reads[a]}\n${sums[b]!(v)}\n${prints[(a + 2 * b) % 3]!(v)}\n`;
    }
  }
  return out;
}

/**
 * A program of random expression trees and control nesting: independent ones share far less than
 * `program`'s (whose statements come from 14 shapes), as a class of longer, freer assignments does.
 */
export function freeProgram(seed: number): string {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  const vars = ['a', 'b', 'c', 'n', 'k', 'acc', 'xs', 'best'];
  const expr = (depth: number): string => {
    const x = r();
    if (depth <= 0 || x < 0.25) return r() < 0.5 ? pick(vars.slice(0, 5)) : String(1 + Math.floor(r() * 90));
    if (x < 0.45) return `${pick(['abs', 'int', 'len', 'min', 'max', 'sum', 'sorted', 'str'])}(${expr(depth - 1)}${r() < 0.4 ? `, ${expr(depth - 1)}` : ''})`;
    if (x < 0.55) return `(${expr(depth - 1)} if ${expr(depth - 1)} ${pick(['<', '>', '==', '!='])} ${expr(depth - 1)} else ${expr(depth - 1)})`;
    if (x < 0.62) return `[${expr(depth - 1)} for ${pick(['i', 'j'])} in range(${expr(depth - 1)})]`;
    return `(${expr(depth - 1)} ${pick(['+', '-', '*', '//', '%', '<<', '^', '|'])} ${expr(depth - 1)})`;
  };
  const block = (depth: number, indent: string): string[] => {
    const out: string[] = [];
    const n = 2 + Math.floor(r() * 3);
    for (let s = 0; s < n; s++) {
      const x = r();
      if (depth > 0 && x < 0.2) out.push(`${indent}if ${expr(2)} ${pick(['<', '>', '<=', '!='])} ${expr(2)}:`, ...block(depth - 1, `${indent}    `));
      else if (depth > 0 && x < 0.35) out.push(`${indent}for ${pick(['i', 'j'])} in range(${expr(1)}):`, ...block(depth - 1, `${indent}    `));
      else if (depth > 0 && x < 0.42) out.push(`${indent}while ${pick(vars.slice(0, 5))} ${pick(['<', '>'])} ${expr(1)}:`, ...block(depth - 1, `${indent}    `), `${indent}    break`);
      else if (x < 0.5) out.push(`${indent}${pick(vars.slice(5))} = ${expr(3)}`);
      else out.push(`${indent}${pick(vars.slice(0, 5))} ${pick(['=', '+=', '-=', '*='])} ${expr(3)}`);
    }
    return out;
  };
  const fns: string[] = [];
  const count = 4 + Math.floor(r() * 3);
  for (let f = 0; f < count; f++) {
    fns.push(`def g${seed}_${f}(a, b):\n    c = n = k = acc = best = 0\n    xs = []\n${block(2, '    ').join('\n')}\n    return ${expr(2)}\n`);
  }
  fns.push(`if __name__ == '__main__':\n    print(${Array.from({ length: count }, (_, f) => `g${seed}_${f}(${f + 1}, ${f + 2})`).join(' + ')})\n`);
  return fns.join('\n');
}
