// Classroom generator: classes of N independent solutions of one task plus K disguised copies of one
// chosen solution (each copy a random combination of the robustness transforms), from the SOCO Java
// and ConPlag files (never copied into the repository). Independent solutions are the dataset's files
// with every known plagiarism group reduced to one member, so the only copies in a class are ours.
import fs from 'node:fs';
import path from 'node:path';
import { closeTransitively, conplag, parseCsv, SHARED, soco } from './datasets.mjs';
import { TRANSFORMS, isClean } from './transforms.mjs';

/** Deterministic generator (LCG), so a seed gives the same class every run. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

export function shuffle(a, rnd) {
  const out = a.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const JAVA_KEYWORDS = new Set(('abstract assert boolean break byte case catch char class const continue default do double else enum ' +
  'extends final finally float for goto if implements import instanceof int interface long native new package private protected ' +
  'public return short static strictfp super switch synchronized this throw throws transient try void volatile while var true false null').split(' '));

/**
 * A Java file's token sequence with comments and layout gone, every name `v`, every literal `S`/`N`: files
 * equal in it are one program renamed, whatever a dataset's labels say. A plain regex lexer, not our
 * engine, so the pool's cleaning cannot favour the engine under test.
 */
export function lexicalShape(src) {
  const text = src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  const out = [];
  for (const [t] of text.matchAll(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|[A-Za-z_$][\w$]*|\d[\w.]*|[^\s\w]/g)) {
    if (t[0] === '"' || t[0] === "'") out.push('S');
    else if (/^\d/.test(t)) out.push('N');
    else if (/^[A-Za-z_$]/.test(t)) out.push(JAVA_KEYWORDS.has(t) ? t : 'v');
    else out.push(t);
  }
  return out.join(' ');
}

/**
 * Files of `files` minus all but one member of each group of known copies (pairs closed transitively),
 * and minus all but one of each set of unlabelled renamed duplicates (equal `lexicalShape`; ConPlag's
 * air-conditioners task holds such a pair the labels call independent).
 */
function independent(files, pairs, read) {
  const closed = closeTransitively(pairs).filter((p) => p.label);
  const drop = new Set();
  const keep = new Set();
  for (const p of closed) {
    const [a, b] = [p.a, p.b].sort();
    if (!drop.has(a)) keep.add(a);
    if (!keep.has(b)) drop.add(b);
  }
  const shapes = new Set();
  return files.filter((f) => {
    if (drop.has(f)) return false;
    const shape = lexicalShape(read(f));
    if (shapes.has(shape)) return false;
    shapes.add(shape);
    return true;
  });
}

/**
 * Which of SOCO Java's three programs a file belongs to (each student wrote all three, some split over
 * several files): the program's class name where the file names it, else 'helper' (a file of some
 * student's submission that names none, e.g. a Base64 or authenticator class). Two files of different
 * programs, or a helper, may be one student's, who reuses their own code.
 */
export function socoTask(src) {
  const m = src.match(/\b(BruteForce|Dictionary|Watch[dD]og)\b/);
  return m ? m[1].replace('Watchdog', 'WatchDog') : 'helper';
}

/** SOCO Java as one pool of independent solutions (one course; its files are the "class"). */
export function socoPool() {
  const ds = soco('java');
  const read = (f) => fs.readFileSync(path.join(ds.dir, f), 'utf8');
  return independent(ds.files, ds.pairs, read).map((f) => ({ name: f, src: read(f), task: socoTask(read(f)) }));
}

/**
 * ConPlag's tasks: its labelled pairs always join two solutions of one Codeforces problem, so the
 * connected components of all labelled pairs are tasks. Each task's independent solutions.
 */
export function conplagTasks(work) {
  const ds = conplag(work);
  const parent = new Map();
  const find = (x) => {
    while (parent.has(x)) x = parent.get(x);
    return x;
  };
  for (const p of ds.pairs) {
    const [ra, rb] = [find(p.a), find(p.b)];
    if (ra !== rb) parent.set(ra, rb);
  }
  const tasks = new Map();
  for (const f of ds.files) {
    const r = find(f);
    if (!tasks.has(r)) tasks.set(r, []);
    tasks.get(r).push(f);
  }
  return [...tasks.values()].map((files) => {
    const set = new Set(files);
    const read = (f) => fs.readFileSync(path.join(ds.dir, f), 'utf8');
    return independent(files, ds.pairs.filter((p) => set.has(p.a)), read).map((f) => ({ name: f, src: read(f), task: 'one' }));
  }).filter((t) => t.length >= 10).sort((a, b) => b.length - a.length);
}

const NAMES = Object.keys(TRANSFORMS);

/** A disguised copy: 1-3 transforms in random order (`heavy`: every transform, in random order). */
export function disguise(src, rnd, heavy = false) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const k = heavy ? NAMES.length : 1 + Math.floor(rnd() * 3);
    const picked = shuffle(NAMES, rnd).slice(0, k);
    let out = src;
    const applied = [];
    for (const name of picked) {
      const r = TRANSFORMS[name](out);
      if (r && r !== out && isClean(r)) {
        out = r;
        applied.push(name);
      }
    }
    if (applied.length) return { src: out, applied };
  }
  return null;
}

/**
 * Writes a class into `dir`: `size` files, K/N = `ratio` (0: no copy). Returns its positive pairs
 * (every pair inside the copied source's group) and which transforms made each copy.
 */
export function makeClass(pool, { size, ratio, seed, dir, heavy = false }) {
  const rnd = rng(seed);
  const n = ratio > 0 ? Math.max(2, Math.round(size / (1 + ratio))) : size;
  const k = Math.min(size - n, Math.max(ratio > 0 ? 1 : 0, size - n));
  const chosen = shuffle(pool, rnd).slice(0, Math.min(n, pool.length));
  fs.mkdirSync(dir, { recursive: true });
  const names = shuffle(Array.from({ length: chosen.length + k }, (_, i) => `s${String(i).padStart(3, '0')}.java`), rnd);
  const files = [];
  chosen.forEach((f, i) => {
    fs.writeFileSync(path.join(dir, names[i]), f.src);
    files.push({ name: names[i], origin: f.name });
  });
  const group = [];
  const combos = [];
  if (k > 0) {
    // The source: a solution the transforms can disguise (parses cleanly, some transform applies).
    const source = files.find((f, i) => isClean(chosen[i].src) && disguise(chosen[i].src, rng(seed + 1))) ?? files[0];
    const src = chosen[files.indexOf(source)].src;
    group.push(source.name);
    for (let c = 0; c < k; c++) {
      const d = disguise(src, rnd, heavy) ?? { src, applied: [] };
      const name = names[chosen.length + c];
      fs.writeFileSync(path.join(dir, name), d.src);
      group.push(name);
      combos.push(d.applied.join('+') || 'identical');
    }
  }
  const positives = new Set();
  for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) positives.add([group[i], group[j]].sort().join('|'));
  const all = [...files.map((f) => f.name), ...group.slice(1)];
  // Each file's task (copies: their source's), to tell pairs within one task from the rest.
  const taskOf = new Map(files.map((f, i) => [f.name, chosen[i].task ?? 'one']));
  for (const c of group.slice(1)) taskOf.set(c, taskOf.get(group[0]));
  return { dir, files: all, positives, copies: k, independent: chosen.length, combos, source: group[0], taskOf };
}

export { parseCsv, SHARED };
