// Classes as graders run them, at the default settings: many students copying one source, a small
// folder, independent solutions of a tiny task, and template code. Real parser, real engine.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compare } from '../../server/src/similarity/engine';
import { disguise, freeProgram, program, tinyTask } from './classGen';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'co-class-'));
}

describe('similarity in classes', () => {
  it('40% copied one source: every copy is reported, and the common filter leaves the copied evidence alone', async () => {
    const d = tmpdir();
    const source = program(1000);
    for (let i = 0; i < 12; i++) fs.writeFileSync(path.join(d, `own${String(i).padStart(2, '0')}.py`), i === 0 ? source : program(i));
    for (let k = 1; k <= 8; k++) fs.writeFileSync(path.join(d, `copy${k}.py`), disguise(source, k));
    const group = new Set(['own00.py', ...Array.from({ length: 8 }, (_, k) => `copy${k + 1}.py`)]);
    const r = await compare({ inputs: [d] });
    const reported = r.similarity.pairs.filter((p) => p.reported).map((p) => [path.basename(p.file1), path.basename(p.file2)]);
    assert.equal(reported.filter(([a, b]) => group.has(a!) && group.has(b!)).length, 36, 'all 36 pairs inside the group');
    assert.equal(reported.length, 36, 'and nothing else');
    // The group votes once: the filter counts 12 groups for 20 files, so nothing the copies share is common.
    const c = r.metadata.common!;
    assert.equal(c.documents, 20);
    assert.equal(c.largest_group, 9);
    const off = await compare({ inputs: [d], commonShare: 0, allPairs: true });
    const score = (rep: typeof r, a: string, b: string) => rep.similarity.pairs.find((p) => path.basename(p.file1) === a && path.basename(p.file2) === b)?.similarity_score ?? 0;
    // Twelve groups: the eleven others and the copied group, which votes once. Only what the others
    // share too (more than 10 groups) is common; the copies' scores barely move.
    assert.equal(c.groups, 12);
    for (let k = 1; k <= 8; k++) {
      const [on, raw] = [score(r, `copy${k}.py`, 'own00.py'), score(off, `copy${k}.py`, 'own00.py')];
      assert.ok(on >= raw - 0.01, `copy ${k} keeps its evidence (${on} vs ${raw} without the filter)`);
    }
    assert.equal(r.metadata.report_rule.name, 'raw-and-significance');
    fs.rmSync(d, { recursive: true, force: true });
  });

  it('most of the class copied one source (30 copies beside 15 own programs): every copy pair is reported, nothing else', async () => {
    const d = tmpdir();
    const source = program(2000);
    for (let i = 0; i < 15; i++) fs.writeFileSync(path.join(d, `own${String(i).padStart(2, '0')}.py`), i === 0 ? source : program(2100 + i));
    for (let k = 1; k <= 30; k++) fs.writeFileSync(path.join(d, `copy${String(k).padStart(2, '0')}.py`), disguise(source, 40 + k));
    const group = new Set(['own00.py', ...Array.from({ length: 30 }, (_, k) => `copy${String(k + 1).padStart(2, '0')}.py`)]);
    const r = await compare({ inputs: [d] });
    const reported = r.similarity.pairs.filter((p) => p.reported).map((p) => [path.basename(p.file1), path.basename(p.file2)]);
    // The copies share only what all 31 of them have (more than half the files): those keys must still
    // propose their pairs, and the copies' 465 pairs (47% of all) must not become the class's background.
    assert.equal(reported.filter(([a, b]) => group.has(a!) && group.has(b!)).length, 465, 'all 465 pairs inside the group');
    assert.equal(reported.length, 465, 'and nothing else');
    // ...and the common filter leaves the copied evidence alone: the copies vote as one group.
    assert.equal(r.metadata.common!.largest_group, 31);
    const off = await compare({ inputs: [d], commonShare: 0, allPairs: true });
    const score = (rep: typeof r, a: string, b: string) => rep.similarity.pairs.find((p) => path.basename(p.file1) === a && path.basename(p.file2) === b)?.similarity_score ?? 0;
    for (const k of [1, 10, 30]) {
      const c = `copy${String(k).padStart(2, '0')}.py`;
      assert.ok(score(r, c, 'own00.py') >= score(off, c, 'own00.py') - 0.01, `copy ${k} keeps its evidence`);
    }
    fs.rmSync(d, { recursive: true, force: true });
  });

  it('a 10-file folder keeps all its evidence (nothing is common below 10 groups) and reports its copy', async () => {
    const d = tmpdir();
    const helper = 'def read_ints(line):\n    out = []\n    for tok in line.split():\n        out.append(int(tok))\n    return out\n';
    for (let i = 0; i < 9; i++) fs.writeFileSync(path.join(d, `s${i}.py`), `${helper}\n\n${program(200 + i)}`);
    fs.writeFileSync(path.join(d, 's9.py'), `${helper}\n\n${disguise(program(203), 9)}`);
    const r = await compare({ inputs: [d] });
    const c = r.metadata.common!;
    assert.equal(c.max_groups, 10);
    assert.deepEqual(c.ignored, { ast: 0, fingerprints: 0, cfg: 0, dataflow: 0 });
    assert.match(c.rule, /max\(10, 0\.1 × \d+ groups\) = 10 groups/);
    assert.deepEqual(r.similarity.pairs.filter((p) => p.reported).map((p) => [path.basename(p.file1), path.basename(p.file2)]), [['s3.py', 's9.py']]);
    fs.rmSync(d, { recursive: true, force: true });
  });

  it('independent solutions of a tiny task: nothing is reported, though raw scores are high', async () => {
    const d = tmpdir();
    for (const [name, text] of Object.entries(tinyTask())) fs.writeFileSync(path.join(d, name), text);
    const r = await compare({ inputs: [d], allPairs: true });
    const high = r.similarity.pairs.filter((p) => p.similarity_score >= 0.5).length;
    assert.ok(high >= 3, `the task is tiny: a raw threshold of 0.5 alone would report ${high} independent pairs`);
    assert.deepEqual(r.similarity.pairs.filter((p) => p.reported).map((p) => `${path.basename(p.file1)} ${path.basename(p.file2)} ${p.similarity_score} ${p.significance}`), []);
    assert.equal(r.summary.suspicious_pairs_count, 0);
    fs.rmSync(d, { recursive: true, force: true });
  });

  it('template code is still removed, and the report counts it', async () => {
    const d = tmpdir();
    const base = 'def read_grid(n):\n    grid = []\n    for i in range(n):\n        row = input().split()\n        grid.append([int(x) for x in row])\n    return grid\n';
    fs.mkdirSync(path.join(d, 's'));
    fs.mkdirSync(path.join(d, 'base'));
    fs.writeFileSync(path.join(d, 'base', 'given.py'), base);
    for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(d, 's', `s${i}.py`), `${base}\n\n${program(300 + i)}`);
    const withT = await compare({ inputs: [path.join(d, 's')], template: [path.join(d, 'base')], allPairs: true });
    const without = await compare({ inputs: [path.join(d, 's')], allPairs: true });
    const max = (r: typeof withT) => Math.max(...r.similarity.pairs.map((p) => p.similarity_score));
    assert.ok(withT.metadata.common!.template.fingerprints > 0);
    assert.ok(max(withT) < max(without), `template evidence removed (${max(withT)} < ${max(without)})`);
    assert.equal(withT.similarity.pairs.filter((p) => p.reported).length, 0);
    fs.rmSync(d, { recursive: true, force: true });
  });
  it('a copy that kept half of its source (score under the 0.4 floor) is reported as each file\'s clear best partner; a helper three students share is not', async () => {
    const d = tmpdir();
    const fns = (src: string) => src.split('\n\n').slice(0, -1);
    // Thirty own programs (free expression trees: a quiet class); the copy keeps three of its source's
    // functions (a dead statement each) beside three of its own. Three more programs share one helper
    // beside two functions of their own.
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(d, `own${String(i).padStart(2, '0')}.py`), freeProgram(3000 + i));
    const kept = fns(disguise(freeProgram(3000), 7)).slice(0, 3);
    fs.writeFileSync(path.join(d, 'copy.py'), [...fns(freeProgram(3100)).slice(0, 3), ...kept].join('\n\n'));
    const helper = 'def parse_grid(text):\n    rows = []\n    for line in text.splitlines():\n        cells = [int(c) for c in line.split(",") if c.strip()]\n        if cells:\n            rows.append(cells)\n    width = max(len(r) for r in rows)\n    return [r + [0] * (width - len(r)) for r in rows]\n';
    for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(d, `helper${i}.py`), `${helper}\n\n${fns(freeProgram(3200 + i)).slice(0, 2).join('\n\n')}`);
    const r = await compare({ inputs: [d], allPairs: true });
    const pair = (a: string, b: string) => r.similarity.pairs.find((p) => [p.file1, p.file2].map((f) => path.basename(f)).sort().join('|') === [a, b].sort().join('|'))!;
    const copy = pair('copy.py', 'own00.py');
    assert.ok(copy.similarity_score < r.metadata.report_rule.floor, `under the floor (${copy.similarity_score})`);
    assert.ok(copy.reported && copy.standout! >= r.metadata.report_rule.standout!, `reported (significance ${copy.significance}, standout ${copy.standout})`);
    const shared = pair('helper0.py', 'helper1.py');
    assert.ok(shared.significance! >= r.metadata.report_rule.z_standout!, `the helper pair stands above the class too (${shared.significance})`);
    assert.ok(!shared.reported, `but has a partner as close (${shared.similarity_score}, standout ${shared.standout})`);
    assert.deepEqual(r.similarity.pairs.filter((p) => p.reported).map((p) => [p.file1, p.file2].map((f) => path.basename(f)).sort().join('|')), ['copy.py|own00.py']);
    assert.match(r.metadata.report_rule.description, /standout ≥ 2/);
    fs.rmSync(d, { recursive: true, force: true });
  });
  it('a heavily disguised copy of a source five others copied closely is reported too: their group is one partner, not six', async () => {
    const d = tmpdir();
    const fns = (src: string) => src.split('\n\n').slice(0, -1);
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(d, `own${String(i).padStart(2, '0')}.py`), freeProgram(4000 + i));
    for (let k = 1; k <= 5; k++) fs.writeFileSync(path.join(d, `copy${k}.py`), disguise(freeProgram(4000), 50 + k));
    fs.writeFileSync(path.join(d, 'half.py'), [...fns(freeProgram(4100)), ...fns(freeProgram(4200)), ...fns(disguise(freeProgram(4000), 7)).slice(0, 2)].join('\n\n'));
    const r = await compare({ inputs: [d], allPairs: true });
    const name = (f: string) => path.basename(f);
    const group = new Set(['own00.py', 'copy1.py', 'copy2.py', 'copy3.py', 'copy4.py', 'copy5.py']);
    const half = r.similarity.pairs.filter((p) => [name(p.file1), name(p.file2)].includes('half.py') && group.has(name(p.file1) === 'half.py' ? name(p.file2) : name(p.file1)));
    assert.equal(half.length, 6);
    const scores = half.map((p) => p.similarity_score).sort((a, b) => a - b);
    assert.ok(scores[0]! > 0.6 * scores[5]! && scores[5]! < r.metadata.report_rule.floor, `alike with each of the six, under the floor: ${scores}`);
    assert.ok(half.every((p) => p.reported && p.standout! >= r.metadata.report_rule.standout!), half.map((p) => `${p.similarity_score} ${p.significance} ${p.standout}`).join('; '));
    const reported = r.similarity.pairs.filter((p) => p.reported).map((p) => [name(p.file1), name(p.file2)]);
    assert.ok(reported.every(([a, b]) => (group.has(a!) || a === 'half.py') && (group.has(b!) || b === 'half.py')), 'nothing else');
    fs.rmSync(d, { recursive: true, force: true });
  });
});
