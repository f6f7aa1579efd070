// Disguise transforms for the robustness benchmark, applied to Java source with tree-sitter:
// each returns the transformed text, or null where the file lacks the construct. They are
// structure-level edits (the results are not compiled).
import { createRequire } from 'node:module';
import path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
let parser;

export async function initJava() {
  await Parser.init();
  const lang = await Language.load(path.join(path.dirname(require.resolve('tree-sitter-java/package.json')), 'tree-sitter-java.wasm'));
  parser = new Parser();
  parser.setLanguage(lang);
}

function parse(src) {
  return parser.parse(src);
}

/** Pre-order list of nodes (explicit stack). */
function nodes(root) {
  const out = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop();
    out.push(n);
    for (let i = n.namedChildCount - 1; i >= 0; i--) stack.push(n.namedChild(i));
  }
  return out;
}

function edit(src, edits) {
  edits.sort((a, b) => b[0] - a[0]);
  for (const [s, e, text] of edits) src = src.slice(0, s) + text + src.slice(e);
  return src;
}

export function isClean(src) {
  const t = parse(src);
  const ok = !t.rootNode.hasError;
  t.delete();
  return ok;
}

export const TRANSFORMS = {
  rename(src) {
    const t = parse(src);
    const names = new Map();
    for (const n of nodes(t.rootNode)) {
      const nameNode = ['variable_declarator', 'formal_parameter', 'method_declaration', 'class_declaration'].includes(n.type) ? n.childForFieldName('name') : null;
      if (nameNode && nameNode.text !== 'main' && !names.has(nameNode.text)) names.set(nameNode.text, `v${names.size}x`);
    }
    const edits = nodes(t.rootNode).filter((n) => (n.type === 'identifier' || n.type === 'type_identifier') && names.has(n.text))
      .map((n) => [n.startIndex, n.endIndex, names.get(n.text)]);
    t.delete();
    return edits.length ? edit(src, edits) : null;
  },
  reorder(src) {
    const t = parse(src);
    const edits = [];
    const body = nodes(t.rootNode).find((n) => n.type === 'class_body' && n.namedChildren.filter((c) => c.type === 'method_declaration').length >= 2);
    if (body) {
      const ms = body.namedChildren.filter((c) => c.type === 'method_declaration');
      edits.push([ms[0].startIndex, ms[0].endIndex, ms[1].text], [ms[1].startIndex, ms[1].endIndex, ms[0].text]);
    }
    // Two adjacent independent local declarations swap places (outside the methods just moved).
    for (const b of nodes(t.rootNode).filter((n) => n.type === 'block')) {
      if (body && edits.length && b.startIndex >= body.startIndex) {
        const ms = body.namedChildren.filter((c) => c.type === 'method_declaration');
        if (b.startIndex < ms[1].endIndex) continue;
      }
      const kids = b.namedChildren;
      for (let i = 0; i + 1 < kids.length; i++) {
        const [x, y] = [kids[i], kids[i + 1]];
        if (x.type !== 'local_variable_declaration' || y.type !== 'local_variable_declaration') continue;
        const declared = nodes(x).filter((n) => n.type === 'variable_declarator').map((n) => n.childForFieldName('name').text);
        if (declared.some((d) => new RegExp(`\\b${d}\\b`).test(y.text))) continue;
        edits.push([x.startIndex, x.endIndex, y.text], [y.startIndex, y.endIndex, x.text]);
        break;
      }
      if (edits.length > 2) break;
    }
    t.delete();
    return edits.length ? edit(src, edits) : null;
  },
  deadcode(src) {
    const t = parse(src);
    const methods = nodes(t.rootNode).filter((n) => n.type === 'method_declaration' && n.childForFieldName('body'));
    methods.sort((a, b) => b.text.length - a.text.length);
    const body = methods[0]?.childForFieldName('body');
    t.delete();
    if (!body) return null;
    const at = body.startIndex + 1;
    return edit(src, [[at, at, '\n        int deadVar = 0;\n        if (deadVar > 1) {\n            deadVar = deadVar + 1;\n        }\n']]);
  },
  // Dead statements in the middle of the largest block: an unused pair of variables and a loop that only updates them.
  deadMiddle(src) {
    const t = parse(src);
    const blocks = nodes(t.rootNode).filter((n) => n.type === 'block' && n.namedChildCount >= 3);
    blocks.sort((a, b) => b.namedChildCount - a.namedChildCount || a.startIndex - b.startIndex);
    const b = blocks[0];
    const at = b ? b.namedChild(Math.floor(b.namedChildCount / 2)).startIndex : -1;
    t.delete();
    if (at < 0) return null;
    return edit(src, [[at, at, 'int junkA = 7;\n        int junkB = junkA * 2;\n        for (int q = 0; q < junkB; q++) { junkA += q; }\n        ']]);
  },
  // Unreachable statements after the last return of a block.
  unreachable(src) {
    const t = parse(src);
    const r = nodes(t.rootNode).find((n) => n.type === 'return_statement' && n.parent?.type === 'block' && !n.nextNamedSibling);
    const at = r ? r.endIndex : -1;
    t.delete();
    if (at < 0) return null;
    return edit(src, [[at, at, '\n        System.out.println("unreachable");\n        int never = 1;']]);
  },
  negateIf(src) {
    const t = parse(src);
    const n = nodes(t.rootNode).find((x) => x.type === 'if_statement' && x.childForFieldName('alternative') && x.childForFieldName('alternative').type !== 'if_statement');
    if (!n) { t.delete(); return null; }
    const cond = n.childForFieldName('condition');
    const cons = n.childForFieldName('consequence');
    const alt = n.childForFieldName('alternative');
    const text = `if (!${cond.text}) ${alt.text} else ${cons.text}`;
    const out = edit(src, [[n.startIndex, n.endIndex, text]]);
    t.delete();
    return out;
  },
  forToWhile(src) {
    const t = parse(src);
    const n = nodes(t.rootNode).find((x) => x.type === 'for_statement' && x.childForFieldName('init') && x.childForFieldName('condition') && x.childForFieldName('update') && x.childForFieldName('body')?.type === 'block');
    if (!n) { t.delete(); return null; }
    const init = n.childForFieldName('init').text;
    const cond = n.childForFieldName('condition').text;
    const upd = n.childForFieldName('update').text;
    const body = n.childForFieldName('body').text;
    const inner = body.slice(1, -1);
    const text = `${init.endsWith(';') ? init : `${init};`}\n        while (${cond}) {${inner}    ${upd};\n        }`;
    const out = edit(src, [[n.startIndex, n.endIndex, text]]);
    t.delete();
    return out;
  },
  extractFunction(src) {
    const t = parse(src);
    const loop = nodes(t.rootNode).find((x) => ['for_statement', 'while_statement', 'enhanced_for_statement'].includes(x.type) && x.childForFieldName('body')?.type === 'block' && x.childForFieldName('body').namedChildCount >= 2);
    if (!loop) { t.delete(); return null; }
    let cls = loop.parent;
    while (cls && cls.type !== 'class_body') cls = cls.parent;
    if (!cls) { t.delete(); return null; }
    const body = loop.childForFieldName('body');
    const method = `\n    static void extractedPart() ${body.text}\n`;
    const out = edit(src, [[body.startIndex, body.endIndex, '{ extractedPart(); }'], [cls.endIndex - 1, cls.endIndex - 1, method]]);
    t.delete();
    return out;
  },
  // The same extraction with the enclosing method's variables the body reads passed as parameters (same names).
  extractWithParams(src) {
    const t = parse(src);
    const loop = nodes(t.rootNode).find((x) => ['for_statement', 'while_statement', 'enhanced_for_statement'].includes(x.type) && x.childForFieldName('body')?.type === 'block' && x.childForFieldName('body').namedChildCount >= 2);
    if (!loop) { t.delete(); return null; }
    let method = loop.parent;
    while (method && !['method_declaration', 'constructor_declaration'].includes(method.type)) method = method.parent;
    let cls = loop.parent;
    while (cls && cls.type !== 'class_body') cls = cls.parent;
    if (!method || !cls) { t.delete(); return null; }
    const declared = new Set(nodes(method).filter((n) => ['variable_declarator', 'formal_parameter'].includes(n.type) || (n.type === 'enhanced_for_statement'))
      .map((n) => n.childForFieldName('name')?.text).filter(Boolean));
    const body = loop.childForFieldName('body');
    const inBody = new Set(nodes(body).filter((n) => n.type === 'variable_declarator').map((n) => n.childForFieldName('name').text));
    const used = [...new Set(nodes(body).filter((n) => n.type === 'identifier' && declared.has(n.text) && !inBody.has(n.text)).map((n) => n.text))];
    const params = used.map((u) => `int ${u}`).join(', ');
    const text = `\n    static void extractedPart(${params}) ${body.text}\n`;
    const out = edit(src, [[body.startIndex, body.endIndex, `{ extractedPart(${used.join(', ')}); }`], [cls.endIndex - 1, cls.endIndex - 1, text]]);
    t.delete();
    return out;
  },
};
