// Compiles a language's NodeKinds into a flag table indexed by tree-sitter type id,
// so the hot traversal compares integers instead of strings.
import type { Language } from 'web-tree-sitter';
import { NODE_KINDS, type LanguageId } from './languages';

export const F_FUNCTION = 1;
export const F_CLASS = 2;
export const F_CLASS_IF_BODY = 4;
export const F_LOOP = 8;
export const F_IF = 16;
export const F_DECISION = 32;
export const F_CASE = 64;
export const F_DECISION_OFFSET = 128;
export const F_BOOL_OP = 256;
export const F_BOOL_PARENT = 512;
export const F_COMMENT = 1024;
export const F_ERROR = 2048;
/** Named node kinds; reading this from the table saves a wasm call per node. */
export const F_NAMED = 4096;

export interface FlagTable {
  flags: Uint16Array;
  names: string[];
}

const cache = new Map<LanguageId, FlagTable>();
/** tree-sitter's id for ERROR nodes. */
const ERROR_ID = 0xffff;

export function flagTable(lang: LanguageId, language: Language): FlagTable {
  const hit = cache.get(lang);
  if (hit) return hit;
  const kinds = NODE_KINDS[lang];
  const count = language.nodeTypeCount;
  const flags = new Uint16Array(ERROR_ID + 1);
  const names: string[] = new Array<string>(count);
  const named: Array<[string[] | undefined, number]> = [
    [kinds.functions, F_FUNCTION], [kinds.classes, F_CLASS], [kinds.classesWithBody, F_CLASS_IF_BODY],
    [kinds.loops, F_LOOP], [kinds.ifs, F_IF], [kinds.decisions, F_DECISION], [kinds.cases, F_CASE],
    [kinds.decisionOffsets, F_DECISION_OFFSET], [kinds.booleanParents, F_BOOL_PARENT], [kinds.comments, F_COMMENT],
  ];
  for (let id = 0; id < count; id++) {
    const name = language.nodeTypeForId(id) ?? '';
    names[id] = name;
    let f = 0;
    if (language.nodeTypeIsNamed(id)) {
      f = F_NAMED;
      for (const [list, flag] of named) if (list?.includes(name)) f |= flag;
    } else if (kinds.booleanOperators.includes(name)) {
      f = F_BOOL_OP;
    }
    flags[id] = f;
  }
  flags[ERROR_ID] = F_ERROR | F_NAMED;
  const table = { flags, names };
  cache.set(lang, table);
  return table;
}
