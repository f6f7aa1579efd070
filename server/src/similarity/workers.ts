// Parsing and feature extraction in worker threads (core/workerPool.ts): each job is one file's parse,
// its features and, when asked, the local judge's keys from the same tree (features.ts).
import type { LanguageId } from '../core/languages';
import { registerTask, runTasks } from '../core/workerPool';
import { analyseSource, type AnalysedFile, type FeatureOptions } from './features';

interface Job { text: string; language: LanguageId; fopts: FeatureOptions; judgeKeys: boolean }

registerTask('similarity.features', (job: Job) => analyseSource(job.text, job.language, job.fopts, job.judgeKeys));

/** Worker threads the last parallel run really used (0 when it fell back to this thread). */
export let lastWorkersUsed = 0;

export function resetWorkersUsed(): void {
  lastWorkersUsed = 0;
}

/** Features (and judge keys where a job asks) for many files on `workers` threads (falls back to this thread if a worker cannot start). */
export async function computeFeaturesParallel(jobs: Array<{ text: string; language: LanguageId; judgeKeys: boolean }>, fopts: FeatureOptions, workers: number,
  onDone?: () => void): Promise<Array<AnalysedFile | string>> {
  const { results, used } = await runTasks<Job, AnalysedFile>('similarity.features', jobs.map((j) => ({ text: j.text, language: j.language, fopts, judgeKeys: j.judgeKeys })), workers, onDone);
  lastWorkersUsed = used;
  return results.map((r) => ('value' in r ? r.value : `analysis failed: ${r.error}`));
}
