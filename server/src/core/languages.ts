// The eight supported languages: how to recognise them and which syntax-node kinds carry meaning.
import path from 'node:path';
import { LANGUAGE_BY_VSCODE_ID, LANGUAGE_TABLE, LANGUAGES, languageFromVscodeId, type LanguageId } from '../../../protocol/config';

// The list itself, with extensions, grammars and VS Code ids, is protocol/config.ts's LANGUAGE_TABLE.
export { LANGUAGES, VSCODE_LANGUAGE_IDS, languageFromVscodeId, type LanguageId } from '../../../protocol/config';

/** Grammar package and wasm file per language (tsx shares the typescript package). */
export const GRAMMAR_FILES = Object.fromEntries(LANGUAGE_TABLE.map((l) => [l.id, l.grammar])) as Record<LanguageId, { pkg: string; file: string }>;

const BY_EXTENSION: Record<string, LanguageId> = Object.fromEntries(LANGUAGE_TABLE.flatMap((l) => l.extensions.map((e) => [e, l.id])));

export function languageFromPath(filePath: string): LanguageId | undefined {
  return BY_EXTENSION[path.extname(filePath).toLowerCase()];
}

/** Accepts our own ids, VS Code ids and common aliases (for `--language`). */
export function parseLanguage(name: string): LanguageId | undefined {
  const n = name.toLowerCase();
  if ((LANGUAGES as readonly string[]).includes(n)) return n as LanguageId;
  const alias: Record<string, LanguageId> = { py: 'python', js: 'javascript', ts: 'typescript', 'c++': 'cpp', rs: 'rust', golang: 'go' };
  return LANGUAGE_BY_VSCODE_ID[n] ?? alias[n];
}

/** Picks the language: an explicit VS Code id wins, then the file extension. */
export function detectLanguage(filePath: string, vscodeId?: string): LanguageId | undefined {
  return (vscodeId ? languageFromVscodeId(vscodeId) : undefined) ?? languageFromPath(filePath);
}

export function isSupportedFile(filePath: string): boolean {
  return languageFromPath(filePath) !== undefined;
}

/**
 * Node kinds per language. Anything function-like counts as a function (lambdas and closures too),
 * so per-function metrics exist wherever a body of code does.
 */
export interface NodeKinds {
  functions: string[];
  classes: string[];
  /** Class-like only when the node has a body (C/C++ struct, Go type_spec). */
  classesWithBody?: string[];
  loops: string[];
  ifs: string[];
  /** Decision points other than ifs and loops (cases, catches, ternaries). */
  decisions: string[];
  /** Case kinds that do not count when they are the `default` branch. */
  cases?: string[];
  /** Kinds that subtract one decision (Rust: a match's first arm is not a branch). */
  decisionOffsets?: string[];
  /** Anonymous tokens that are short-circuit boolean operators, and the named parents they count under. */
  booleanOperators: string[];
  booleanParents: string[];
  comments: string[];
}

const JS_FUNCS = ['function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function'];
const JS_LOOPS = ['for_statement', 'for_in_statement', 'while_statement', 'do_statement'];
const JS_DECISIONS = ['switch_case', 'catch_clause', 'ternary_expression'];
const C_LOOPS = ['for_statement', 'while_statement', 'do_statement'];
const C_DECISIONS = ['conditional_expression'];
const AND_OR = ['&&', '||'];

export const NODE_KINDS: Record<LanguageId, NodeKinds> = {
  python: {
    functions: ['function_definition', 'lambda'],
    classes: ['class_definition'],
    loops: ['for_statement', 'while_statement'],
    ifs: ['if_statement', 'elif_clause'],
    decisions: ['except_clause', 'conditional_expression', 'case_clause'],
    booleanOperators: ['and', 'or'],
    booleanParents: ['boolean_operator'],
    comments: ['comment'],
  },
  javascript: {
    functions: JS_FUNCS,
    classes: ['class_declaration', 'class'],
    loops: JS_LOOPS, ifs: ['if_statement'], decisions: JS_DECISIONS,
    booleanOperators: AND_OR, booleanParents: ['binary_expression'],
    comments: ['comment', 'html_comment'],
  },
  typescript: {
    functions: JS_FUNCS,
    classes: ['class_declaration', 'abstract_class_declaration', 'class', 'interface_declaration'],
    loops: JS_LOOPS, ifs: ['if_statement'], decisions: JS_DECISIONS,
    booleanOperators: AND_OR, booleanParents: ['binary_expression'],
    comments: ['comment'],
  },
  tsx: {
    functions: JS_FUNCS,
    classes: ['class_declaration', 'abstract_class_declaration', 'class', 'interface_declaration'],
    loops: JS_LOOPS, ifs: ['if_statement'], decisions: JS_DECISIONS,
    booleanOperators: AND_OR, booleanParents: ['binary_expression'],
    comments: ['comment'],
  },
  java: {
    functions: ['method_declaration', 'constructor_declaration', 'compact_constructor_declaration', 'lambda_expression'],
    classes: ['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration', 'annotation_type_declaration'],
    loops: ['for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement'],
    ifs: ['if_statement'],
    decisions: ['catch_clause', 'ternary_expression'],
    cases: ['switch_label'],
    booleanOperators: AND_OR, booleanParents: ['binary_expression'],
    comments: ['line_comment', 'block_comment'],
  },
  c: {
    functions: ['function_definition'],
    classes: [],
    classesWithBody: ['struct_specifier', 'union_specifier'],
    loops: C_LOOPS, ifs: ['if_statement'], decisions: C_DECISIONS,
    cases: ['case_statement'],
    booleanOperators: AND_OR, booleanParents: ['binary_expression'],
    comments: ['comment'],
  },
  cpp: {
    functions: ['function_definition', 'lambda_expression'],
    classes: [],
    classesWithBody: ['class_specifier', 'struct_specifier', 'union_specifier'],
    loops: [...C_LOOPS, 'for_range_loop'], ifs: ['if_statement'], decisions: [...C_DECISIONS, 'catch_clause'],
    cases: ['case_statement'],
    booleanOperators: AND_OR, booleanParents: ['binary_expression'],
    comments: ['comment'],
  },
  go: {
    functions: ['function_declaration', 'method_declaration', 'func_literal'],
    classes: [],
    classesWithBody: ['type_spec'],
    loops: ['for_statement'], ifs: ['if_statement'],
    decisions: ['expression_case', 'type_case', 'communication_case'],
    booleanOperators: AND_OR, booleanParents: ['binary_expression'],
    comments: ['comment'],
  },
  rust: {
    functions: ['function_item', 'closure_expression'],
    classes: ['struct_item', 'enum_item', 'trait_item', 'union_item'],
    loops: ['for_expression', 'while_expression', 'loop_expression'],
    ifs: ['if_expression'],
    decisions: ['match_arm'],
    decisionOffsets: ['match_expression'],
    booleanOperators: AND_OR, booleanParents: ['binary_expression'],
    comments: ['line_comment', 'block_comment'],
  },
};
