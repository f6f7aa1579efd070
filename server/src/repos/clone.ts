// Shallow clones of git repositories into temporary folders, for compare-repos. Inputs are validated
// so that nothing can reach git as an option or through an unexpected transport.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export class RepoError extends Error {}

export interface RepoSpec {
  /** What the user typed, for messages and report paths. */
  label: string;
  /** What git is given: a URL (local paths become file:// so --depth applies). */
  url: string;
}

const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~\/-]+$/;

/** Accepts https, ssh (URL or user@host:path), file URLs and existing local folders; nothing else. */
export function parseRepoSpec(input: string): RepoSpec {
  const spec = input.trim();
  if (!spec) throw new RepoError('empty repository');
  if (spec.startsWith('-')) throw new RepoError(`"${spec}" looks like an option, not a repository`);
  // Quotes, backslashes and angle brackets are never needed in a repository URL, and the label is
  // printed into JSON and HTML reports.
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f"'`\\<>]/.test(spec)) throw new RepoError(`"${spec}" contains whitespace, quotes or control characters`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw new RepoError(`"${spec}" is not a valid URL`);
    }
    if (!['https:', 'ssh:', 'file:'].includes(url.protocol)) {
      throw new RepoError(`unsupported protocol "${url.protocol.replace(':', '')}" (use https, ssh, file or a local path)`);
    }
    return { label: spec, url: spec };
  }
  if (SCP_LIKE.test(spec)) return { label: spec, url: spec };
  const abs = path.resolve(spec);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new RepoError(`"${spec}" is neither a supported URL nor an existing folder`);
  return { label: spec, url: pathToFileURL(abs).toString() };
}

export interface Clone {
  spec: RepoSpec;
  dir: string;
  /** Removes the temporary folder; safe to call twice. */
  dispose(): Promise<void>;
}

export interface CloneOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Where temporary folders go (tests point this at their own folder). */
  tmpRoot?: string;
}

/** Restricts git to the transports we accept, even through redirects or submodule-like tricks. */
const GIT_SAFETY = [
  '-c', 'protocol.allow=never', '-c', 'protocol.https.allow=always', '-c', 'protocol.ssh.allow=always',
  '-c', 'protocol.file.allow=always', '-c', 'core.hooksPath=/dev/null', '-c', 'core.symlinks=false',
];

/** Temporary folders of clones not yet disposed, so an interrupted run can remove them (see removeLiveClones). */
const live = new Set<string>();

/**
 * Removes every temporary clone folder still present; for Ctrl-C and SIGTERM, after the running git
 * was stopped through the clone's AbortSignal (a git still writing could leave files behind).
 */
export function removeLiveClones(): void {
  for (const tmp of live) fs.rmSync(tmp, { recursive: true, force: true });
  live.clear();
}

export async function shallowClone(spec: RepoSpec, opts: CloneOptions = {}): Promise<Clone> {
  const tmp = await fsp.mkdtemp(path.join(opts.tmpRoot ?? os.tmpdir(), 'code-origin-repo-'));
  live.add(tmp);
  const dir = path.join(tmp, 'repo');
  const dispose = async () => {
    await fsp.rm(tmp, { recursive: true, force: true });
    live.delete(tmp);
  };
  try {
    await runGit([...GIT_SAFETY, 'clone', '--depth', '1', '--no-tags', '--single-branch', '--quiet', '--', spec.url, dir], opts);
  } catch (e) {
    await dispose();
    throw e;
  }
  return { spec, dir, dispose };
}

function runGit(args: string[], opts: CloneOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new RepoError('cancelled'));
    const child = spawn('git', args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group, so that stopping it stops the helpers it starts (index-pack, upload-pack) too.
      detached: true,
      // Never prompt for credentials: a clone that needs them fails with a message instead of hanging.
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'echo', SSH_ASKPASS: 'echo', GIT_SSH_COMMAND: 'ssh -o BatchMode=yes' },
    });
    let stderr = '';
    let cut = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > GIT_STDERR_MAX) { stderr = stderr.slice(-GIT_STDERR_MAX); cut = true; }
    });
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(kill, opts.timeoutMs ?? 120_000);
    const onAbort = kill;
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new RepoError(e.code === 'ENOENT' ? 'git is not installed or not on PATH; install git to compare repositories' : `cannot run git: ${e.message}`));
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (code === 0) return resolve();
      if (opts.signal?.aborted) return reject(new RepoError('cancelled'));
      if (sig) return reject(new RepoError(`git clone timed out after ${Math.round((opts.timeoutMs ?? 120_000) / 1000)} s`));
      reject(new RepoError(explainGitFailure(stderr, cut)));
    });
  });
}

/** git's stderr is kept whole up to this many characters (its end, where the fatal line is). */
const GIT_STDERR_MAX = 4000;

function explainGitFailure(stderr: string, cut: boolean): string {
  const s = stderr.trim();
  const said = gitSaid(s, cut);
  if (/Could not resolve host|unable to access|Network is unreachable|Connection timed out|Connection refused/i.test(s)) {
    return `the repository could not be reached (network unreachable or host unknown); git said:${said}`;
  }
  if (/not found|does not appear to be a git repository|Repository not found/i.test(s)) return `no repository there; git said:${said}`;
  if (/Authentication failed|could not read Username|Permission denied/i.test(s)) return `the repository needs credentials; git said:${said}`;
  return s ? `git clone failed; git said:${said}` : 'git clone failed: no message';
}

/** Every line git wrote, indented under the message, with control characters shown as \xNN (they reach a terminal). */
function gitSaid(s: string, cut: boolean): string {
  // eslint-disable-next-line no-control-regex
  const esc = (l: string) => l.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const lines = s.split('\n').map((l) => esc(l.trimEnd())).filter(Boolean);
  if (cut) lines.unshift('…');
  return lines.map((l) => `\n  ${l}`).join('');
}
