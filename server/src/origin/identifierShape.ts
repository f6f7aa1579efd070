// tokens-v2 (issue 19): identifiers as their shape, not their words. Names carry the task's domain
// (`Scanner`, `parse_invoice`), which is a shortcut from one dataset's topic to its label; their shape
// (length, casing, number of words) is the naming style, which is what may tell authors apart.

/** `moving_average` → `sn2`, `MAX_SIZE` → `UP2`, `HashMap` → `Pa2`, `nextInt` → `ca2`, `i` → `x`, `total` → `wm`. */
export function identifierShape(id: string): string {
  const lead = /^_+/.exec(id)?.[0] ? '_' : '';
  const core = id.replace(/^[_$]+|[_$]+$/g, '');
  if (!core) return id;
  if (core.length === 1) return lead + (/[A-Z]/.test(core) ? 'X' : 'x');
  const words = core.split(/[_$]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
  const n = Math.min(words.length, 4);
  if (!/[a-z]/.test(core)) return `${lead}UP${n}`;
  if (core.includes('_')) return `${lead}sn${n}`;
  if (/^[A-Z]/.test(core)) return `${lead}Pa${n}`;
  if (n > 1) return `${lead}ca${n}`;
  return `${lead}w${core.length <= 3 ? 's' : core.length <= 7 ? 'm' : 'l'}`;
}

/** Per-character source indices for a shape that replaces source[start, end): its last character maps to end − 1. */
export function shapeMap(shape: string, start: number, end: number): number[] {
  return [...shape].map((_, i) => (i === shape.length - 1 ? end - 1 : Math.min(start + i, end - 1)));
}
