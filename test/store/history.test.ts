// The prediction history database: rows written and read back, a crash in the middle of a write (a real
// process killed with SIGKILL while it writes, and a torn temp file), and a corrupt file moved aside.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HISTORY_FILE_NAME, PredictionHistory, type PredictionInput } from '../../server/src/store/history';

function row(i: number, extra: Partial<PredictionInput> = {}): PredictionInput {
  return {
    file: `/work/src/file_${i}.py`, content_hash: `hash${i}`, language: 'python', model: 'code-origin-small', model_version: '1.0.0',
    subject: i % 2 ? 'file' : `function f${i}`, label: i % 3 ? 'llm' : 'human', p_llm: (i % 10) / 10,
    top_tokens: [{ text: 'def', score: 0.25 }, { text: ' "comma, quote"', score: -0.125 }], ...extra,
  };
}

// Child mode: write rows and flush in a tight loop until killed (the crash test below).
if (process.env['HISTORY_CRASH_CHILD']) {
  void (async () => {
    const h = await PredictionHistory.open(process.env['HISTORY_CRASH_CHILD']!, { flushDelayMs: 1 });
    let i = 0;
    for (;;) {
      h.add(row(i++, { top_tokens: Array.from({ length: 50 }, (_, k) => ({ text: `tok${k}`.repeat(20), score: k })) }));
      h.flush();
      if (i === 5) process.stdout.write('ready\n');
    }
  })();
} else {
  describe('prediction history (sql.js)', function () {
    this.timeout(120_000);
    let dir: string;
    beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-origin-history-')); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('writes rows with every field and reads them back after reopening', async () => {
      const file = path.join(dir, 'sub', HISTORY_FILE_NAME);
      const h = await PredictionHistory.open(file);
      assert.equal(h.warning, undefined);
      h.add(row(1, { time: new Date('2026-01-02T03:04:05.000Z'), label: 'llm', p_llm: 0.91 }));
      h.add(row(2, { label: 'human', p_llm: 0.2 }));
      h.add(row(3, { label: 'too-short', p_llm: null, top_tokens: [] }));
      h.close();
      const again = await PredictionHistory.open(file);
      const rows = again.list();
      assert.equal(rows.length, 3);
      assert.deepEqual(rows.map((r) => r.label), ['too-short', 'human', 'llm']);
      const first = rows[2]!;
      assert.equal(first.time, '2026-01-02T03:04:05.000Z');
      assert.equal(first.file, '/work/src/file_1.py');
      assert.equal(first.content_hash, 'hash1');
      assert.equal(first.language, 'python');
      assert.equal(first.model, 'code-origin-small');
      assert.equal(first.model_version, '1.0.0');
      assert.equal(first.confidence, 0.91);
      assert.equal(rows[1]!.confidence, 0.8);
      assert.equal(rows[0]!.confidence, 0);
      assert.equal(rows[0]!.p_llm, null);
      assert.deepEqual(JSON.parse(first.top_tokens), [{ text: 'def', score: 0.25 }, { text: ' "comma, quote"', score: -0.125 }]);
      assert.equal(again.lastFor('/work/src/file_1.py', 'file')?.content_hash, 'hash1');
      const csv = again.toCsv().split('\r\n');
      assert.equal(csv[0], 'id,time,file,content_hash,language,model,model_version,subject,label,confidence,p_llm,top_tokens');
      assert.ok(csv[1]!.startsWith('1,2026-01-02T03:04:05.000Z,/work/src/file_1.py,hash1,python,code-origin-small,1.0.0,file,llm,0.91,0.91,"[{""text"":""def""'));
      assert.equal(csv.filter(Boolean).length, 4);
      again.close();
    });

    it('flushes in the background after a burst, and keeps at most maxRows', async () => {
      const file = path.join(dir, HISTORY_FILE_NAME);
      const h = await PredictionHistory.open(file, { flushDelayMs: 20, maxRows: 10 });
      for (let i = 0; i < 25; i++) h.add(row(i));
      assert.equal(fs.existsSync(file), false);
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(fs.existsSync(file));
      const other = await PredictionHistory.open(file);
      assert.equal(other.count(), 10);
      assert.equal(other.list(1)[0]!.content_hash, 'hash24');
      other.close();
      h.close();
    });

    it('survives a process killed in the middle of its writes: the file is the last complete database', async () => {
      const file = path.join(dir, HISTORY_FILE_NAME);
      // The child runs a copy of this bundle: a concurrent build may replace out/ while it runs.
      const script = path.join(dir, 'child.js');
      fs.copyFileSync(__filename, script);
      const env = { ...process.env, HISTORY_CRASH_CHILD: file, NODE_PATH: path.resolve('node_modules') };
      for (const delay of [30, 120, 250]) {
        const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
        child.on('error', () => undefined);
        await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
        await new Promise((r) => setTimeout(r, delay));
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        // A temp file may be left half written; make it look old so open() treats it as a dead write.
        for (const n of fs.readdirSync(dir)) if (n.includes('.tmp-')) fs.utimesSync(path.join(dir, n), new Date(0), new Date(0));
        const h = await PredictionHistory.open(file);
        assert.equal(h.warning, undefined, h.warning);
        const n = h.count();
        console.log(`      killed after ${delay} ms of writing: ${n} rows intact`);
        assert.ok(n >= 5, `rows after the crash: ${n}`);
        const ids = h.list(100000).map((r) => r.id);
        assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
        h.close();
        assert.deepEqual(fs.readdirSync(dir).filter((x) => x.includes('.tmp-')), []);
      }
      fs.rmSync(script);
    });

    it('ignores a torn temp file next to a good database', async () => {
      const file = path.join(dir, HISTORY_FILE_NAME);
      const h = await PredictionHistory.open(file);
      h.add(row(1));
      h.close();
      const good = fs.readFileSync(file);
      const torn = `${file}.tmp-999999-1`;
      fs.writeFileSync(torn, good.subarray(0, Math.floor(good.length / 2)));
      fs.utimesSync(torn, new Date(0), new Date(0));
      const again = await PredictionHistory.open(file);
      assert.equal(again.count(), 1);
      assert.equal(fs.existsSync(torn), false);
      // A fresh temp file may belong to another window's server between write and rename: left alone.
      fs.writeFileSync(torn, 'x');
      again.add(row(2));
      again.close();
      assert.equal(fs.existsSync(torn), true);
    });

    for (const [what, bytes] of [
      ['garbage', Buffer.from('this is not a database at all\n'.repeat(100))],
      ['a truncated database', undefined],
    ] as const) {
      it(`moves a corrupt file (${what}) aside, reports it, and starts a new history`, async () => {
        const file = path.join(dir, HISTORY_FILE_NAME);
        if (bytes) fs.writeFileSync(file, bytes);
        else {
          const h = await PredictionHistory.open(file);
          for (let i = 0; i < 40; i++) h.add(row(i, { top_tokens: Array.from({ length: 20 }, (_, k) => ({ text: `token${k}`, score: k })) }));
          h.close();
          const full = fs.readFileSync(file);
          assert.ok(full.length > 8192);
          fs.writeFileSync(file, Buffer.concat([full.subarray(0, 4096), Buffer.alloc(4096, 0xab)]));
        }
        const original = fs.readFileSync(file);
        const h = await PredictionHistory.open(file);
        assert.match(h.warning ?? '', /could not be read .* moved to .*\.corrupt-/);
        assert.equal(h.count(), 0);
        const aside = fs.readdirSync(dir).filter((n) => n.startsWith(`${HISTORY_FILE_NAME}.corrupt-`));
        assert.equal(aside.length, 1);
        assert.deepEqual(fs.readFileSync(path.join(dir, aside[0]!)), original);
        h.add(row(7));
        h.close();
        const again = await PredictionHistory.open(file);
        assert.equal(again.warning, undefined);
        assert.equal(again.count(), 1);
        again.close();
      });
    }
  });
}
