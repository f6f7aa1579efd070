// Bundles the extension, the language server, the CLI and the test suites.
// Grammar .wasm files and web-tree-sitter's runtime are copied beside the bundles (dist/wasm),
// because tree-sitter loads them from disk at run time.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync, readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const pkgVersion = JSON.parse(readFileSync('package.json', 'utf8')).version;

/** Product bundles: everything inlined but the VS Code API and onnxruntime's native binding. */
const productEntries = {
  extension: 'client/src/extension.ts',
  server: 'server/src/lsp/main.ts',
  cli: 'server/src/cli/main.ts',
  originWorker: 'server/src/lsp/origin/worker.ts',
};
/** Extra product-side scripts (e.g. the dataset tokenizer that training uses); add here. */
const toolEntries = {
  'tokenize-dataset': 'models/train/tokenize-dataset.ts',
};

// The grammars come from the language table (protocol/config.ts), compiled here on the fly, so that
// adding a language is one entry there.
const languageTable = await (async () => {
  const js = (await esbuild.build({ entryPoints: ['protocol/config.ts'], bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'warning' })).outputFiles[0].text;
  return (await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)).LANGUAGE_TABLE;
})();
const grammarFiles = [...new Map(languageTable.map((l) => [l.grammar.file, [l.grammar.pkg, l.grammar.file]])).values()];

function copyWasm() {
  const out = 'dist/wasm';
  mkdirSync(out, { recursive: true });
  for (const [pkg, file] of grammarFiles) {
    cpSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file), path.join(out, file));
  }
  cpSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(out, 'web-tree-sitter.wasm'));
  // The runtime's JS is loaded from disk too, so that it can be loaded afresh after a wasm abort (core/parser.ts).
  cpSync(require.resolve('web-tree-sitter'), path.join(out, 'web-tree-sitter.cjs'));
}

function testEntries(dir = 'test') {
  const found = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!['e2e', 'bench', 'fixtures', 'desktop'].includes(name)) found.push(...testEntries(p));
    } else if (name.endsWith('.test.ts')) found.push(p);
  }
  return found;
}

const common = {
  bundle: true,
  // web-tree-sitter's ESM build reads import.meta.url, which a CommonJS bundle must supply.
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  define: { CODE_ORIGIN_VERSION: JSON.stringify(pkgVersion), 'import.meta.url': '__importMetaUrl' },
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const builds = [
  {
    ...common,
    entryPoints: { ...productEntries, ...toolEntries },
    outdir: 'dist',
    external: ['vscode', 'onnxruntime-node', 'onnxruntime-web'],
  },
  // Benchmarks written in TypeScript import the core directly.
  ...(existsSync('test/bench') ? [{ ...common, entryPoints: readdirSync('test/bench').filter((f) => f.endsWith('.ts')).map((f) => `test/bench/${f}`), outdir: 'out/bench', packages: 'external' }] : []),
  // Tests are bundled one file each; packages stay external so they resolve from node_modules.
  ...(existsSync('test')
    ? [{ ...common, entryPoints: testEntries(), outdir: 'out', outbase: '.', packages: 'external', sourcemap: 'inline' }]
    : []),
];

// The similarity panel's webview: a browser bundle; the CSS it imports becomes dist/webview/main.css.
if (existsSync('webview/src/main.ts')) {
  builds.push({ entryPoints: { main: 'webview/src/main.ts' }, outdir: 'dist/webview', bundle: true, platform: 'browser', format: 'iife', target: 'chrome120', minify: true, sourcemap: !production, logLevel: 'warning' });
}

rmSync('out', { recursive: true, force: true });
copyWasm();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
