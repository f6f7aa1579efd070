// Turns a similarity report into LSP diagnostics on both sides of every matching region; where the
// judge gave a verdict, the message names it and standard or template code drops to a hint.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { JudgedReportPair, RiskLevel, VerdictClassification } from '../../judge';
import type { ReportPair } from '../../similarity/engine';
import { pairReported } from '../../similarity/significance';

export interface SimilarityDiagnosticSettings {
  /** The report's min_score: pairs the report rule leaves out give no diagnostics (pairs without the rule's decision: below this score). */
  reportThreshold: number;
  /** Pairs at or above this score use `raisedSeverity`. */
  raiseThreshold: number;
  severity: DiagnosticSeverity;
  raisedSeverity: DiagnosticSeverity;
}

export const DIAGNOSTIC_CODE = 'similar-code';

/** Data carried on each diagnostic, so hovers and code actions can find the other side. */
export interface RegionLink {
  score: number;
  /** Significance against the run's background (absent in tiny inputs and older reports). */
  significance?: number;
  /** Score over either file's next-best partner, for pairs reported under the rule's floor. */
  standout?: number;
  components: ReportPair['components'];
  here: { path: string; lines: [number, number] };
  there: { path: string; lines: [number, number] };
  verdict?: RegionVerdict;
}

/** The judge's verdict on the pair, for the message and the hover. */
export interface RegionVerdict {
  classification: VerdictClassification;
  confidence: string;
  risk: RiskLevel;
  algorithm: string | null;
  reasoning: string;
  recommendation: string;
  source: 'local' | 'gemini';
}

function regionVerdict(pair: JudgedReportPair): RegionVerdict | undefined {
  const v = pair.llm_verdict;
  const r = pair.refined_verdict;
  if (!v || !r) return undefined;
  return {
    classification: v.classification, confidence: v.confidence, risk: r.refined_risk_level, algorithm: v.algorithm_detected,
    reasoning: v.reasoning, recommendation: r.recommendation, source: v.source,
  };
}

/**
 * Paths in the workspace index are absolute; `roots` (the workspace folders) make messages show
 * them relative to their folder, and resolve relative ones for URIs.
 */
export function similarityDiagnostics(report: { similarity: { pairs: JudgedReportPair[] } }, s: SimilarityDiagnosticSettings, roots: string[] = [process.cwd()]): Map<string, Diagnostic[]> {
  const root = roots[0] ?? process.cwd();
  const byUri = new Map<string, Diagnostic[]>();
  const add = (uri: string, d: Diagnostic) => {
    const list = byUri.get(uri);
    if (list) list.push(d);
    else byUri.set(uri, [d]);
  };
  for (const pair of report.similarity.pairs) {
    if (!pairReported(pair, s.reportThreshold)) continue;
    const verdict = regionVerdict(pair);
    // The judge explains the overlap away (standard algorithm, template): keep it visible but quiet.
    const explained = verdict?.risk === 'NONE' || verdict?.risk === 'LOW';
    const severity = explained ? DiagnosticSeverity.Hint : pair.similarity_score >= s.raiseThreshold ? s.raisedSeverity : s.severity;
    for (const region of pair.matching_regions) {
      const f1 = region.file1 ?? pair.file1;
      const f2 = region.file2 ?? pair.file2;
      const sides: Array<[string, [number, number], string, [number, number]]> = [
        [f1, region.file1_lines, f2, region.file2_lines],
        [f2, region.file2_lines, f1, region.file1_lines],
      ];
      for (const [here, hereLines, there, thereLines] of sides) {
        const uri = toUri(here, root);
        const link: RegionLink = { score: pair.similarity_score, ...(pair.significance === undefined ? {} : { significance: pair.significance }), ...(pair.standout === undefined ? {} : { standout: pair.standout }), components: pair.components, here: { path: here, lines: hereLines }, there: { path: there, lines: thereLines }, ...(verdict ? { verdict } : {}) };
        add(uri, {
          range: lineRange(hereLines),
          severity,
          source: 'Code Origin',
          code: DIAGNOSTIC_CODE,
          message: regionMessage(link, roots),
          relatedInformation: [{ location: { uri: toUri(there, root), range: lineRange(thereLines) }, message: `Matching code (${linesWord(thereLines)} ${span(thereLines)})` }],
          data: link,
        });
      }
    }
  }
  return byUri;
}

export function regionMessage(link: RegionLink, roots: string[]): string {
  const c = link.components;
  const other = displayPath(link.there.path, roots);
  const one = link.here.lines[0] === link.here.lines[1];
  return `${one ? 'Line' : 'Lines'} ${span(link.here.lines)} closely ${one ? 'matches' : 'match'} ${other}:${span(link.there.lines)} `
    + `(similarity ${link.score.toFixed(2)}${link.significance === undefined ? '' : `, ${link.significance.toFixed(1)}σ above the class`}${link.standout === undefined ? '' : `, ${link.standout.toFixed(1)}× either file's next-best match`} — AST ${c.ast.toFixed(2)}, CFG ${c.cfg.toFixed(2)}, data flow ${c.dataflow.toFixed(2)})`
    + (link.verdict ? `${JUDGE_SUFFIX}${verdictPhrase(link.verdict)}, risk ${link.verdict.risk}` : '');
}

const JUDGE_SUFFIX = ' — judge: ';

const CLASS_WORDS: Record<VerdictClassification, string> = {
  STANDARD_ALGORITHM: 'standard algorithm', TEMPLATE_OR_BOILERPLATE: 'template or boilerplate', LIKELY_COPY: 'likely copy', UNKNOWN: 'no verdict',
};

function verdictPhrase(v: RegionVerdict): string {
  return v.algorithm && v.classification === 'STANDARD_ALGORITHM' ? `${CLASS_WORDS[v.classification]} (${v.algorithm})` : CLASS_WORDS[v.classification];
}

/** Hover text of one matched region: the message, then the judge's classification, reasoning and advice. */
export function regionHoverText(d: Diagnostic): string {
  const v = (d.data as RegionLink | undefined)?.verdict;
  if (!v) return d.message;
  const by = v.source === 'gemini' ? 'Gemini' : 'local judge';
  // The verdict follows in full below; the message's short judge suffix (Gemini's words) is left out.
  const cut = d.message.lastIndexOf(JUDGE_SUFFIX);
  return [
    cut >= 0 ? d.message.slice(0, cut) : d.message,
    `**Judge** (${by}): ${CLASS_WORDS[v.classification]} · confidence ${v.confidence} · risk **${v.risk}**`
      + (v.algorithm ? ` · algorithm: ${escapeMarkdown(v.algorithm)}` : ''),
    escapeMarkdown(v.reasoning),
    `*${escapeMarkdown(v.recommendation)}*`,
  ].join('\n\n');
}

/** Reasoning may come from Gemini: shown as text, never as links, HTML or formatting. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/** "line" or "lines" for a report span. */
function linesWord([a, b]: [number, number]): string {
  return a === b ? 'line' : 'lines';
}

export function span([a, b]: [number, number]): string {
  return a === b ? `${a}` : `${a}–${b}`;
}

/** Whole lines: 1-based inclusive report lines to an LSP range ending at the start of the next line. */
export function lineRange([a, b]: [number, number]) {
  return { start: { line: a - 1, character: 0 }, end: { line: b, character: 0 } };
}

export function toUri(p: string, root: string): string {
  return pathToFileURL(path.resolve(root, p)).toString();
}

function displayPath(p: string, roots: string[]): string {
  for (const root of roots) {
    const rel = path.relative(root, p);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel;
  }
  return p;
}
