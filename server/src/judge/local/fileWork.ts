// The local judge's per-file work (parse, tokens, k-grams, lines, names, algorithms), runnable in the
// worker threads of core/workerPool.ts: a judged workspace is mostly this work, and a worker's parser
// memory goes when the run ends instead of growing the server's.
import type { LanguageId } from '../../core/languages';
import { registerTask, resolveWorkers, runTasks, type WorkerCount } from '../../core/workerPool';
import { docKeys, type DocKeys } from './context';
import { detectAlgorithms } from './detect';
import { analyseFile, type FileAnalysis } from './evidence';
import { tokenize, type TokenizedFile } from './tokens';

export interface FileWork { source: string; language: LanguageId; analyse: boolean }
export interface FileWorkResult { keys: DocKeys; analysis?: FileAnalysis }

export async function analysed(tf: TokenizedFile, source: string): Promise<FileAnalysis> {
  return analyseFile(tf, source, await detectAlgorithms(tf));
}

async function fileWork(w: FileWork): Promise<FileWorkResult> {
  const tf = await tokenize(w.source, w.language);
  return { keys: docKeys(tf, w.source), ...(w.analyse ? { analysis: await analysed(tf, w.source) } : {}) };
}

registerTask('judge.file', fileWork);

/** Each file's work on up to `workers` threads; a file whose job failed is done again here (its error, if any, surfaces). */
export async function fileWorkAll(jobs: FileWork[], workers: WorkerCount): Promise<FileWorkResult[]> {
  const threads = resolveWorkers(workers, jobs.length, jobs.reduce((n, j) => n + j.source.length, 0));
  const { results } = await runTasks<FileWork, FileWorkResult>('judge.file', jobs, threads);
  return Promise.all(results.map((r, i) => ('value' in r ? r.value : fileWork(jobs[i]!))));
}
