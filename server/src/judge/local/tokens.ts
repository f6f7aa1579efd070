// A file as a stream of language-neutral tokens: names become `v`, numbers `N`, strings `S`, types
// and punctuation that only carries layout are dropped, and keywords that mean the same across
// languages are spelled the same. Comments and the names themselves are kept aside for lexical
// evidence. One iterative TreeCursor walk per file.
import type { LanguageId } from '../../core/languages';
import { parseSource, type Parsed } from '../../core/parser';

export interface Token {
  /** Abstract token. */
  t: string;
  /** Zero-based line. */
  line: number;
  /** Identifier text for `v`, literal text for `N`. */
  name?: string;
}

export interface TokenizedFile {
  language: LanguageId;
  tokens: Token[];
  /** Comment texts, whitespace-collapsed. */
  comments: string[];
  /** String literal texts. */
  strings: string[];
  /** Functions: [start line, end line] zero-based inclusive, with the name. */
  functions: Array<{ name: string; start: number; end: number }>;
  lineCount: number;
}

const STRING_TYPES = new Set([
  'string', 'string_literal', 'interpreted_string_literal', 'raw_string_literal', 'template_string', 'character_literal',
  'char_literal', 'rune_literal', 'concatenated_string', 'text_block',
]);
const TYPE_TYPES = new Set([
  'primitive_type', 'integral_type', 'floating_point_type', 'boolean_type', 'void_type', 'type_identifier', 'predefined_type',
  'sized_type_specifier', 'generic_type', 'type_arguments', 'type_parameters', 'template_argument_list', 'type', 'type_annotation',
  'scoped_type_identifier', 'array_type', 'reference_type', 'pointer_type', 'qualified_type', 'slice_type', 'map_type', 'type_qualifier',
  'storage_class_specifier', 'modifiers', 'access_specifier', 'visibility_modifier', 'mutable_specifier', 'dimensions',
]);
const FUNCTION_TYPES = new Set([
  'function_definition', 'function_declaration', 'method_declaration', 'constructor_declaration', 'function_item', 'method_definition',
  'arrow_function', 'function_expression', 'func_literal', 'lambda_expression', 'generator_function_declaration',
]);
/** Leaves dropped: layout punctuation and declaration words that differ between languages. */
const DROP = new Set([
  '{', '}', '(', ')', ';', ',', ':', ']', 'let', 'var', 'const', 'auto', 'final', 'static', 'public', 'private', 'protected', 'mut',
  'int', 'long', 'short', 'char', 'float', 'double', 'bool', 'boolean', 'void', 'unsigned', 'signed', 'struct', 'new', 'self', 'this',
  'pass',
]);
const CANON: Record<string, string[]> = {
  elif: ['else', 'if'], and: ['&&'], or: ['||'], not: ['!'], def: ['fn'], function: ['fn'], func: ['fn'],
  True: ['true'], False: ['false'], None: ['null'], nil: ['null'], nullptr: ['null'], NULL: ['null'], ':=': ['='],
  loop: ['while'], 'else if': ['else', 'if'], '//': ['/'], '**': ['pow'], 'is': ['=='], '!==': ['!='], '===': ['=='],
};

const NUMBER_TYPES = new Set([
  'number', 'integer', 'float', 'int_literal', 'float_literal', 'integer_literal', 'number_literal', 'imaginary_literal',
  'decimal_integer_literal', 'hex_integer_literal', 'octal_integer_literal', 'binary_integer_literal',
  'decimal_floating_point_literal', 'hex_floating_point_literal',
]);
const isNumber = (type: string) => NUMBER_TYPES.has(type);
const isComment = (type: string) => type.includes('comment');

export async function tokenize(source: string, language: LanguageId): Promise<TokenizedFile> {
  const parsed = await parseSource(source, language);
  try {
    return tokenizeTree(parsed);
  } finally {
    parsed.dispose();
  }
}

/**
 * The token stream of a tree parsed already: the similarity engine's analyse stage calls it on the
 * tree it extracts features from (similarity/features.ts), so a file is parsed once for both. Its own
 * walk, not extract.ts's: the two prune different nodes (see ARCHITECTURE.md).
 */
export function tokenizeTree(parsed: Parsed): TokenizedFile {
  const { source, language } = parsed;
  const tokens: Token[] = [];
  const comments: string[] = [];
  const strings: string[] = [];
  const functions: TokenizedFile['functions'] = [];
  const cursor = parsed.tree.walk();
  // The node's text, as Node.text reads it, without materializing the node (most of the walk's cost).
  const textOf = () => source.slice(cursor.startIndex, cursor.endIndex);
  let done = false;
  while (!done) {
    const type = cursor.nodeType;
    let descend = false;
    if (isComment(type)) {
      const text = textOf().replace(/\s+/g, ' ').trim();
      if (text.length > 0) comments.push(text);
    } else if (STRING_TYPES.has(type)) {
      tokens.push({ t: 'S', line: cursor.startPosition.row });
      strings.push(textOf());
    } else if (TYPE_TYPES.has(type)) {
      // types carry no algorithmic structure
    } else if (cursor.nodeIsNamed && isNumber(type) ) {
      tokens.push({ t: 'N', line: cursor.startPosition.row, name: textOf() });
    } else {
      if (FUNCTION_TYPES.has(type)) {
        const node = cursor.currentNode;
        const nameNode = node.childForFieldName('name');
        functions.push({ name: nameNode?.text ?? '', start: node.startPosition.row, end: node.endPosition.row });
      }
      descend = cursor.gotoFirstChild();
      if (!descend) emitLeaf(type, textOf(), cursor.startPosition.row, cursor.nodeIsNamed, tokens);
    }
    if (descend) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
    }
  }
  cursor.delete();
  return { language, tokens, comments, strings, functions, lineCount: source.split('\n').length };
}

function emitLeaf(type: string, text: string, line: number, named: boolean, out: Token[]): void {
  if (type.includes('identifier') || (named && /^[A-Za-z_]\w*$/.test(text) && !CANON[text])) {
    if (text === 'self' || text === 'this') return;
    out.push({ t: 'v', line, name: text });
    return;
  }
  if (text.length === 0 || DROP.has(text)) return;
  const canon = CANON[text];
  if (canon) for (const t of canon) out.push({ t, line });
  else out.push({ t: text, line });
}
