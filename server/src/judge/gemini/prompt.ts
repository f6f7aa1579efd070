// What Gemini is asked: both sources (line-numbered, capped), the structural component scores, and a
// response schema that forces the verdict's JSON shape.
import { Type, type Schema } from '@google/genai';
import { CLASSIFICATIONS, CONFIDENCES, type JudgePairInput } from '../types';

/** Bumped whenever the prompt or schema changes (part of the verdict cache key). */
export const PROMPT_VERSION = 1;
export { DEFAULT_GEMINI_MODEL } from '../../../../protocol/config';
/** Each source is cut to this many characters in the prompt. */
export const MAX_SOURCE_CHARS = 30000;

export const RESPONSE_SCHEMA: Schema = {
  type: Type.OBJECT,
  properties: {
    classification: { type: Type.STRING, enum: [...CLASSIFICATIONS] },
    confidence: { type: Type.STRING, enum: [...CONFIDENCES] },
    algorithm_detected: { type: Type.STRING, nullable: true, description: 'Name of the standard algorithm, or null' },
    reasoning: { type: Type.STRING, description: 'Two or three sentences citing the evidence' },
  },
  required: ['classification', 'confidence', 'algorithm_detected', 'reasoning'],
  propertyOrdering: ['classification', 'confidence', 'algorithm_detected', 'reasoning'],
};

export const SYSTEM_INSTRUCTION = `You review pairs of source files that a structural similarity engine found alike, for an academic integrity check.
Classify the pair:
- STANDARD_ALGORITHM: the similarity comes from a well-known algorithm or idiom (sorting, binary search, BFS/DFS, Dijkstra, union-find, sieve, gcd, fast power, classic dynamic programming, input parsing loops) that independent authors write the same way.
- TEMPLATE_OR_BOILERPLATE: the similarity is starter code, framework or I/O boilerplate, or code common to many submissions.
- LIKELY_COPY: the files share choices that independent authors would not make alike (unusual structure, the same quirks, mistakes, names, comments or statement order), beyond any standard algorithm or template.
When you are unsure, answer STANDARD_ALGORITHM: a false accusation costs more than a missed copy.
Answer with the JSON object only.`;

function numbered(source: string): string {
  const text = source.length > MAX_SOURCE_CHARS ? `${source.slice(0, MAX_SOURCE_CHARS)}\n… [cut at ${MAX_SOURCE_CHARS} characters]` : source;
  return text.split('\n').map((l, i) => `${String(i + 1).padStart(4)}| ${l}`).join('\n');
}

export function buildPrompt(p: JudgePairInput): string {
  const c = p.components;
  const regions = (p.matching_regions ?? []).slice(0, 20)
    .map((r) => `file 1 lines ${r.file1_lines.join('-')} ~ file 2 lines ${r.file2_lines.join('-')}`).join('; ');
  return [
    `Structural similarity score: ${p.similarity_score.toFixed(4)} (AST ${c.ast.toFixed(4)}, control flow ${c.cfg.toFixed(4)}, data flow ${c.dataflow.toFixed(4)}).`,
    regions ? `Matching regions: ${regions}.` : 'Matching regions: none reported.',
    '',
    `=== File 1: ${p.file1} (${p.language1}) ===`,
    numbered(p.source1),
    '',
    `=== File 2: ${p.file2} (${p.language2}) ===`,
    numbered(p.source2),
  ].join('\n');
}

export function repairPrompt(bad: string, problem: string): string {
  return `Your previous reply was not a valid verdict (${problem}). It was:\n${bad.slice(0, 4000)}\n` +
    'Reply again with only the JSON object that follows the schema.';
}
