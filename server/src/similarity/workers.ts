// Parsing and feature extraction in worker threads (filled in below; sequential fallback).
import type { LanguageId } from '../core/languages';
import { featuresOfSource, type FeatureOptions, type FileFeatures } from './features';

export async function computeFeaturesParallel(jobs: Array<{ text: string; language: LanguageId }>, fopts: FeatureOptions, _workers: number): Promise<Array<FileFeatures | string>> {
  const out: Array<FileFeatures | string> = [];
  for (const j of jobs) {
    try {
      out.push(await featuresOfSource(j.text, j.language, fopts));
    } catch (e) {
      out.push(`analysis failed: ${(e as Error).message}`);
    }
  }
  return out;
}
