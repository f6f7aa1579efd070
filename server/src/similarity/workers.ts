// Parsing and feature extraction in worker threads (core/workerPool.ts).
import type { LanguageId } from '../core/languages';
import { registerTask, runTasks } from '../core/workerPool';
import { featuresOfSource, type FeatureOptions, type FileFeatures } from './features';

interface Job { text: string; language: LanguageId; fopts: FeatureOptions }

registerTask('similarity.features', (job: Job) => featuresOfSource(job.text, job.language, job.fopts));

/** Worker threads the last parallel run really used (0 when it fell back to this thread). */
export let lastWorkersUsed = 0;

export function resetWorkersUsed(): void {
  lastWorkersUsed = 0;
}

/** Features for many files on `workers` threads (falls back to this thread if a worker cannot start). */
export async function computeFeaturesParallel(jobs: Array<{ text: string; language: LanguageId }>, fopts: FeatureOptions, workers: number,
  onDone?: () => void): Promise<Array<FileFeatures | string>> {
  const { results, used } = await runTasks<Job, FileFeatures>('similarity.features', jobs.map((j) => ({ text: j.text, language: j.language, fopts })), workers, onDone);
  lastWorkersUsed = used;
  return results.map((r) => ('value' in r ? r.value : `analysis failed: ${r.error}`));
}
