// Putting verdicts into a `compare` report: sources for each reported document (files, folders,
// archives, submissions), the judge run, `llm_verdict` / `refined_verdict` on pairs, `llm_summary`,
// and `metadata.llm_enabled`.
import type { LanguageId } from '../core/languages';
import { JUDGE_DEFAULTS, judgePairs, type JudgeOptions, type JudgeOutcome } from '../judge/judge';
import type { JudgePairInput } from '../judge/types';
import { lastRunSources, type CompareOptions, type CompareReport } from './engine';
import { collectInputs, type SourceFile } from './inputs';
import { DEFAULT_MAX_FILE_BYTES } from '../../../protocol/config';

import type { JudgedReport, JudgedReportPair } from '../../../protocol/report';

export type { JudgedReport, JudgedReportPair };

interface DocSource { source: string; language: LanguageId }

/** One source per document: a submission's files of its main language, joined. */
function docSources(files: SourceFile[]): Map<string, DocSource> {
  const byDoc = new Map<string, SourceFile[]>();
  for (const f of files) {
    if (f.error || f.text === undefined || !f.language) continue;
    const list = byDoc.get(f.doc) ?? [];
    list.push(f);
    byDoc.set(f.doc, list);
  }
  const out = new Map<string, DocSource>();
  for (const [doc, list] of byDoc) {
    const counts = new Map<LanguageId, number>();
    for (const f of list) counts.set(f.language!, (counts.get(f.language!) ?? 0) + f.text!.length);
    const language = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    // A one-file document's source is its text itself (joining would copy every file of a workspace per run).
    const parts = list.filter((f) => f.language === language);
    out.set(doc, { language, source: parts.length === 1 ? parts[0]!.text! : parts.map((f) => f.text!).join('\n') });
  }
  return out;
}

/**
 * Judges the report's pairs, over the sources `compare` read (its state's or its records'), or else
 * read again from the same inputs; with the run's records, the files' hashes and judge keys come from
 * the comparison's parse.
 */
export async function judgeReport(report: CompareReport, inputs: CompareOptions, opts: JudgeOptions): Promise<JudgedReport> {
  let outcome: JudgeOutcome;
  let sources = new Map<string, DocSource>();
  const pairs: JudgePairInput[] = [];
  const index: number[] = [];
  const threshold = opts.threshold ?? JUDGE_DEFAULTS.threshold;
  if (opts.provider !== 'off' && report.similarity.pairs.some((p) => p.similarity_score >= threshold)) {
    const collect = { submissions: !!inputs.submissions, exclude: inputs.exclude ?? [], language: inputs.language, maxBytes: inputs.maxBytes ?? DEFAULT_MAX_FILE_BYTES };
    // A caller's compare state (the language server's), or the run's records (record.ts), hold the files
    // just analysed: no need to read the inputs again. Not when some files were left out: the judge's
    // corpus counts them too.
    const records = inputs.records;
    const ofRun = records?.files && records.template ? { files: records.files, template: records.template } : undefined;
    const known = report.metadata.skipped_files ? undefined : lastRunSources(inputs.state) ?? ofRun;
    // Archived documents (compare --archive) come with their texts: those of the listed pairs at least.
    const listed = new Set(report.similarity.pairs.flatMap((p) => [p.file1, p.file2]));
    const archived = inputs.archive?.files.filter((f) => f.text !== undefined && listed.has(f.doc)) ?? [];
    sources = docSources([...(known?.files ?? (await collectInputs(inputs.inputs, collect)).files), ...archived]);
    const template = inputs.template?.length
      ? [...docSources(known?.template ?? (await collectInputs(inputs.template, { ...collect, submissions: false })).files).values()]
      : [];
    report.similarity.pairs.forEach((p, k) => {
      if (p.similarity_score < threshold) return;
      const a = sources.get(p.file1);
      const b = sources.get(p.file2);
      if (!a || !b) return;
      index.push(k);
      pairs.push({
        file1: p.file1, file2: p.file2, language1: a.language, language2: b.language, source1: a.source, source2: b.source,
        similarity_score: p.similarity_score, components: p.components, matching_regions: p.matching_regions,
      });
    });
    const context = opts.context ?? {
      templates: template, corpus: [...sources.values()],
      commonShare: report.metadata.thresholds.common_share, commonMinDocs: report.metadata.thresholds.common_min_documents,
      ...(records ? { known: { hashes: records.hashes, judgeKeys: records.judgeKeys } } : {}),
    };
    const storeDir = inputs.cachePath ? `${inputs.cachePath}.judge` : undefined;
    outcome = await judgePairs(pairs, { workers: inputs.workers, storeDir, ...opts, context });
  } else {
    // Nothing to judge (or the judge is off): no sources are read again.
    outcome = await judgePairs([], opts);
  }
  const judged: JudgedReportPair[] = report.similarity.pairs.map((p) => ({ ...p }));
  index.forEach((k, n) => {
    const r = outcome.results[n];
    if (r) Object.assign(judged[k]!, r);
  });
  return {
    ...report,
    similarity: { pairs: judged },
    ...(outcome.enabled ? { llm_summary: outcome.summary } : {}),
    metadata: { ...report.metadata, llm_enabled: outcome.enabled },
  };
}
