// Tokenizes a JSONL of {id, code} with the server's tokenizer module, so training sees exactly the ids
// the extension will produce. Output (read by train.py / test_tokenizer_agreement.py):
//   OUT.u16          all token ids (no specials), little-endian uint16, files back to back
//   OUT.index.jsonl  one {"id", "start", "count"} per file (start/count in tokens)
//   OUT.offsets.jsonl (with --offsets) one {"id", "starts", "ends"} per file, UTF-16 spans
//   OUT.text.jsonl   (with --text) one {"id", "code"} per file: the text that was tokenized (the canonical text
//                    with --canonical; the LOSO TF-IDF baseline on formatting-blind text reads it)
// Usage: node dist/tokenize-dataset.js --tokenizer tokenizer.json --in data.jsonl --out prefix [--offsets] [--canonical [VERSION]]
// --canonical: tokenizes canonicalizeForOrigin(code, row.language, VERSION) (formatting-invariant, issue 19; VERSION
// tokens-v1 by default, or tokens-v2) instead of the raw code; offsets are then offsets in the canonical text.
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { OriginTokenizer } from '../../server/src/origin/tokenizer';
import { canonicalizeForOrigin, CANONICAL_VERSION, CANONICAL_VERSIONS, type CanonicalVersion } from '../../server/src/origin/canonical';
import { LANGUAGES, type LanguageId } from '../../server/src/core/languages';

interface Row {
  id: string;
  code: string;
  language?: string;
}

function canonicalLanguage(name: string | undefined): LanguageId | 'unknown' {
  const n = (name ?? '').toLowerCase();
  return (LANGUAGES as readonly string[]).includes(n) ? (n as LanguageId) : 'unknown';
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function write(stream: WriteStream, chunk: string | Buffer): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

async function main(): Promise<void> {
  const tokPath = arg('--tokenizer');
  const inPath = arg('--in');
  const out = arg('--out');
  if (!tokPath || !inPath || !out) {
    console.error('usage: tokenize-dataset --tokenizer tokenizer.json --in data.jsonl --out prefix [--offsets] [--text] [--canonical [VERSION]]');
    process.exit(2);
  }
  const tok = OriginTokenizer.fromFile(tokPath);
  const ids = createWriteStream(`${out}.u16`);
  const index = createWriteStream(`${out}.index.jsonl`);
  const offsets = process.argv.includes('--offsets') ? createWriteStream(`${out}.offsets.jsonl`) : null;
  const texts = process.argv.includes('--text') ? createWriteStream(`${out}.text.jsonl`) : null;
  const canonical = process.argv.includes('--canonical');
  const named = arg('--canonical');
  const version: CanonicalVersion = named && !named.startsWith('--') ? (named as CanonicalVersion) : CANONICAL_VERSION;
  if (!CANONICAL_VERSIONS.includes(version)) {
    console.error(`tokenize-dataset: unknown canonical version ${version} (known: ${CANONICAL_VERSIONS.join(', ')})`);
    process.exit(2);
  }
  if (canonical) console.error(`tokenize-dataset: canonical input ${version}`);
  let start = 0;
  let files = 0;
  const t0 = Date.now();
  const lines = createInterface({ input: createReadStream(inPath, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as Row;
    const text = canonical ? (await canonicalizeForOrigin(row.code, canonicalLanguage(row.language), version)).text : row.code;
    const enc = tok.encode(text);
    const buf = Buffer.alloc(enc.ids.length * 2);
    enc.ids.forEach((v, i) => buf.writeUInt16LE(v, i * 2));
    await write(ids, buf);
    await write(index, JSON.stringify({ id: row.id, start, count: enc.ids.length }) + '\n');
    if (offsets) await write(offsets, JSON.stringify({ id: row.id, starts: enc.starts, ends: enc.ends }) + '\n');
    if (texts) await write(texts, JSON.stringify({ id: row.id, code: text }) + '\n');
    start += enc.ids.length;
    files++;
    if (files % 1000 === 0) console.error(`tokenize-dataset: ${files} files, ${(files / ((Date.now() - t0) / 1000)).toFixed(0)} files/s`);
  }
  await Promise.all([close(ids), close(index), ...(offsets ? [close(offsets)] : []), ...(texts ? [close(texts)] : [])]);
  console.error(`tokenize-dataset: ${files} files, ${start} tokens, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
