// The editor and the CLI report the same pairs of a class: the language server's diagnostics come
// from the report rule the CLI applies (significance against the class, not a raw threshold alone).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../../server/src/cli/main';
import { disguise, freeProgram, tinyTask } from '../similarity/classGen';
import { startServer } from './workspaceHarness';

describe('similarity report rule: editor and CLI', function () {
  this.timeout(120_000);
  let dir: string;
  let storage: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-rule-'));
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-storage-'));
    // A tiny task: twelve independent solutions (several pairs score ≥ 0.5), and a renamed copy of one.
    for (const [name, text] of Object.entries(tinyTask())) fs.writeFileSync(path.join(dir, name), text);
    fs.writeFileSync(path.join(dir, 'copy.py'), tinyTask()['t6.py']!.replace(/\bs\b/g, 'acc').replace(/\bnums\b/g, 'values'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it('publishes diagnostics for exactly the pairs the CLI reports', async () => {
    const out: string[] = [];
    const ctx = { out: (s: string) => out.push(s), err: () => undefined, exitCode: 0 };
    assert.equal(await runCli(['compare', dir, '--judge', 'off', '--all-pairs'], ctx), 0);
    const cli = JSON.parse(out.join('\n')) as { similarity: { pairs: Array<{ file1: string; file2: string; similarity_score: number; reported: boolean }> }; metadata: { report_rule: { name: string } } };
    const key = (a: string, b: string) => [path.basename(a), path.basename(b)].sort().join('|');
    const cliPairs = cli.similarity.pairs.filter((p) => p.reported).map((p) => key(p.file1, p.file2)).sort();
    assert.deepEqual(cliPairs, ['copy.py|t6.py']);
    assert.ok(cli.similarity.pairs.some((p) => !p.reported && p.similarity_score >= 0.5), 'a raw threshold alone would report more');
    assert.equal(cli.metadata.report_rule.name, 'raw-and-significance');

    const s = await startServer(dir, storage);
    try {
      await s.waitFor(() => s.judged() > 0 && s.diagnostics.size > 0);
      const editorPairs = new Set<string>();
      for (const [uri, list] of s.diagnostics) {
        for (const d of list) {
          const there = d.relatedInformation?.[0]?.location.uri;
          if (there) editorPairs.add(key(new URL(uri).pathname, new URL(there).pathname));
        }
      }
      assert.deepEqual([...editorPairs].sort(), cliPairs);
      for (let i = 0; i < 12; i++) {
        if (i !== 6) assert.equal((s.diagnostics.get(pathToFileURL(path.join(dir, `t${i}.py`)).toString()) ?? []).length, 0, `t${i}.py is nobody's copy`);
      }
    } finally {
      await s.close();
    }
  });
  it('a copy under the 0.4 floor that stands out (the rule\'s standout band) is in the editor as in the CLI', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-band-'));
    const st = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-storage-'));
    const fns = (src: string) => src.split('\n\n').slice(0, -1);
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(d, `own${String(i).padStart(2, '0')}.py`), freeProgram(3000 + i));
    fs.writeFileSync(path.join(d, 'copy.py'), [...fns(freeProgram(3100)).slice(0, 3), ...fns(disguise(freeProgram(3000), 7)).slice(0, 3)].join('\n\n'));
    try {
      const out: string[] = [];
      assert.equal(await runCli(['compare', d, '--judge', 'off'], { out: (x: string) => out.push(x), err: () => undefined, exitCode: 0 }), 0);
      const cli = JSON.parse(out.join('\n')) as { similarity: { pairs: Array<{ file1: string; file2: string; similarity_score: number; standout?: number }> } };
      const key = (a: string, b: string) => [path.basename(a), path.basename(b)].sort().join('|');
      assert.deepEqual(cli.similarity.pairs.map((p) => key(p.file1, p.file2)), ['copy.py|own00.py']);
      assert.ok(cli.similarity.pairs[0]!.similarity_score < 0.4 && cli.similarity.pairs[0]!.standout! >= 2);
      const s = await startServer(d, st);
      try {
        await s.waitFor(() => s.judged() > 0 && s.diagnostics.size > 0);
        const editor = new Set<string>();
        const messages: string[] = [];
        for (const [uri, list] of s.diagnostics) {
          for (const x of list) {
            const there = x.relatedInformation?.[0]?.location.uri;
            if (there) editor.add(key(new URL(uri).pathname, new URL(there).pathname));
            messages.push(x.message);
          }
        }
        assert.deepEqual([...editor], ['copy.py|own00.py']);
        assert.ok(messages.every((m) => /× either file's next-best match/.test(m)), messages[0]);
      } finally {
        await s.close();
      }
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
      fs.rmSync(st, { recursive: true, force: true });
    }
  });
});
