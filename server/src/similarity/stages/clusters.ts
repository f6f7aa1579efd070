// Stage 8, clusters: groups of documents linked by strong pairs, the graph of reported pairs, and the
// similarity matrix (left out above MATRIX_MAX_DOCS documents).
import type { CompareReport } from '../../../../protocol/report';
import { clustersOf } from '../clusters';
import type { Judged } from './judge';
import { MATRIX_MAX_DOCS, round, type Doc } from './types';

export interface Grouped {
  clusters: CompareReport['clusters'];
  edges: CompareReport['graph']['edges'];
  matrix: CompareReport['matrix'];
}

export function group(docs: Doc[], j: Judged, clusterThreshold: number): Grouped {
  const n = docs.length;
  const clusters = clustersOf(n, j.strong, clusterThreshold).map((c, k) => ({
    id: k + 1, files: c.members.map((m) => docs[m]!.name), max_similarity: round(c.max),
  }));
  const edges = j.strong.filter(([a, b]) => j.reported.has(a * n + b)).sort((x, y) => y[2] - x[2])
    .map(([a, b, s]) => ({ source: docs[a]!.name, target: docs[b]!.name, weight: round(s) }));
  const names = docs.map((d) => d.name);
  let matrix: CompareReport['matrix'];
  if (n <= MATRIX_MAX_DOCS) {
    const values: number[][] = names.map((_, a) => names.map((__, b) => (a === b ? 1 : 0)));
    for (const [a, b, s] of j.strong) values[a]![b] = values[b]![a] = round(s);
    matrix = { files: names, values };
  } else {
    matrix = { files: names, values: null, note: `matrix left out above ${MATRIX_MAX_DOCS} documents; see similarity.pairs` };
  }
  return { clusters, edges, matrix };
}
