// What one walk of a file yields (see extract.ts): the statement tree, def/use events, tracked
// subtrees and the token stream, in the shapes the control-flow, data-flow, dead-code and
// fingerprint passes read; and the keys and field ids that name syntax nodes across walks.
import type { Language, TreeCursor } from 'web-tree-sitter';
import type { RoleTable } from './kinds';

/** A statement-level node: functions, blocks, control constructs and the statements inside them. */
export interface LightNode {
  role: number;
  type: number;
  /** Field id of this node in its parent (0: none). */
  field: number;
  parent: LightNode | null;
  children: LightNode[];
  /** Zero-based rows. */
  line: number;
  endLine: number;
  /** Full normalized structure key (names and literal values ignored). */
  hash: number;
  /** Shallow shape: own type and its children's types; labels control-flow blocks. */
  shape: number;
  pre: number;
  post: number;
  /** Switch cases: the default branch. */
  isDefault: boolean;
  /** A function whose body was inlined at its only call site (it gets no graph of its own). */
  inlined?: boolean;
  /** Start offset in the source: with `type`, names the node across walks (see `nodeKey`). */
  start: number;
  /** Functions: their name, when it is a plain identifier. */
  name?: string;
  /** Statements that are exactly one call of a plain name (`f(a);`): that name. */
  callee?: string;
  /** Has an effect beyond its local definitions: a call, or a write through a field, element or pointer. */
  effect: boolean;
  /** Functions (and the root): a syntax error inside, so their statements are not judged dead. */
  hasError?: boolean;
}

/** A key naming a syntax node across walks of one tree. */
export function nodeKey(start: number, type: number): number {
  return start * 0x10000 + type;
}

export interface DefUse {
  unit: LightNode;
  name: string;
  def: boolean;
  use: boolean;
  /** The definition declares the name (declaration, parameter, loop variable). */
  decl: boolean;
}

export interface Extracted {
  /** Tracked subtrees in pre-order. */
  tracked: TrackedNodes;
  /** Hashed nodes in the file (named nodes and operator tokens; punctuation and comments excluded). */
  total: number;
  root: LightNode;
  events: DefUse[];
  /** Events of each loop: [loop, first event index, end index). */
  loops: Array<[LightNode, number, number]>;
  table: RoleTable;
  fields: FieldIds;
  lineCount: number;
  /** Normalized token stream and each token's row. */
  tokens: Int32Array;
  tokenRows: Uint32Array;
  /** Calls of plain names anywhere in the file, per name. */
  calls: Map<string, number>;
  /** Statements left out of this walk (dead code found by an earlier walk). */
  skipped: number;
}

export interface TrackedNodes {
  hash: Float64Array;
  size: Uint32Array;
  /** Index of the first tracked node after this one's subtree. */
  next: Uint32Array;
  /** Zero-based rows. */
  start: Uint32Array;
  end: Uint32Array;
}

export interface FieldIds {
  consequence: number; alternative: number; body: number; condition: number; initializer: number; update: number;
  left: number; name: number; declarator: number; pattern: number; value: number; attribute: number; property: number;
  field: number; operator: number; function: number; argument: number; object: number;
}

const fieldCache = new WeakMap<Language, FieldIds>();
/** The field ids the walk asks about, for one grammar (-1 where it has no such field); cached per language. */
export function fieldIds(language: Language): FieldIds {
  let f = fieldCache.get(language);
  if (!f) {
    const id = (n: string) => language.fieldIdForName(n) ?? -1;
    f = {
      consequence: id('consequence'), alternative: id('alternative'), body: id('body'), condition: id('condition'),
      initializer: Math.max(id('initializer'), id('init')), update: id('update'), left: id('left'), name: id('name'),
      declarator: id('declarator'), pattern: id('pattern'), value: id('value'), attribute: id('attribute'),
      property: id('property'), field: id('field'), operator: id('operator'), function: id('function'), argument: id('argument'),
      object: id('object'),
    };
    fieldCache.set(language, f);
  }
  return f;
}

export interface ExtractOptions {
  /** Smallest subtree (in hashed nodes) tracked as evidence. */
  minSubtree: number;
  unordered?: boolean;
  /** Statements to leave out entirely, by `nodeKey` (dead code found by a first walk). */
  skip?: Set<number>;
  /**
   * Another reader of the same pre-order walk (the local judge's tokens, judge/local/tokens.ts
   * `TokenWalk`), so that one walk serves both: at each node `enter` says whether it wants the
   * children, and `leaf` is told when a node it wanted the children of has none. The walk also goes
   * into nodes only it wants (the engine reads nothing below them), and it sees nothing below a node
   * it did not want.
   */
  visitor?: { enter(cursor: TreeCursor): boolean; leaf(cursor: TreeCursor): void };
}
