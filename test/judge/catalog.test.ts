// Every catalog entry is recognised by its structural signature, in both canonical forms.
import assert from 'node:assert/strict';
import { CATALOG } from '../../server/src/judge/local/catalog';
import { detectAlgorithms } from '../../server/src/judge/local/detect';
import { matchSignatures } from '../../server/src/judge/local/signatures';
import { tokenize } from '../../server/src/judge/local/tokens';
import { namedText } from '../../server/src/judge/local/detect';

describe('judge catalog', () => {
  for (const entry of CATALOG) {
    for (const form of ['python', 'c'] as const) {
      it(`${entry.name} (${form}) matches its own signature`, async () => {
        const file = await tokenize(entry[form], form);
        const fnName = file.functions[0]?.name ?? '';
        const text = namedText(file.tokens);
        const recursive = file.tokens.filter((t) => t.name === fnName).length > 1;
        // Names are withheld: the structure alone must be recognised.
        const found = matchSignatures(text, '', recursive);
        const detected = (await detectAlgorithms(file)).map((d) => d.name);
        assert.ok(found.includes(entry.name) || detected.includes(entry.name), `${entry.name}: signatures ${JSON.stringify(found)}, detected ${JSON.stringify(detected)}\n${text}`);
      });
    }
  }
});
