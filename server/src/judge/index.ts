// The judge's public surface, for `compare`, the language server and the extension (its CLI flags and
// table live with the CLI: cli/judgeOptions.ts, cli/judgeTable.ts).
export { judgePairs, JudgeConfigError, JUDGE_DEFAULTS, localIsDecisive, type JudgeOptions, type JudgeOutcome } from './judge';
export type { JudgedReport, JudgedReportPair } from '../../../protocol/report';
export { renderJudgeHtml } from './html';
export { refine, riskLevel, copyRisk, isFlagged, RISK_BANDS } from './refine';
export { LocalJudge } from './local/localJudge';
export { DEFAULT_GEMINI_MODEL, PROMPT_VERSION } from './gemini/prompt';
export { VerdictCache, verdictKey } from './cache';
export * from './types';
