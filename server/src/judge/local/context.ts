// What overlap can be explained by: k-grams and lines of the template, and of code found in many
// documents of the analysis. `buildExplained` computes it from scratch; `CommonCode` keeps the
// document frequencies between runs and updates them with the documents that changed (cache.ts).
import type { DocKeys, JudgeContext } from '../types';
import { CountTable } from './countTable';
import { kgramHashes, textHash } from './kgrams';
import { tokenize, type TokenizedFile } from './tokens';

export const EVIDENCE_K = 8;

interface Has<T> { has(x: T): boolean }

export interface ExplainedCode {
  hashes: Has<number>;
  /** Whitespace-free lines, as `lineKey`s. */
  lines: Has<number>;
  /** Identifiers, as `nameKey`s. */
  names: Has<number>;
}

export const normLine = (l: string) => l.replace(/\s+/g, '');
/** A line as the judge keeps it: its whitespace-free text, hashed. */
export const lineKey = (normalized: string) => textHash(normalized, 0x4c);
export const nameKey = (name: string) => textHash(name, 0x4e);

/** Documents that code must be in to be common (more than the share, more than the minimum). */
export function commonMinDocs(ctx: Pick<JudgeContext, 'commonShare' | 'commonMinDocs'>, corpusSize: number): number {
  return Math.max(ctx.commonMinDocs ?? 3, Math.floor((ctx.commonShare ?? 0.1) * corpusSize)) + 1;
}

export interface TemplateCode { hashes: Set<number>; lines: Set<number>; names: Set<number> }

export async function templateCode(templates: JudgeContext['templates']): Promise<TemplateCode> {
  const out: TemplateCode = { hashes: new Set(), lines: new Set(), names: new Set() };
  for (const t of templates ?? []) {
    const tf = await tokenize(t.source, t.language);
    for (const h of kgramHashes(tf.tokens, EVIDENCE_K)) out.hashes.add(h);
    for (const tok of tf.tokens) if (tok.t === 'v' && tok.name) out.names.add(nameKey(tok.name));
    for (const l of t.source.split('\n')) out.lines.add(lineKey(normLine(l)));
  }
  return out;
}

/** The distinct k-grams, names and lines one document adds to the document frequencies. */
export type { DocKeys };

/** Names what `docKeys` computes, for keys stored between runs: bump it when tokens, k-grams, names or lines change. */
export const DOC_KEYS_VERSION = `keys-v1-k${EVIDENCE_K}`;

export function docKeys(tf: TokenizedFile, source: string): DocKeys {
  return {
    hashes: Float64Array.from(new Set(kgramHashes(tf.tokens, EVIDENCE_K))),
    names: Float64Array.from(new Set(tf.tokens.filter((t) => t.t === 'v').map((t) => nameKey(t.name!)))),
    lines: Float64Array.from(new Set(source.split('\n').map((l) => lineKey(normLine(l))))),
  };
}

export const docKeysSize = (k: DocKeys) => k.hashes.length + k.names.length + k.lines.length;

/** Document frequencies of k-grams, names and lines over a multiset of documents, updated by difference. */
export class CommonCode {
  /** Counted documents (by content key) and how many times each is counted. */
  readonly counted = new Map<string, { keys: DocKeys; n: number }>();
  size = 0;
  private readonly hashDocs = new CountTable();
  private readonly nameDocs = new CountTable();
  private readonly lineDocs = new CountTable();

  /** Counts before the first change since `track()`, to tell whether any key crossed a threshold. */
  private readonly touched = { hashes: new Map<number, number>(), names: new Map<number, number>(), lines: new Map<number, number>() };

  /** Adds `n` copies of a document (negative: removes them). */
  add(key: string, keys: DocKeys, n: number): void {
    const c = this.counted.get(key);
    const now = (c?.n ?? 0) + n;
    if (now < 0) throw new Error('CommonCode: removing a document not counted');
    if (now === 0) this.counted.delete(key);
    else this.counted.set(key, { keys, n: now });
    this.size += n;
    const bump = (m: CountTable, touched: Map<number, number>, k: number) => {
      const old = m.add(k, n);
      if (this.recording && !touched.has(k)) touched.set(k, old);
    };
    for (const h of keys.hashes) bump(this.hashDocs, this.touched.hashes, h);
    for (const x of keys.names) bump(this.nameDocs, this.touched.names, x);
    for (const x of keys.lines) bump(this.lineDocs, this.touched.lines, x);
  }

  private recording = true;

  /**
   * Starts recording changes afresh; `record` false when the caller re-derives everything anyway (a
   * first count touches every key: a million-entry record for nothing).
   */
  track(record = true): void {
    for (const m of Object.values(this.touched)) m.clear();
    this.recording = record;
  }

  /** Whether a count changed since `track()` took a key across `minDocs` (into or out of the common code). */
  crossed(minDocs: number): boolean {
    const any = (m: CountTable, touched: Map<number, number>) => {
      for (const [k, old] of touched) if ((old >= minDocs) !== (m.get(k) >= minDocs)) return true;
      return false;
    };
    const out = any(this.hashDocs, this.touched.hashes) || any(this.nameDocs, this.touched.names) || any(this.lineDocs, this.touched.lines);
    this.track();
    return out;
  }

  /** The template's code, and (when `active`) code in at least `minDocs` counted documents. */
  explained(template: TemplateCode, minDocs: number, active: boolean): ExplainedCode {
    const common = (own: Set<number>, df: CountTable): Has<number> => ({
      has: active ? (x: number) => own.has(x) || df.get(x) >= minDocs : (x: number) => own.has(x),
    });
    return { hashes: common(template.hashes, this.hashDocs), lines: common(template.lines, this.lineDocs), names: common(template.names, this.nameDocs) };
  }
}
