// A file as a stream of language-neutral tokens: names become `v`, numbers `N`, strings `S`, types
// and punctuation that only carries layout are dropped, and keywords that mean the same across
// languages are spelled the same. Comments and the names themselves are kept aside for lexical
// evidence. One iterative TreeCursor walk per file: `tokenizeTree`'s own, or the similarity engine's
// (a `TokenWalk` driven by extract.ts).
import type { LanguageId } from '../../core/languages';
import type { TreeCursor } from 'web-tree-sitter';
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
 * The token stream of a tree parsed already, by its own cursor walk (tokenize's; the similarity engine
 * drives a `TokenWalk` from its own walk instead: similarity/extract.ts).
 */
export function tokenizeTree(parsed: Parsed): TokenizedFile {
  const walk = new TokenWalk(parsed.source, parsed.language);
  const cursor = parsed.tree.walk();
  let done = false;
  while (!done) {
    let descend = false;
    if (walk.enter(cursor)) {
      descend = cursor.gotoFirstChild();
      if (!descend) walk.leaf(cursor);
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
  return walk.result()!;
}

/**
 * What the token stream makes of each node of a pre-order walk, for whichever walk visits them: the
 * cursor is at a node; `enter` records what the node yields and says whether its children are
 * wanted, and `leaf` is told when a node whose children were wanted has none. A walk must not show it
 * the nodes below one it did not want the children of.
 */
export class TokenWalk {
  private readonly tokens: Token[] = [];
  private readonly comments: string[] = [];
  private readonly strings: string[] = [];
  private readonly functions: TokenizedFile['functions'] = [];
  /** Why the walk failed, if it did: another walk driving it goes on, and the file is tokenized on its own later. */
  private failed: unknown;

  constructor(private readonly source: string, private readonly language: LanguageId) {}

  enter(cursor: TreeCursor): boolean {
    if (this.failed !== undefined) return false;
    try {
      const type = cursor.nodeType;
      if (isComment(type)) {
        const text = this.textOf(cursor).replace(/\s+/g, ' ').trim();
        if (text.length > 0) this.comments.push(text);
      } else if (STRING_TYPES.has(type)) {
        this.tokens.push({ t: 'S', line: cursor.startPosition.row });
        this.strings.push(this.textOf(cursor));
      } else if (TYPE_TYPES.has(type)) {
        // types carry no algorithmic structure
      } else if (cursor.nodeIsNamed && isNumber(type)) {
        this.tokens.push({ t: 'N', line: cursor.startPosition.row, name: this.textOf(cursor) });
      } else {
        if (FUNCTION_TYPES.has(type)) {
          const node = cursor.currentNode;
          const nameNode = node.childForFieldName('name');
          this.functions.push({ name: nameNode?.text ?? '', start: node.startPosition.row, end: node.endPosition.row });
        }
        return true;
      }
      return false;
    } catch (e) {
      this.failed = e;
      return false;
    }
  }

  leaf(cursor: TreeCursor): void {
    if (this.failed !== undefined) return;
    try {
      emitLeaf(cursor.nodeType, this.textOf(cursor), cursor.startPosition.row, cursor.nodeIsNamed, this.tokens);
    } catch (e) {
      this.failed = e;
    }
  }

  /** The file's tokens; undefined where the walk failed. */
  result(): TokenizedFile | undefined {
    if (this.failed !== undefined) return undefined;
    const { language, tokens, comments, strings, functions, source } = this;
    return { language, tokens, comments, strings, functions, lineCount: source.split('\n').length };
  }

  /** The node's text, as Node.text reads it, without materializing the node (most of the walk's cost). */
  private textOf(cursor: TreeCursor): string {
    return this.source.slice(cursor.startIndex, cursor.endIndex);
  }
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
