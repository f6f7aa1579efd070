// Mocha entry point loaded by VS Code's extension host (see ../run.js).
const path = require('node:path');
const Mocha = require('mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', color: true, timeout: 90_000 });
  mocha.addFile(path.join(__dirname, 'extension.desktop.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} desktop test(s) failed`)) : resolve()));
  });
};
