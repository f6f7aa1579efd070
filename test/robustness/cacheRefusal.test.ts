// Hostile cache paths (issue 21, items 1 and 13): `--cache` or `--judge-cache` naming something that is
// not one of our caches — an input file, a text file, a named pipe, a folder, someone's SQLite database,
// /proc/version — is refused with a message naming it, exit code 2, and left byte for byte as it was; a
// path under /proc fails at once instead of spinning. Each probe is a real run of the built CLI, bounded
// in time and heap.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSqlJs } from '../../server/src/store/sqlite';
import { cli, snapshot, writeSources } from './cacheHelpers';

const REFUSED = /code-origin: refusing to use .* as a (verdict )?cache/;

describe('robustness: cache paths that are not ours are refused', function () {
  this.timeout(60_000);
  let dir: string;
  let src: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'co-cache-refuse-'));
    src = path.join(dir, 'src');
    writeSources(src, 4);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs compare with the cache option on `target`: refused, exit 2, message naming it, nothing in `dir` changed. */
  function refused(option: '--cache' | '--judge-cache', target: string, why: RegExp): void {
    const before = snapshot(dir);
    const r = cli(['compare', src, option, target, '-f', 'json']);
    assert.equal(r.status, 2, `${r.status} ${r.signal ?? ''}\n${r.stderr}`);
    assert.match(r.stderr, REFUSED);
    assert.ok(r.stderr.includes(target), r.stderr);
    assert.match(r.stderr, why);
    assert.equal(r.stdout, '', 'no report');
    assert.ok(r.ms < 20_000, `${r.ms} ms`);
    assert.deepEqual(snapshot(dir), before, 'nothing written, nothing replaced');
  }

  for (const option of ['--cache', '--judge-cache'] as const) {
    describe(option, () => {
      it('an input file of the comparison', () => refused(option, path.join(src, 'f000.py'), /not a Code Origin cache.*left untouched/));

      it('a text file', () => {
        fs.writeFileSync(path.join(dir, 'notes.txt'), 'my notes\n');
        refused(option, path.join(dir, 'notes.txt'), /not a Code Origin cache/);
      });

      it('an empty file', () => {
        fs.writeFileSync(path.join(dir, 'empty'), '');
        refused(option, path.join(dir, 'empty'), /not a Code Origin cache/);
      });

      it('a named pipe (a device-like node: never opened for writing, never renamed over)', () => {
        const fifo = path.join(dir, 'pipe');
        execFileSync('mkfifo', [fifo]);
        refused(option, fifo, /named pipe, not a file/);
        assert.ok(fs.lstatSync(fifo).isFIFO());
      });

      it('a folder', () => {
        fs.mkdirSync(path.join(dir, 'folder'));
        refused(option, path.join(dir, 'folder'), /a folder, not a file/);
      });

      it('a symbolic link (to an input)', () => {
        fs.symlinkSync(path.join(src, 'f001.py'), path.join(dir, 'link'));
        refused(option, path.join(dir, 'link'), /symbolic link/);
      });

      it("someone else's SQLite database", async () => {
        const SQL = await loadSqlJs();
        const db = new SQL.Database();
        db.run('CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT)');
        db.run("INSERT INTO accounts (name) VALUES ('alice')");
        fs.writeFileSync(path.join(dir, 'app.db'), db.export());
        db.close();
        refused(option, path.join(dir, 'app.db'), /not a Code Origin cache/);
      });

      it('/proc/version fails at once (no endless mkdir under /proc)', function () {
        if (!fs.existsSync('/proc/version')) this.skip();
        const r = cli(['compare', src, option, '/proc/version'], undefined, 20_000);
        assert.equal(r.status, 2, `${r.status} ${r.signal ?? ''} after ${r.ms} ms\n${r.stderr}`);
        assert.match(r.stderr, /refusing to use \/proc\/version as a (verdict )?cache/);
        assert.ok(r.ms < 10_000, `${r.ms} ms`);
      });
    });
  }

  it('--cache on a path under /proc that does not exist ends (with warnings, results uncached) instead of spinning', function () {
    if (!fs.existsSync('/proc/version')) this.skip();
    const r = cli(['compare', src, '--cache', '/proc/co-no-such-cache'], undefined, 20_000);
    assert.equal(r.status, 0, `${r.status} ${r.signal ?? ''} after ${r.ms} ms\n${r.stderr}`);
    assert.match(r.stderr, /warning: cannot write cache \/proc\/co-no-such-cache/);
    assert.ok(r.ms < 15_000, `${r.ms} ms`);
  });

  it('a cache whose folders beside it are files, or whose shard is a pipe, is refused', () => {
    const cache = path.join(dir, 'c.sqlite');
    assert.equal(cli(['compare', src, '--cache', cache]).status, 0);
    const shard = fs.readdirSync(`${cache}.features`)[0]!;
    fs.rmSync(path.join(`${cache}.features`, shard));
    execFileSync('mkfifo', [path.join(`${cache}.features`, shard)]);
    refused('--cache', cache, /named pipe, not a file/);

    const other = path.join(dir, 'd.sqlite');
    fs.writeFileSync(`${other}.features`, 'a file where the cache keeps its shards');
    refused('--cache', other, /d\.sqlite\.features as a cache folder: it is a file/);
  });

  it('a new cache path beside foreign files of the same names is refused (they are not ours to replace)', () => {
    const cache = path.join(dir, 'new.sqlite');
    fs.writeFileSync(`${cache}.pairs`, 'someone else\'s file');
    refused('--cache', cache, /new\.sqlite\.pairs.*not a Code Origin cache/);
  });

  it('the feature cache is not a verdict cache: one path for both is refused', () => {
    const cache = path.join(dir, 'c.sqlite');
    assert.equal(cli(['compare', src, '--cache', cache]).status, 0);
    refused('--judge-cache', cache, /not a Code Origin cache/);
  });
});
