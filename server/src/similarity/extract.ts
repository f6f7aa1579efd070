// One iterative cursor walk per file yields everything the similarity engine compares:
// normalized subtree hashes with line ranges, a light statement tree (for the control-flow graphs)
// and def/use events (for the data-flow graph). The shapes it yields are declared in extracted.ts;
// tracked subtrees are collected by tracked.ts. The same walk can feed another reader of the tree
// (`ExtractOptions.visitor`: the local judge's tokens), so that a file is walked once for both.
import type { Parsed } from '../core/parser';
import { countLines } from '../core/source';
import { fieldIds, nodeKey, type DefUse, type Extracted, type ExtractOptions, type LightNode } from './extracted';
import { fmix, key53 } from './hash';
import { TrackedSubtrees } from './tracked';
import { LIT_STR } from './kinds';
import {
  R_ASSIGN, R_BINARY, R_BLOCK, R_EXPR_STMT, R_BREAK, R_CASE, R_CONTINUE, R_CONTROL, R_FIELD_IDENT, R_FUNCTION, R_IDENT, R_LITERAL,
  R_LOOP, R_PARAM, R_PUNCT, R_RETURN, R_SKIP, R_THROW, R_TYPE_IDENT, R_UNORDERED, R_UPDATE, X_CALL, X_COMPOUND, X_DECL, X_DECL_LIST, X_EFFECT, X_LVALUE,
  roleTable,
} from './kinds';

/** tree-sitter's type id of ERROR nodes. */
const ERROR_TYPE = 0xffff;
const SEED_IDENT = 0x1d3a;
const SEED_TYPE = 0x2b7c;
const SEED_FIELD = 0x3e91;
const SEED_LIT = 0x4f05;

export function extract(parsed: Parsed, opts: ExtractOptions): Extracted {
  const { tree, source, language: lang } = parsed;
  const table = roleTable(lang, tree.language);
  const { roles, aux, literal, commutative, canonicalOp, names } = table;
  const skipKeys = opts.skip && opts.skip.size > 0 ? opts.skip : undefined;
  let skipped = 0;
  const calls = new Map<string, number>();
  const F = fieldIds(tree.language);
  const isPython = lang === 'python';
  // Languages whose string literals may read names (f-strings, template strings): those reads are uses.
  const interpolates = isPython || lang === 'javascript' || lang === 'typescript' || lang === 'tsx';

  // Tracked subtrees, reserved in pre-order at enter and kept at leave when large enough.
  const tracked = new TrackedSubtrees(opts.minSubtree);

  // Parallel frame stacks, one entry per hashed node on the path from the root.
  const sType: number[] = [];
  const sRole: number[] = [];
  const sA: number[] = [];
  const sB: number[] = [];
  const sUA: number[] = [];
  const sUB: number[] = [];
  const sSize: number[] = [];
  const sTracked: number[] = [];
  const sLight: Array<LightNode | null> = [];
  // The nearest light node (and function) at or below each frame: looked up per call and name, walking
  // the stack up made 40,000 chained calls n² (a 600 KB file: 30 s).
  const sNear: LightNode[] = [];
  const sFunc: LightNode[] = [];
  const sOp: number[] = [];
  const sTarget: number[] = []; // 0: plain, 1: def target, 2: def+use target, 3: parameter
  const sShape: number[] = [];
  const sFirstChild: number[] = []; // first named child's key (expression statements forward it)
  const sFirstShape: number[] = [];
  const sEvStart: number[] = [];
  const sNamedKids: number[] = [];
  const sFirstA: number[] = [];
  const sFirstB: number[] = [];
  const sCallee: Array<string | null> = []; // calls: the plain name called; expression statements: their call's
  const sObject: boolean[] = []; // calls: a receiver came first (`o.f()`), so the name is not a plain function

  // The normalized token stream (pre-order, with a closing token per named node) for k-gram fingerprints.
  const tokCode: number[] = [];
  const tokRow: number[] = [];
  const events: DefUse[] = [];
  const loops: Array<[LightNode, number, number]> = [];
  let pre = 0;
  const rootLight: LightNode = {
    role: R_BLOCK, type: -1, field: 0, parent: null, children: [], line: 0, endLine: 0, hash: 0, shape: 0, pre: pre++, post: 0, isDefault: false,
    start: 0, effect: false,
  };
  let total = 0;

  // A visitor (opts.visitor) rides along: the walk also goes into nodes only it wants the children of,
  // the engine reading nothing below them until it is back (`exOff`: that node's depth), and into nodes
  // only the engine wants, the visitor seeing nothing below them (`tkOff`).
  const visitor = opts.visitor;
  let depth = 0;
  let exOff = -1;
  let tkOff = -1;
  const cursor = tree.walk();
  let done = false;
  while (!done) {
    let descended = false;
    let triedChildren = false;
    const tkWants = visitor !== undefined && tkOff < 0 && visitor.enter(cursor);
    if (exOff < 0) {
      const id = cursor.nodeTypeId;
      const role = roles[id]!;
      const named = cursor.nodeIsNamed;
      let skip = role & R_SKIP || (!named && role & R_PUNCT) || (isPython && role & R_EXPR_STMT && isDocstring());
      if (!skip && skipKeys && named && skipKeys.has(nodeKey(cursor.startIndex, id))) {
        skip = true;
        skipped++;
      }
      if (!skip) {
        const sp = sType.length;
        if (id === ERROR_TYPE) functionOf(sp).hasError = true;
        const parentRole = sp > 0 ? sRole[sp - 1]! : 0;
        total++;
        const row = cursor.startPosition.row;
        if (sp > 0 && !named && commutative[id]) sOp[sp - 1] = id;
        // Names in an assignment's target (or a parameter list) are definitions.
        let target = sp > 0 ? sTarget[sp - 1]! : 0;
        if (target === 0 && sp > 0 && parentRole & (R_ASSIGN | R_LOOP | R_UPDATE)) {
          const fid = cursor.currentFieldId;
          if (parentRole & (R_ASSIGN | R_LOOP) && (fid === F.left || fid === F.name || fid === F.declarator || fid === F.pattern)) {
            target = parentRole & R_UPDATE ? 2 : aux[sType[sp - 1]!]! & X_DECL || parentRole & R_LOOP ? 4 : 1;
          } else if (parentRole & R_UPDATE && !(parentRole & R_ASSIGN) && named) target = 2;
        }
        if (target === 0 && sp > 0 && role & R_IDENT && cursor.currentFieldId === F.declarator) {
          // `int x;`, and C++'s `T name(args);` inside a function (a declaration read as a function declarator).
          const pt = sType[sp - 1]!;
          if (aux[pt]! & X_DECL_LIST || (names[pt] === 'function_declarator' && sp > 1 && aux[sType[sp - 2]!]! & X_DECL_LIST && nearestFunction(sp) !== null)) target = 4;
        }
        // Writing through a field, an element or a pointer is an effect; the names in it are read, not defined.
        if (target !== 0 && target !== 3 && named && aux[id]! & X_LVALUE) {
          nearestLight(sp).effect = true;
          target = 0;
        }
        if (sp > 0 && aux[sType[sp - 1]!]! & X_CALL && cursor.currentFieldId === F.object) sObject[sp - 1] = true;
        // A leaf that only feeds its parent: names, literals, operators and keywords.
        const leafRole = role & (R_IDENT | R_TYPE_IDENT | R_FIELD_IDENT | R_LITERAL);
        if (!named || leafRole) {
          let h: number;
          let fieldRole = role;
          if (role & R_IDENT && sp > 0) {
            const fid = cursor.currentFieldId;
            if (fid === F.attribute || fid === F.property || fid === F.field) fieldRole = R_FIELD_IDENT;
          }
          if (role & R_LITERAL) {
            h = SEED_LIT + literal[id]!;
            if (interpolates && literal[id] === LIT_STR && sp > 0) interpolatedUses(sp);
          }
          else if (fieldRole & R_FIELD_IDENT) h = SEED_FIELD;
          else if (role & R_TYPE_IDENT) h = SEED_TYPE;
          else if (role & R_IDENT) h = SEED_IDENT;
          else h = canonicalOp[id]! >= 0 ? canonicalOp[id]! : id;
          if (sp > 0) feed(sp - 1, fmix(Math.imul(h + 1, 0x9e3779b1)), fmix(Math.imul(h + 7, 0x85ebca6b)), id, 1);
          if (!named && aux[id]! & X_EFFECT && sp > 0) nearestLight(sp).effect = true;
          // `x += 1` written as an assignment with a compound operator (C family, Java, Go): the target is read too.
          if (!named && sp > 0 && sRole[sp - 1]! & R_ASSIGN && aux[id]! & X_COMPOUND) {
            for (let k = sEvStart[sp - 1]!; k < events.length; k++) if (events[k]!.def) events[k]!.use = true;
          }
          tokCode.push(h);
          tokRow.push(row);
          if (fieldRole & R_IDENT && !(fieldRole & R_FIELD_IDENT) && sp > 0) {
            const text = cursor.nodeText;
            recordName(sp, target, text);
            const p = sp - 1;
            const fid = cursor.currentFieldId;
            if (aux[sType[p]!]! & X_CALL && (fid === F.function || (fid === F.name && !sObject[p]))) sCallee[p] = text;
            else if (fid === F.name || fid === F.declarator) {
              // A function's name: its own `name` field, or C's `declarator: function_declarator(declarator: name)`.
              const fn = sRole[p]! & R_FUNCTION ? sLight[p] : p > 0 && sRole[p - 1]! & R_FUNCTION && names[sType[p]!] === 'function_declarator' ? sLight[p - 1] : null;
              if (fn && fn.name === undefined) fn.name = text;
            }
          }
        } else {
          const fid = sp > 0 ? cursor.currentFieldId : 0;
          const startRow = row;
          // Braces are formatting: blocks add no tokens, so `if (c) x;` and `if (c) { x; }` read alike.
          if (!(role & R_BLOCK)) {
            tokCode.push(id + 0x10000);
            tokRow.push(row);
          }
          let light: LightNode | null = null;
          const parentIsContainer = sp === 0 || (sLight[sp - 1] !== null && parentRole & (R_BLOCK | R_CONTROL | R_FUNCTION) &&
            !(parentRole & (R_RETURN | R_BREAK | R_CONTINUE | R_THROW)));
          if (role & (R_CONTROL | R_FUNCTION | R_BLOCK) || parentIsContainer) {
            const owner = nearestLight(sp);
            light = {
              role, type: id, field: fid, parent: owner, children: [], line: startRow, endLine: 0,
              hash: 0, shape: 0, pre: pre++, post: 0,
              isDefault: role & R_CASE ? isDefaultCase(id) : false, start: cursor.startIndex, effect: false,
            };
            owner.children.push(light);
          }
          if (role & R_PARAM) target = 3;
          sType.push(id);
          sRole.push(role);
          sA.push(Math.imul(id + 1, 0x9e3779b1));
          sB.push(Math.imul(id + 7, 0x85ebca6b));
          sUA.push(0);
          sUB.push(0);
          sSize.push(1);
          sLight.push(light);
          sNear.push(light ?? nearestLight(sp));
          sFunc.push(light && role & R_FUNCTION ? light : functionOf(sp));
          sOp.push(-1);
          sTarget.push(target);
          sShape.push(Math.imul(id + 3, 0x27d4eb2f));
          sFirstChild.push(-1);
          sFirstShape.push(-1);
          sEvStart.push(events.length);
          sNamedKids.push(0);
          sFirstA.push(0);
          sFirstB.push(0);
          sCallee.push(null);
          sObject.push(false);
          triedChildren = true;
          if (cursor.gotoFirstChild()) {
            sTracked.push(tracked.reserve(startRow));
            descended = true;
            if (visitor && !tkWants && tkOff < 0) tkOff = depth;
          } else {
            sTracked.push(-1);
            leave();
            if (tkWants) visitor!.leaf(cursor);
          }
        }
      }
    }
    if (tkWants && !triedChildren) {
      if (cursor.gotoFirstChild()) {
        descended = true;
        if (exOff < 0) exOff = depth;
      } else visitor!.leaf(cursor);
    }
    if (descended) {
      depth++;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
      depth--;
      if (tkOff === depth) tkOff = -1;
      // Back at a node the engine did not go into (only the visitor did), or at one of its own frames.
      if (exOff === depth) exOff = -1;
      else if (exOff < 0) leave();
    }
  }
  cursor.delete();
  rootLight.post = pre++;

  /** Folds a child (hashes `a`, `b`; `childType` for the shape; `size` hashed nodes) into frame `p`. */
  function feed(p: number, a: number, b: number, childType: number, size: number): void {
    sA[p] = Math.imul(sA[p]! ^ a, 0x01000193) + 0x7f4a7c15;
    sB[p] = Math.imul((sB[p]! << 5) | (sB[p]! >>> 27), 0x27d4eb2f) ^ b;
    sUA[p] = (sUA[p]! + a) | 0;
    sUB[p] = (sUB[p]! + Math.imul(b, 0x9e3779b1)) | 0;
    sShape[p] = Math.imul(sShape[p]! ^ (childType + 1), 0x01000193);
    sSize[p]! += size;
  }

  function leave(): void {
    const sp = sType.length - 1;
    const id = sType.pop()!;
    const role = sRole.pop()!;
    const ha = sA.pop()!;
    const hb = sB.pop()!;
    const ua = sUA.pop()!;
    const ub = sUB.pop()!;
    const size = sSize.pop()!;
    const ti = sTracked.pop()!;
    const light = sLight.pop()!;
    sNear.pop();
    sFunc.pop();
    const op = sOp.pop()!;
    sTarget.pop();
    const shapeAcc = sShape.pop()!;
    const firstChild = sFirstChild.pop()!;
    const firstShape = sFirstShape.pop()!;
    const evStart = sEvStart.pop()!;
    const namedKids = sNamedKids.pop()!;
    const firstA = sFirstA.pop()!;
    const firstB = sFirstB.pop()!;
    const callee = sCallee.pop()!;
    sObject.pop();
    const unordered = opts.unordered !== false && (role & R_UNORDERED || (role & R_BINARY && op >= 0));
    let a: number;
    let b: number;
    if (unordered) {
      a = fmix(Math.imul(id + 1, 0x9e3779b1) ^ ua);
      b = fmix(Math.imul(id + 7, 0x85ebca6b) + ub);
    } else if (role & R_BLOCK && namedKids === 1 && sp > 0) {
      // A block around a single statement hashes as that statement (optional braces).
      a = firstA;
      b = firstB;
    } else {
      a = fmix(ha);
      b = fmix(hb);
    }
    const key = key53(a, b);
    if (ti >= 0) tracked.close(ti, key, size, cursor.endPosition);
    const shape = fmix(shapeAcc) >>> 0;
    if (!(role & R_BLOCK)) {
      tokCode.push(id + 0x20000);
      tokRow.push(cursor.endPosition.row);
    }
    if (aux[id]! & X_EFFECT) (light ?? nearestLight(sp)).effect = true;
    if (aux[id]! & X_CALL) {
      (light ?? nearestLight(sp)).effect = true;
      if (callee !== null) {
        calls.set(callee, (calls.get(callee) ?? 0) + 1);
        // An expression statement that is only this call.
        if (sp > 0 && sRole[sp - 1]! & R_EXPR_STMT && sNamedKids[sp - 1] === 0) sCallee[sp - 1] = callee;
      }
    }
    if (light) {
      if (role & R_EXPR_STMT && namedKids === 1 && callee !== null) light.callee = callee;
      const fwd = role & R_EXPR_STMT && firstChild >= 0;
      light.hash = fwd ? firstChild : key;
      light.shape = fwd ? firstShape : shape;
      light.endLine = cursor.endPosition.row;
      light.post = pre++;
      if (role & R_LOOP) loops.push([light, evStart, events.length]);
    }
    if (sp > 0) {
      const p = sp - 1;
      feed(p, a, b, id, size);
      if (sFirstChild[p]! < 0) {
        sFirstChild[p] = key;
        sFirstShape[p] = shape;
        sFirstA[p] = a;
        sFirstB[p] = b;
      }
      sNamedKids[p]!++;
    }
  }

  function nearestFunction(sp: number): LightNode | null {
    const f = functionOf(sp);
    return f === rootLight ? null : f;
  }

  /** The innermost function frame below frame `sp` (the root outside any). */
  function functionOf(sp: number): LightNode {
    return sp > 0 ? sFunc[sp - 1]! : rootLight;
  }

  /** The innermost light node below frame `sp` (the root if none). */
  function nearestLight(sp: number): LightNode {
    return sp > 0 ? sNear[sp - 1]! : rootLight;
  }

  function recordName(sp: number, t: number, name: string): void {
    const unit = nearestLight(sp);
    // A C++ reference parameter (`int &out`) names the caller's variable: it is not a local declaration.
    const decl = (t === 3 || t === 4) && names[sType[sp - 1]!] !== 'reference_declarator';
    events.push({ unit, name, def: t !== 0, use: t === 0 || t === 2, decl });
  }

  /** Names read inside `f"{x}"` / `` `${x}` ``: recorded as uses, since the literal's children are not walked. */
  function interpolatedUses(sp: number): void {
    const text = cursor.nodeText;
    const py = isPython && /^[rRbBuU]*[fF]/.test(text);
    if (!py && !(text.startsWith('`') && text.includes('${'))) return;
    const unit = nearestLight(sp);
    const open = py ? /\{(?!\{)([^{}]*)\}/g : /\$\{([^{}]*)\}/g;
    for (const m of text.matchAll(open)) {
      for (const n of m[1]!.matchAll(/(?<![.\w$])[A-Za-z_$][\w$]*/g)) {
        events.push({ unit, name: n[0], def: false, use: true, decl: false });
      }
    }
  }

  function isDocstring(): boolean {
    const n = cursor.currentNode;
    return n.namedChildCount === 1 && n.namedChild(0)?.type === 'string';
  }

  function isDefaultCase(id: number): boolean {
    const name = names[id]!;
    if (name.includes('default')) return true;
    const start = cursor.startIndex;
    if (source.startsWith('default', start)) return true;
    // Java groups start with their label; Python and Rust use the `_` wildcard pattern.
    const head = source.slice(start, start + 40).trimStart();
    return /^(case\s+_\s*:|_\s*(=>|if\b))/.test(head) || /^default\b/.test(head) || /^case\s+_\s*$/.test(head.split('\n')[0] ?? '');
  }

  return {
    tracked: tracked.compact(), total, root: rootLight, events, loops, table, fields: F, lineCount: countLines(source),
    tokens: Int32Array.from(tokCode), tokenRows: Uint32Array.from(tokRow), calls, skipped,
  };
}
