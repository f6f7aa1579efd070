#!/usr/bin/env node
// Desktop VS Code test runner, for contributors who have (or may download) a desktop VS Code.
//
//   npm run test:desktop                 builds, downloads VS Code stable into .vscode-test/ and runs
//                                        test/desktop/suite/ inside it with this folder as the
//                                        extension under development
//   CODE_ORIGIN_VSCODE=/path/to/code npm run test:desktop     use an installed VS Code instead
//   VSCODE_VERSION=1.100.3 npm run test:desktop                pin the downloaded version
//   Headless Linux: xvfb-run -a npm run test:desktop
//
// It downloads VS Code from update.code.visualstudio.com (through @vscode/test-electron), so it is
// NOT part of `npm test` / CI: CI machines reach only the npm registry. CI's end-to-end test of the
// packaged .vsix is test/e2e/run.sh (code-server from npm + Chromium). This suite runs the
// unpackaged extension (dist/ as built by `npm run build`) and checks activation, the hover and
// the summary command through the VS Code API.
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

async function main() {
  const root = path.resolve(__dirname, '../..');
  const options = {
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
    launchArgs: [
      path.join(root, 'examples'),
      '--disable-extensions', // other installed extensions; the one under development still loads
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
    ],
    extensionTestsEnv: { CODE_ORIGIN_EXAMPLES: path.join(root, 'examples') },
  };
  if (process.env.CODE_ORIGIN_VSCODE) options.vscodeExecutablePath = process.env.CODE_ORIGIN_VSCODE;
  else options.version = process.env.VSCODE_VERSION || 'stable';
  await runTests(options);
}

main().catch((err) => {
  console.error('desktop tests failed:', err && err.message ? err.message : err);
  process.exit(1);
});
