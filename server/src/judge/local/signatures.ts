// Structural signatures of standard algorithms, language-neutral: each tests the token text of one
// function (names kept, types and layout punctuation gone; `(lo + hi) // 2` reads `lo + hi / 2`).
// A signature needs the algorithm's characteristic step, not its names; names only add support.

export interface Signature {
  name: string;
  /** Every pattern must match (the characteristic steps). */
  all: RegExp[];
  /** Names that support the detection when one step is missing. */
  hint?: RegExp;
  /** Steps that, with the hint, are enough. */
  withHint?: RegExp[];
  /** The function must call itself. */
  recursive?: boolean;
}

const W = String.raw`[A-Za-z_]\w*`;
const re = (s: string, f = '') => new RegExp(s.replace(/W/g, W), f);

export const SIGNATURES: Signature[] = [
  {
    name: 'gcd (Euclid)',
    all: [re(String.raw`(W) % (W)`), re(String.raw`(return W \S+ \S+ % |(W) = (W) % (W)|(W) , (W) = (W) , (W) % )`)],
    hint: /gcd|hcf/i, withHint: [/%/],
  },
  {
    name: 'fast power (exponentiation by squaring)',
    all: [re(String.raw`(W) (>>= 1|= \1 >> 1|/= 2|= \1 / 2)`), /(& 1|% 2)\b/, re(String.raw`(W) = (W) \* \2|(W) \*= (W)`)],
    hint: /pow|power|binpow|modexp|expo/i, withHint: [/(>> 1|\/ 2)/],
  },
  {
    name: 'sieve of Eratosthenes',
    all: [re(String.raw`(W) = (W) \* \2|(W) \* (W) <=|range (W) \* \5`), re(String.raw`W \[ W = (false|0|False|true|1)\b|W \[ W \* W :: W = `)],
    hint: /sieve|prime|composite/i, withHint: [re(String.raw`(W) \+= (W)|\+ (W) \)?`)],
  },
  {
    name: 'binary search',
    all: [re(String.raw`while (W) (<=|<) (W)`), re(String.raw`(W) = (W) \+ (W) (/ 2|>> 1)|(W) = (W) \+ (W) - \7 (/ 2|>> 1)`),
      re(String.raw`= (W) (\+|-) 1`)],
    hint: /binary|bsearch|lower_?bound|upper_?bound/i, withHint: [/(\/ 2|>> 1)/],
  },
  {
    name: 'bubble sort',
    all: [re(String.raw`(W) \[ (W) (>|<) \1 \[ \2 \+ 1`), /(for|while)\b.*\b(for|while)\b/],
    hint: /bubble/i, withHint: [/\[/],
  },
  {
    name: 'insertion sort',
    all: [re(String.raw`while (W) >= 0 && (W) \[ \1 > (W)|while (W) > 0 && (W) \[ \4 - 1 > (W)`), re(String.raw`(W) \[ (W) \+ 1 = \1 \[ \2|(W) \[ (W) = \3 \[ \4 - 1`)],
    hint: /insertion/i, withHint: [/while/],
  },
  {
    name: 'selection sort',
    all: [re(String.raw`for (W) (= \S+ \+ 1|in range \S+ \+ 1)`), re(String.raw`if (W) \[ (W) < (W) \[ (W) (W)? ?(\4|\5) = \2`)],
    hint: /selection/i, withHint: [/for/],
  },
  {
    name: 'merge sort',
    all: [re(String.raw`(while|if) (W) < (W) && (W) < (W)`), re(String.raw`(W) = (W) \+ (W) (/ 2|>> 1)|(W) = (W) \+ (W) - \7 (/ 2|>> 1)|len (W) / 2`)],
    hint: /merge/i, withHint: [/(\/ 2|>> 1)/],
  },
  {
    name: 'quicksort',
    all: [/pivot/i, /(for|while)/], recursive: true,
    hint: /quick|partition/i, withHint: [re(String.raw`(W) \[ (W) (<|<=|>) (W)`)],
  },
  {
    name: 'heap sort',
    all: [re(String.raw`2 \* (W) \+ 1`), re(String.raw`2 \* (W) \+ 2|(W) \+ 1`)],
    hint: /heap_?sort|heapify|sift/i, withHint: [/(for|while)/],
  },
  {
    name: 'breadth-first search',
    all: [/(\. (poll|popleft|shift|pop_front|front|remove)\b|queue|deque|Queue)/, /(visited|vis|seen|dist|used|level)/i, /while/],
    hint: /bfs|breadth/i, withHint: [/(while|for)/],
  },
  {
    name: 'depth-first search',
    all: [/(visited|vis|seen|used|color|marked)/i, /(for|while)/], recursive: true,
    hint: /dfs|depth/i, withHint: [/(visited|vis|seen|used)/i],
  },
  {
    name: "Dijkstra's shortest paths",
    all: [/(PriorityQueue|heapq|heappush|heappop|priority_queue|BinaryHeap|heap|pq|Heap)/, re(String.raw`(W) \[ (W) (>|<) (W) \[ (W) \+|(W) \+ (W) < \S+ \[|(W) = (W) \+ (W) if \8 < (W) \[`)],
    hint: /dijkstra/i, withHint: [/(dist|cost)/i],
  },
  {
    name: 'union-find (disjoint set union)',
    all: [re(String.raw`(W) \[ (W) (!=|==) \2\b|(W) \[ (W) = (W) \4 \[ \5|(W) \[ (W) (!=|==) (W) \[ \8`)],
    hint: /find|union|parent|dsu|root/i, withHint: [re(String.raw`(W) \[ (W)`)],
  },
  {
    name: 'dynamic programming (2D table)',
    all: [re(String.raw`(W) \[ (W) \[ (W) = (max |min )?\S*\s?\1 \[ \2 - 1 \[ \3`)],
    hint: /dp|lcs|knapsack|edit|memo/i, withHint: [re(String.raw`(W) \[ (W) \[ (W) = `)],
  },
  {
    name: 'dynamic programming (1D recurrence)',
    all: [re(String.raw`(W) \[ (W) = (max |min )?\S*\s?\1 \[ (\2 - [12]|W) (\+|-|\S)`)],
    hint: /dp|fib|memo|lis/i, withHint: [re(String.raw`(W) \[ (W) = \1 \[ \2 - 1`)],
  },
];

/** The algorithms whose signature the function text satisfies. */
export function matchSignatures(text: string, names: string, recursive: boolean): string[] {
  const found: string[] = [];
  for (const s of SIGNATURES) {
    if ((!s.recursive || recursive) && s.all.every((r) => r.test(text))) found.push(s.name);
    else if (s.hint && s.withHint && s.hint.test(names) && s.withHint.every((r) => r.test(text))) found.push(s.name);
  }
  return found;
}
