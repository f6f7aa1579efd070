// Writes one platform-specific .vsix per onnxruntime-node target, each with only that target's native
// binaries, plus a universal .vsix without any (it runs the origin model on onnxruntime-web's WASM).
// .vscodeignore lists linux-x64's binaries; each target gets a copy with that line rewritten.
// Usage: node scripts/package-vsix.mjs [target…]   (default: all; "universal" is one of them)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64', 'win32-arm64', 'universal'];
const BIN_LINE = '!node_modules/onnxruntime-node/bin/napi-v*/linux/x64/**';

/** The ignore file for one target: its own binaries, or none for the universal package. */
export function ignoreFor(base, target) {
  if (!base.includes(BIN_LINE)) throw new Error(`.vscodeignore lacks the line ${BIN_LINE}`);
  if (target === 'universal') return base.replace(BIN_LINE, '# (universal: no native binaries)');
  const [platform, arch] = target.split('-');
  return base.replace(BIN_LINE, `!node_modules/onnxruntime-node/bin/napi-v*/${platform}/${arch}/**`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const wanted = process.argv.slice(2).length ? process.argv.slice(2) : TARGETS;
  const unknown = wanted.filter((t) => !TARGETS.includes(t));
  if (unknown.length) throw new Error(`unknown target(s) ${unknown.join(', ')}; known: ${TARGETS.join(', ')}`);
  const vsce = path.join(path.dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
  const base = readFileSync('.vscodeignore', 'utf8');
  mkdirSync('dist-vsix', { recursive: true });
  for (const t of wanted) {
    const ignore = `dist-vsix/.vscodeignore-${t}`;
    writeFileSync(ignore, ignoreFor(base, t));
    const args = ['package', ...(t === 'universal' ? [] : ['--target', t]), '--dependencies', '--skip-license', '--allow-missing-repository',
      '--no-rewrite-relative-links', '--ignoreFile', ignore, '-o', `dist-vsix/code-origin-${t}.vsix`];
    console.log(`vsce ${args.join(' ')}`);
    execFileSync(process.execPath, [vsce, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
}
