// Checks an installed (unpacked) copy of the packaged .vsix: what is in it, what must not be, and
// that the packaged extension can load onnxruntime-node (native linux-x64 binding) at run time.
//
// Usage: node test/e2e/check-vsix.mjs <installed-extension-dir> [<file.vsix>] [<repo-root>]
//        node test/e2e/check-vsix.mjs --packages <dist-vsix-dir> [<repo-root>]   (every target's .vsix: vsix-packages.mjs)
// Prints "PASS <name>" / "FAIL <name> — reason" lines; exit code = number of failures.
import { createRequire } from 'node:module';
import { readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';

if (process.argv[2] === '--packages') {
  const { checkPackages } = await import('./vsix-packages.mjs');
  let failed = 0;
  checkPackages(process.argv[3] ?? 'dist-vsix', process.argv[4] ?? process.cwd(), (ok, name, detail) => {
    if (!ok) failed++;
    console.log(`${ok ? 'PASS' : 'FAIL'} ${name} — ${detail}`);
  });
  process.exit(failed);
}

const [dir, vsix, repo = process.cwd()] = process.argv.slice(2);
if (!dir || !existsSync(path.join(dir, 'package.json'))) {
  console.log(`FAIL vsix: installed extension not found at ${dir}`);
  process.exit(1);
}

let failures = 0;
const pass = (name, detail) => console.log(`PASS ${name}${detail ? ` — ${detail}` : ''}`);
const fail = (name, detail) => { failures++; console.log(`FAIL ${name} — ${detail}`); };
const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;

function walk(root, rel = '') {
  const out = [];
  for (const name of readdirSync(path.join(root, rel))) {
    const r = rel ? `${rel}/${name}` : name;
    const st = statSync(path.join(root, r));
    if (st.isDirectory()) out.push(...walk(root, r));
    else out.push({ path: r, size: st.size });
  }
  return out;
}
const files = walk(dir);
const total = files.reduce((s, f) => s + f.size, 0);

// ---- listing (top level, with sizes)
const top = new Map();
for (const f of files) {
  const key = f.path.includes('/') ? `${f.path.split('/')[0]}/` : f.path;
  const e = top.get(key) ?? { n: 0, size: 0 };
  e.n++; e.size += f.size;
  top.set(key, e);
}
const vsixSize = vsix && existsSync(vsix) ? statSync(vsix).size : undefined;
console.log(`vsix: ${vsix ?? '(not given)'}${vsixSize !== undefined ? ` ${mb(vsixSize)} compressed` : ''}; installed ${files.length} files, ${mb(total)}`);
for (const [k, e] of [...top].sort()) console.log(`  ${k.padEnd(28)} ${String(e.n).padStart(4)} files ${mb(e.size).padStart(9)}`);
for (const f of files.filter((f) => f.path.startsWith('node_modules/') && /\/bin\//.test(f.path))) {
  console.log(`  ${f.path} ${mb(f.size)}`);
}

// ---- must be there
const required = [
  'package.json',
  'dist/extension.js',
  'dist/server.js',
  'dist/cli.js',
  'dist/wasm/web-tree-sitter.wasm',
  'dist/wasm/web-tree-sitter.cjs',
  'dist/wasm/tree-sitter-python.wasm',
  'node_modules/onnxruntime-node/package.json',
  'node_modules/onnxruntime-common/package.json',
  'node_modules/onnxruntime-common/dist/cjs/index.js',
  'node_modules/onnxruntime-web/dist/ort.node.min.js',
  'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm',
];
const has = new Set(files.map((f) => f.path));
// The similarity panel's webview bundle, when the repo has one.
if (existsSync(path.join(repo, 'webview', 'src', 'main.ts'))) required.push('dist/webview/main.js');
const missing = required.filter((r) => !has.has(r));
const ortBin = files.filter((f) => /^node_modules\/onnxruntime-node\/bin\/napi-v\d+\/linux\/x64\/onnxruntime_binding\.node$/.test(f.path));
const ortLib = files.filter((f) => /^node_modules\/onnxruntime-node\/bin\/napi-v\d+\/linux\/x64\/libonnxruntime\.so/.test(f.path));
if (!ortBin.length) missing.push('node_modules/onnxruntime-node/bin/napi-v*/linux/x64/onnxruntime_binding.node');
if (!ortLib.length) missing.push('node_modules/onnxruntime-node/bin/napi-v*/linux/x64/libonnxruntime.so*');
// Every shipped model folder of the repo (models/<name>/, not train) must come along, minus work/checkpoints.
const repoModels = existsSync(path.join(repo, 'models'))
  ? readdirSync(path.join(repo, 'models')).filter((n) => n !== 'train' && statSync(path.join(repo, 'models', n)).isDirectory())
  : [];
for (const m of repoModels) {
  const want = walk(path.join(repo, 'models', m)).map((f) => `models/${m}/${f.path}`)
    .filter((p) => !/(^|\/)(work|checkpoints|__pycache__)\//.test(p) && !p.endsWith('.pyc'));
  for (const p of want) if (!has.has(p)) missing.push(p);
}
if (missing.length) fail('vsix contents: required files', `missing ${missing.join(', ')}`);
else pass('vsix contents: required files', `dist bundles, grammars, onnxruntime linux-x64, models: ${repoModels.join(', ') || '(none)'}`);

// ---- must not be there
const forbidden = [
  [/^(client|server|protocol|test|examples|out|scripts|webview|\.ci|dist-vsix)\//, 'sources/tests/examples'],
  [/^models\/train\//, 'models/train'],
  [/^models\/.*(^|\/)(work|checkpoints)\//, 'model work/checkpoints'],
  [/(^|\/)[^/]+(?<!\.d)\.tsx?$/, 'TypeScript sources'],
  [/^node_modules\/(?!onnxruntime-node\/|onnxruntime-common\/|onnxruntime-web\/)/, 'node_modules other than onnxruntime'],
  [/^node_modules\/onnxruntime-node\/bin\/napi-v\d+\/(?!linux\/x64\/)/, 'onnxruntime binaries for other platforms'],
  [/(^|\/)(package-lock\.json|tsconfig\.json|esbuild\.mjs|\.npmrc|\.gitignore|\.npmignore)$/, 'build config'],
  [/^dist\/tokenize-dataset\.js/, 'training tool bundle'],
];
const bad = [];
for (const f of files) for (const [re, why] of forbidden) if (re.test(f.path)) bad.push(`${f.path} (${why})`);
if (bad.length) fail('vsix contents: nothing extra', `${bad.length} unwanted: ${bad.slice(0, 15).join(', ')}${bad.length > 15 ? ', …' : ''}`);
else pass('vsix contents: nothing extra', `${files.length} files, ${mb(total)} installed${vsixSize !== undefined ? `, .vsix ${mb(vsixSize)}` : ''}`);

// ---- onnxruntime-node loads from the packaged bundles (resolution must stay inside the extension)
for (const entry of ['dist/server.js', 'dist/extension.js']) {
  const name = `onnxruntime-node loads from packaged ${entry}`;
  try {
    const req = createRequire(path.join(dir, entry));
    const resolved = req.resolve('onnxruntime-node');
    if (!path.resolve(resolved).startsWith(path.resolve(dir) + path.sep)) throw new Error(`resolved outside the extension: ${resolved}`);
    const ort = req('onnxruntime-node');
    if (typeof ort.InferenceSession?.create !== 'function' || typeof ort.Tensor !== 'function') throw new Error('InferenceSession/Tensor missing');
    const t = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [2, 2]);
    pass(name, `${path.relative(dir, resolved)}, tensor dims ${t.dims.join('x')}`);
  } catch (e) {
    fail(name, String(e?.message ?? e).split('\n')[0]);
  }
}

// ---- and can open the shipped models (when there are any yet)
const onnxFiles = files.filter((f) => f.path.startsWith('models/') && f.path.endsWith('.onnx'));
if (onnxFiles.length) {
  const ort = createRequire(path.join(dir, 'dist/server.js'))('onnxruntime-node');
  for (const f of onnxFiles) {
    const name = `onnxruntime opens ${f.path}`;
    try {
      const s = await ort.InferenceSession.create(path.join(dir, f.path));
      pass(name, `inputs ${s.inputNames.join(',')} outputs ${s.outputNames.join(',')}`);
      await s.release?.();
    } catch (e) {
      fail(name, String(e?.message ?? e).split('\n')[0]);
    }
  }
  // The WASM fallback (onnxruntime-web) from the packaged bundle too, on the classifier graph.
  const name = 'onnxruntime-web (WASM fallback) opens the model from the package';
  try {
    const req = createRequire(path.join(dir, 'dist/server.js'));
    const resolved = req.resolve('onnxruntime-web');
    if (!path.resolve(resolved).startsWith(path.resolve(dir) + path.sep)) throw new Error(`resolved outside the extension: ${resolved}`);
    const web = req('onnxruntime-web');
    const model = onnxFiles.find((f) => f.path.endsWith('/model.onnx')) ?? onnxFiles[0];
    const s = await web.InferenceSession.create(path.join(dir, model.path), { executionProviders: ['wasm'] });
    pass(name, `${model.path}: inputs ${s.inputNames.join(',')}`);
    await s.release?.();
  } catch (e) {
    fail(name, String(e?.message ?? e).split('\n')[0]);
  }
} else {
  console.log('info: no models/**/*.onnx in the package yet; InferenceSession load not checked');
}

process.exit(failures);
