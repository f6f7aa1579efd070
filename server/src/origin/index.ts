// Entry point of the origin classifier for the CLI and the language server.
//   const model = OriginModel.open(resolveModelDir());     // throws ModelFolderError
//   const c = await model.classify(text, { language });    // {label: llm|human|inconclusive, p_llm, confidence, reason?, ...}
//   if (!model.explainUnavailable) await model.explain(text, { top: 5, range });  // IG token attributions
import path from 'node:path';

export { ModelFolderError, loadModelFolder, modelFolderFiles, type ModelFolder, type OriginManifest, type IgBaseline } from './manifest';
export {
  decide, calibrate, isEvaluated, ratesFor, legacyPolicy, languageName, shownPercent, aboutPercent, oneIn, humanRuleText, llmThresholdFor, minTokensOf, unitThresholdFor, decideUnit,
  type Verdict, type VerdictPolicy, type VerdictOptions, type LanguageRates,
} from './verdict';
export { cueGroups, cueSentence, CUE_NAMES, type Cue, type CueGroup } from './cues';
export { CANONICAL_VERSION } from './canonical';
export {
  OriginModel, DEFAULT_MAX_WINDOWS, DEFAULT_BATCH_SIZE,
  type Classification, type ClassifyOptions, type ModelInput, type VerdictLanguage, type Explanation, type ExplainOptions, type OriginLabel, type WindowScore,
} from './model';
export type { TokenAttribution, WindowCompleteness } from './explanation';
export { DEFAULT_IG_STEPS } from './integratedGradients';
export { loadOrt, wantedBackend, type OrtBackend, type OrtRuntime } from './ortBackend';

export const MODEL_ENV = 'CODE_ORIGIN_MODEL';

/**
 * The model folder: an explicit folder, else $CODE_ORIGIN_MODEL, else models/code-origin-small beside the
 * bundle (dist/cli.js and dist/server.js → ../models/code-origin-small).
 */
export function resolveModelDir(explicit?: string, bundleDir: string = __dirname): string {
  if (explicit) return path.resolve(explicit);
  const env = process.env[MODEL_ENV];
  if (env) return path.resolve(env);
  return path.resolve(bundleDir, '..', 'models', 'code-origin-small');
}
