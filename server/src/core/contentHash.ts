// The one content hash of a source text (SHA-256, hex). The feature cache, the judge's verdict cache,
// the local judge's keys and the origin caches all key a text by it (the origin ones by its first 32
// characters), so a file analysed once is hashed once and the caches name a text alike.
import crypto from 'node:crypto';

export function contentHash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}
