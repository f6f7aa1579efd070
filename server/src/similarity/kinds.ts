// Node roles for the similarity engine, compiled per language into flag tables indexed by type id
// (the hot walk compares integers, as core/nodeFlags does for the summary).
import type { Language } from 'web-tree-sitter';
import { NODE_KINDS, type LanguageId } from '../core/languages';

export const R_SKIP = 1 << 0; // comments: dropped with their subtree
export const R_IDENT = 1 << 1; // variable / function names
export const R_TYPE_IDENT = 1 << 2;
export const R_FIELD_IDENT = 1 << 3;
export const R_LITERAL = 1 << 4; // replaced by a type-tagged constant; children ignored
export const R_FUNCTION = 1 << 5;
export const R_BLOCK = 1 << 6; // holds a statement list
export const R_IF = 1 << 7;
export const R_ELSE = 1 << 8; // else wrapper (transparent)
export const R_LOOP = 1 << 9;
export const R_DO = 1 << 10; // body runs before the condition
export const R_SWITCH = 1 << 11;
export const R_CASE = 1 << 12;
export const R_TRY = 1 << 13;
export const R_CATCH = 1 << 14;
export const R_FINALLY = 1 << 15;
export const R_RETURN = 1 << 16;
export const R_BREAK = 1 << 17;
export const R_CONTINUE = 1 << 18;
export const R_THROW = 1 << 19;
export const R_UNORDERED = 1 << 20; // children compared as a multiset (member lists)
export const R_BINARY = 1 << 21; // unordered only when its operator commutes
export const R_ASSIGN = 1 << 22; // defines the names in its target field
export const R_UPDATE = 1 << 23; // x++ / x += 1: defines and uses
export const R_PARAM = 1 << 24; // names inside are defined at function entry
export const R_PUNCT = 1 << 25; // anonymous punctuation: formatting only, not hashed
export const R_CLASS = 1 << 26;
export const R_INFINITE = 1 << 27; // loop without a condition (Rust `loop`)
export const R_WRAPPER = 1 << 28; // transparent container inside a switch (switch_block, match_block)
export const R_EXPR_STMT = 1 << 29; // expression statement: forwards its expression's shape

export const R_CONTROL = R_IF | R_ELSE | R_LOOP | R_SWITCH | R_CASE | R_TRY | R_CATCH | R_FINALLY | R_RETURN | R_BREAK | R_CONTINUE | R_THROW | R_WRAPPER;

/** Literal tags: the type-tagged constant a literal becomes. */
export const LIT_STR = 1;
export const LIT_NUM = 2;
export const LIT_CHAR = 3;
export const LIT_BOOL = 4;
export const LIT_NULL = 5;

const IDENT = ['identifier', 'shorthand_property_identifier', 'shorthand_property_identifier_pattern', 'private_property_identifier', 'statement_identifier', 'blank_identifier'];
const TYPE_IDENT = ['type_identifier', 'namespace_identifier', 'package_identifier', 'scoped_type_identifier', 'nested_type_identifier'];
const FIELD_IDENT = ['property_identifier', 'field_identifier', 'shorthand_field_identifier'];

const LITERALS: Record<string, number> = {
  string: LIT_STR, string_literal: LIT_STR, raw_string_literal: LIT_STR, template_string: LIT_STR, concatenated_string: LIT_STR,
  interpreted_string_literal: LIT_STR, system_lib_string: LIT_STR, text_block: LIT_STR,
  number: LIT_NUM, integer: LIT_NUM, float: LIT_NUM, number_literal: LIT_NUM, int_literal: LIT_NUM, float_literal: LIT_NUM,
  imaginary_literal: LIT_NUM, integer_literal: LIT_NUM, negative_literal: LIT_NUM, decimal_integer_literal: LIT_NUM,
  hex_integer_literal: LIT_NUM, octal_integer_literal: LIT_NUM, binary_integer_literal: LIT_NUM,
  decimal_floating_point_literal: LIT_NUM, hex_floating_point_literal: LIT_NUM, user_defined_literal: LIT_NUM,
  character_literal: LIT_CHAR, char_literal: LIT_CHAR, rune_literal: LIT_CHAR,
  true: LIT_BOOL, false: LIT_BOOL, boolean_literal: LIT_BOOL,
  null: LIT_NULL, null_literal: LIT_NULL, none: LIT_NULL, nil: LIT_NULL, nullptr: LIT_NULL, undefined: LIT_NULL,
};

const BLOCKS = ['block', 'statement_block', 'compound_statement', 'program', 'module', 'translation_unit', 'source_file',
  'constructor_body', 'expression_statement_list', 'switch_body_block'];
const IFS = ['if_statement', 'if_expression', 'elif_clause', 'if_let_expression'];
const ELSES = ['else_clause'];
const LOOPS = ['for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement', 'for_in_statement', 'for_of_statement',
  'for_range_loop', 'for_expression', 'while_expression', 'loop_expression', 'while_let_expression'];
const SWITCHES = ['switch_statement', 'switch_expression', 'match_statement', 'match_expression', 'expression_switch_statement',
  'type_switch_statement', 'select_statement'];
const CASES = ['switch_block_statement_group', 'switch_rule', 'switch_case', 'switch_default', 'case_statement', 'case_clause',
  'match_arm', 'expression_case', 'default_case', 'type_case', 'communication_case'];
const WRAPPERS = ['switch_block', 'switch_body', 'match_block', 'for_clause'];
const TRIES = ['try_statement', 'try_with_resources_statement'];
const CATCHES = ['catch_clause', 'except_clause', 'except_group_clause'];
const FINALLYS = ['finally_clause'];
const RETURNS = ['return_statement', 'return_expression', 'yield_statement'];
const BREAKS = ['break_statement', 'break_expression'];
const CONTINUES = ['continue_statement', 'continue_expression'];
const THROWS = ['throw_statement', 'raise_statement', 'throw_expression'];
const UNORDERED = ['class_body', 'declaration_list', 'field_declaration_list', 'interface_body', 'enum_body', 'object',
  'field_declaration_list', 'object_type', 'dictionary', 'set'];
const BINARY = ['binary_expression', 'boolean_operator', 'comparison_operator', 'binary_operator'];
const ASSIGNS = ['assignment_expression', 'assignment', 'augmented_assignment', 'augmented_assignment_expression',
  'compound_assignment_expr', 'assignment_statement', 'short_var_declaration', 'variable_declarator', 'init_declarator',
  'let_declaration', 'var_spec', 'const_spec', 'for_in_clause', 'named_expression', 'range_clause'];
const UPDATES = ['update_expression', 'inc_statement', 'dec_statement', 'augmented_assignment', 'augmented_assignment_expression',
  'compound_assignment_expr'];
const PARAMS = ['formal_parameter', 'spread_parameter', 'parameter_declaration', 'variadic_parameter_declaration', 'parameters',
  'lambda_parameters', 'formal_parameters', 'required_parameter', 'optional_parameter', 'typed_parameter', 'default_parameter',
  'typed_default_parameter', 'parameter', 'closure_parameters', 'catch_formal_parameter', 'optional_parameter_declaration',
  'list_splat_pattern', 'dictionary_splat_pattern'];
const PUNCT = new Set([';', ',', '(', ')', '{', '}', '[', ']', ':', '.', '::', '->', '=>', '"', "'", '`', 'string_start', 'string_end']);
const INFINITE = ['loop_expression'];
const DOS = ['do_statement'];

/** Auxiliary flags (RoleTable.aux) for dead-code removal and call inlining. */
export const X_CALL = 1; // a call whose callee may be a function of the same file
export const X_DECL = 2; // declares the names in its target (a local declaration, not a plain assignment)
export const X_DECL_LIST = 4; // a declaration whose bare declarators are names (C `int x, y;`)
export const X_LVALUE = 8; // an assignment target that writes through something (field, element, pointer)
export const X_STATEMENT = 16; // a simple statement dead-code removal may drop when nothing observable depends on it
export const X_EFFECT = 32; // an expression with an effect of its own (construction, await, macro, delete)
export const X_COMPOUND = 64; // a compound assignment operator (`+=`, `<<=`, ...): its target is read as well as written

const CALLS = ['call_expression', 'call', 'method_invocation'];
const DECLS = ['variable_declarator', 'init_declarator', 'let_declaration', 'short_var_declaration', 'var_spec', 'const_spec',
  'for_in_clause', 'range_clause'];
const DECL_LISTS = ['declaration', 'local_variable_declaration', 'var_declaration', 'pointer_declarator', 'array_declarator', 'reference_declarator'];
const LVALUES = ['field_access', 'array_access', 'member_expression', 'subscript_expression', 'subscript', 'attribute', 'index_expression',
  'pointer_expression', 'field_expression', 'selector_expression', 'qualified_identifier', 'scoped_identifier', 'element_access_expression',
  'unary_expression'];
const EFFECTS = ['object_creation_expression', 'new_expression', 'delete_expression', 'await', 'await_expression', 'macro_invocation',
  'yield', 'yield_expression', 'receive_expression', 'unary_expression_receive'];
const STATEMENTS = ['expression_statement', 'local_variable_declaration', 'declaration', 'variable_declaration', 'lexical_declaration',
  'let_declaration', 'short_var_declaration', 'var_declaration', 'assignment_statement', 'inc_statement', 'dec_statement', 'empty_statement'];

export interface RoleTable {
  roles: Uint32Array;
  aux: Uint8Array;
  literal: Uint8Array;
  /** Commutative operators (type ids): binary nodes with one of these hash their operands as a multiset. */
  commutative: Uint8Array;
  /** Operator ids rewritten to a canonical twin (`>` as `<`, `>=` as `<=`) so `a > b` equals `b < a`. */
  canonicalOp: Int32Array;
  names: string[];
  /** Statement-level kinds whose `switch` cases fall through (C family, Java groups, JavaScript). */
  fallthrough: boolean;
}

const ERROR_ID = 0xffff;
const cache = new Map<LanguageId, RoleTable>();

export function roleTable(lang: LanguageId, language: Language): RoleTable {
  const hit = cache.get(lang);
  if (hit) return hit;
  const roles = new Uint32Array(ERROR_ID + 1);
  const literal = new Uint8Array(ERROR_ID + 1);
  const aux = new Uint8Array(ERROR_ID + 1);
  const commutative = new Uint8Array(ERROR_ID + 1);
  const canonicalOp = new Int32Array(ERROR_ID + 1).fill(-1);
  const names: string[] = [];
  const kinds = NODE_KINDS[lang];
  const named: Array<[string[], number]> = [
    [IDENT, R_IDENT], [TYPE_IDENT, R_TYPE_IDENT], [FIELD_IDENT, R_FIELD_IDENT], [kinds.functions, R_FUNCTION],
    [BLOCKS, R_BLOCK], [IFS, R_IF], [ELSES, R_ELSE], [LOOPS, R_LOOP], [DOS, R_DO], [SWITCHES, R_SWITCH], [CASES, R_CASE],
    [TRIES, R_TRY], [CATCHES, R_CATCH], [FINALLYS, R_FINALLY], [RETURNS, R_RETURN], [BREAKS, R_BREAK],
    [CONTINUES, R_CONTINUE], [THROWS, R_THROW], [UNORDERED, R_UNORDERED], [BINARY, R_BINARY], [ASSIGNS, R_ASSIGN],
    [UPDATES, R_UPDATE], [PARAMS, R_PARAM], [kinds.comments, R_SKIP], [INFINITE, R_INFINITE], [WRAPPERS, R_WRAPPER],
    [[...kinds.classes, ...(kinds.classesWithBody ?? [])], R_CLASS], [['expression_statement'], R_EXPR_STMT],
  ];
  const ids = new Map<string, number>();
  for (let id = 0; id < language.nodeTypeCount; id++) {
    const name = language.nodeTypeForId(id) ?? '';
    names[id] = name;
    if (language.nodeTypeIsNamed(id)) {
      for (const [list, flag] of named) if (list.includes(name)) roles[id]! |= flag;
      for (const [list, flag] of [[CALLS, X_CALL], [DECLS, X_DECL], [DECL_LISTS, X_DECL_LIST], [LVALUES, X_LVALUE], [STATEMENTS, X_STATEMENT], [EFFECTS, X_EFFECT]] as const) {
        if (list.includes(name)) aux[id]! |= flag;
      }
      const lit = LITERALS[name];
      if (lit) { roles[id]! |= R_LITERAL; literal[id] = lit; }
    } else {
      if (PUNCT.has(name)) roles[id]! |= R_PUNCT;
      if (!ids.has(name)) ids.set(name, id);
      if (['+', '*', '==', '!=', '===', '!==', '&&', '||', '&', '|', '^', 'and', 'or', '<', '>', '<=', '>='].includes(name)) commutative[id] = 1;
      if (/^(\+|-|\*|\/|%|&|\||\^|<<|>>|>>>|&\^|\*\*|\/\/|@|&&|\|\||\?\?)=$/.test(name)) aux[id]! |= X_COMPOUND;
      // C++ streams: `cout << x` and `cin >> x` are effects, whatever the operands.
      if (lang === 'cpp' && ['<<', '>>', '<<=', '>>='].includes(name)) aux[id]! |= X_EFFECT;
      // Python's keyword literals are anonymous in some grammar versions.
      if (name === 'True' || name === 'False') { roles[id]! |= R_LITERAL; literal[id] = LIT_BOOL; }
      if (name === 'None') { roles[id]! |= R_LITERAL; literal[id] = LIT_NULL; }
    }
  }
  // Python keeps docstrings as string statements; they are dropped in the walk, not here.
  for (const [from, to] of [['>', '<'], ['>=', '<=']] as const) {
    const f = ids.get(from);
    const t = ids.get(to);
    if (f !== undefined && t !== undefined) {
      // Every id with this spelling (grammars may have several) maps to one canonical id.
      for (let id = 0; id < language.nodeTypeCount; id++) if (names[id] === from && !language.nodeTypeIsNamed(id)) canonicalOp[id] = t;
    }
  }
  roles[ERROR_ID] = 0;
  const table: RoleTable = {
    roles, aux, literal, commutative, canonicalOp, names,
    fallthrough: ['c', 'cpp', 'java', 'javascript', 'typescript', 'tsx'].includes(lang),
  };
  cache.set(lang, table);
  return table;
}
