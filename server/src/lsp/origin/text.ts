// What the origin service reads off a text before it asks the model: its content key, whether it looks
// minified or generated, and the file path of a document URI.
import { contentHash as sharedContentHash } from '../../core/contentHash';
import { fileURLToPath } from 'node:url';

/** Lines this long mean minified or generated code, which the model was not trained on. */
const MINIFIED_LINE = 1000;
const MINIFIED_AVG_LINE = 200;

/** The shared content hash, cut to 32 characters (as the prediction history has always stored it). */
export function contentHash(text: string): string {
  return sharedContentHash(text).slice(0, 32);
}

export function looksMinified(text: string): boolean {
  let longest = 0;
  let lines = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); ; i = text.indexOf('\n', i + 1)) {
    const end = i < 0 ? text.length : i;
    longest = Math.max(longest, end - start);
    lines++;
    start = end + 1;
    if (i < 0) break;
  }
  return longest >= MINIFIED_LINE || (text.length >= 2000 && text.length / lines >= MINIFIED_AVG_LINE);
}

export function pathOfUri(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : new URL(uri).pathname;
  } catch {
    return uri;
  }
}
