// Synthetic Python files of an exact line count for the origin benchmarks (no main: safe to import).
const FUNCS = [
  (i: number) => `def calculate_average_${i}(scores: List[float]) -> float:
    """
    Calculate the average of a list of scores.

    Args:
        scores (List[float]): A list of numerical scores.

    Returns:
        float: The average score, or 0.0 if the list is empty.
    """
    if not scores:
        return 0.0
    total = sum(scores)
    return total / len(scores)
`,
  (i: number) => `def load_${i}(fn):
    out = {}
    for ln in open(fn):
        if ln[0] == '#' or not ln.strip(): continue
        k, *v = re.split(r'[;,\\t]', ln.rstrip('\\n'))
        try: out.setdefault(k.lower(), []).extend(map(float, v))
        except ValueError: print('skip', k, file=sys.stderr)
    return out
`,
];

/** A Python file of exactly `lines` lines made of varied functions. */
export function pythonFile(lines: number): string {
  const out: string[] = ['import re, sys', 'from typing import List', ''];
  let i = 0;
  while (out.length < lines) {
    out.push(...FUNCS[i % FUNCS.length]!(i).split('\n'));
    i++;
  }
  return `${out.slice(0, lines).join('\n')}\n`;
}
