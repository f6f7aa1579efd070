// Checks every package `npm run package` wrote (dist-vsix/code-origin-<target>.vsix), read from the zip:
// the common contents, the target in the manifest, and that the native binary onnxruntime-node's
// binding.js would load on that platform/arch (bin/napi-v<N>/<platform>/<arch>/onnxruntime_binding.node,
// N read from the packaged binding.js) is inside, with its runtime library and no other target's.
// The universal package must carry no native binaries (it runs onnxruntime-web's WASM).
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { TARGETS } from '../../scripts/package-vsix.mjs';

const ORT = 'extension/node_modules/onnxruntime-node';
const RUNTIME_LIB = { linux: /^libonnxruntime\.so/, darwin: /^libonnxruntime\..*dylib$/, win32: /^onnxruntime\.dll$/ };
const COMMON = [
  'extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/cli.js',
  'extension/dist/originWorker.js', 'extension/dist/wasm/web-tree-sitter.wasm', 'extension/dist/wasm/tree-sitter-python.wasm',
  `${ORT}/package.json`, 'extension/node_modules/onnxruntime-common/dist/cjs/index.js',
  'extension/node_modules/onnxruntime-web/package.json', 'extension/node_modules/onnxruntime-web/dist/ort.node.min.js',
  'extension/node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs', 'extension/node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm',
];

/** Runs the checks; report(ok, name, detail) is called per check. */
export function checkPackages(distDir, repo, report) {
  const models = existsSync(path.join(repo, 'models'))
    ? readdirSync(path.join(repo, 'models')).filter((n) => n !== 'train' && existsSync(path.join(repo, 'models', n, 'manifest.json')))
    : [];
  for (const target of TARGETS) {
    const file = path.join(distDir, `code-origin-${target}.vsix`);
    const name = `package ${target}`;
    if (!existsSync(file)) { report(false, name, `${file} not found (npm run package)`); continue; }
    const names = [];
    const wantText = new Set(['extension.vsixmanifest', `${ORT}/dist/binding.js`, `${ORT}/package.json`]);
    const zip = unzipSync(readFileSync(file), { filter: (f) => { names.push(f.name); return wantText.has(f.name); } });
    const has = new Set(names);
    const text = (n) => (zip[n] ? strFromU8(zip[n]) : '');
    const problems = [];
    const required = [...COMMON, ...models.flatMap((m) => [`extension/models/${m}/manifest.json`, `extension/models/${m}/model.onnx`, `extension/models/${m}/tokenizer.json`])];
    for (const r of required) if (!has.has(r)) problems.push(`missing ${r}`);
    // dist/server.js requires 'onnxruntime-node': node resolves extension/node_modules/onnxruntime-node, its "main".
    const main = JSON.parse(text(`${ORT}/package.json`) || '{}').main ?? 'index.js';
    if (!has.has(path.posix.join(ORT, main))) problems.push(`onnxruntime-node main ${main} missing`);
    const platformTag = /TargetPlatform="([^"]+)"/.exec(text('extension.vsixmanifest'))?.[1];
    if ((platformTag ?? 'universal') !== target) problems.push(`manifest TargetPlatform ${platformTag ?? '(none)'}`);
    const bins = names.filter((n) => n.startsWith(`${ORT}/bin/`) && !n.endsWith('/'));
    let detail;
    if (target === 'universal') {
      if (bins.length) problems.push(`native binaries in the universal package: ${bins.slice(0, 3).join(', ')}`);
      detail = 'no native binaries; onnxruntime-web WASM';
    } else {
      const [platform, arch] = target.split('-');
      const napi = /bin\/napi-v(\d+)\/\$\{process\.platform\}\/\$\{process\.arch\}\/onnxruntime_binding\.node/.exec(text(`${ORT}/dist/binding.js`))?.[1];
      if (!napi) problems.push('cannot read the binary path from onnxruntime-node/dist/binding.js');
      const dir = `${ORT}/bin/napi-v${napi}/${platform}/${arch}/`;
      if (!has.has(`${dir}onnxruntime_binding.node`)) problems.push(`missing ${dir}onnxruntime_binding.node`);
      if (!bins.some((b) => b.startsWith(dir) && RUNTIME_LIB[platform].test(b.slice(dir.length)))) problems.push(`missing the onnxruntime library in ${dir}`);
      const foreign = bins.filter((b) => !b.startsWith(dir));
      if (foreign.length) problems.push(`other targets' binaries: ${foreign.slice(0, 3).join(', ')}`);
      detail = `${dir.slice(ORT.length + 1)}onnxruntime_binding.node + ${bins.length - 1} more`;
    }
    const extra = names.filter((n) => /^extension\/(client|server|test|examples|out|scripts|webview)\//.test(n) || /^extension\/node_modules\/(?!onnxruntime-(node|common|web)\/)/.test(n));
    if (extra.length) problems.push(`unwanted: ${extra.slice(0, 5).join(', ')}`);
    const size = `${(statSync(file).size / 1048576).toFixed(1)} MB`;
    report(!problems.length, name, problems.length ? problems.join('; ') : `${size}, ${names.length} entries, ${detail}`);
  }
}
