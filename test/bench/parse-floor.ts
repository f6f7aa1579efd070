// The least any tool built on web-tree-sitter spends on a folder: parse every file and visit every node
// once with the cursor reads our extraction cannot do without (type, named, field, start row). No
// features, no scoring, no output. The similarity bench times it in a fresh process beside our CLI and
// Dolos, so the speed target can be read against what parsing alone costs here.
// Run: node out/bench/parse-floor.js DIR LANGUAGE
import fs from 'node:fs';
import path from 'node:path';
import type { LanguageId } from '../../server/src/core/languages';
import { parseSource } from '../../server/src/core/parser';

async function main(): Promise<void> {
  const [dir, language] = process.argv.slice(2) as [string, LanguageId];
  if (!dir || !language) throw new Error('usage: parse-floor DIR LANGUAGE');
  let files = 0;
  let nodes = 0;
  let check = 0;
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (!fs.statSync(p).isFile()) continue;
    const parsed = await parseSource(fs.readFileSync(p, 'utf8'), language);
    const c = parsed.tree.walk();
    let done = false;
    while (!done) {
      nodes++;
      // Read what extraction reads of every node, so the walk costs what a real one must.
      check += c.nodeTypeId + (c.nodeIsNamed ? 1 : 0) + c.currentFieldId + c.startPosition.row;
      if (c.gotoFirstChild()) continue;
      while (!c.gotoNextSibling()) {
        if (!c.gotoParent()) {
          done = true;
          break;
        }
      }
    }
    c.delete();
    parsed.dispose();
    files++;
  }
  console.log(JSON.stringify({ files, nodes, check }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
