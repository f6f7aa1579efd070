// Clusters: connected components of the pairs at or above a threshold (union-find).

export function clustersOf(n: number, pairs: Array<[number, number, number]>, threshold: number): Array<{ members: number[]; max: number }> {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const [i, j, s] of pairs) if (s >= threshold) parent[find(i)] = find(j);
  const groups = new Map<number, { members: number[]; max: number }>();
  for (const [i, j, s] of pairs) {
    if (s < threshold) continue;
    const r = find(i);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = { members: [], max: 0 }));
    g.max = Math.max(g.max, s);
    void j;
  }
  for (let i = 0; i < n; i++) groups.get(find(i))?.members.push(i);
  return [...groups.values()].filter((g) => g.members.length > 1).sort((a, b) => b.max - a.max || a.members[0]! - b.members[0]!);
}
