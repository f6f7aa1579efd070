// The CLI face of the judge: `--judge off|local|gemini`, `--judge-model`, `--judge-max-calls`,
// `--judge-timeout`, and the key from GEMINI_API_KEY.
import type { Command } from 'commander';
import { DEFAULT_GEMINI_MODEL } from '../judge/gemini/prompt';
import { JUDGE_DEFAULTS, type JudgeOptions } from '../judge/judge';
import { JUDGE_PROVIDERS, type JudgeProvider } from '../judge/types';
import { UsageError } from './context';
import { oneLine } from './terminalText';

export interface JudgeCliFlags { judge: string; judgeModel?: string; judgeMaxCalls: string; judgeThreshold: string; judgeCache?: string; judgeTimeout?: string }

export function addJudgeOptions(cmd: Command): Command {
  return cmd
    .option('--judge <provider>', 'semantic judge for pairs at or above the judge threshold: off, local or gemini', 'local')
    .option('--judge-model <model>', `Gemini model (default ${DEFAULT_GEMINI_MODEL})`)
    .option('--judge-max-calls <n>', 'most Gemini requests per analysis', String(JUDGE_DEFAULTS.maxCalls))
    .option('--judge-threshold <x>', 'structural score from which pairs are judged', String(JUDGE_DEFAULTS.threshold))
    .option('--judge-cache <file>', 'sql.js database caching Gemini verdicts')
    .option('--judge-timeout <seconds>', 'most seconds all Gemini requests of the analysis may take together; pairs not judged by then keep the local verdict',
      String(JUDGE_DEFAULTS.totalTimeoutMs / 1000));
}

export function judgeOptionsFromCli(flags: JudgeCliFlags, env: NodeJS.ProcessEnv, log: (m: string) => void): JudgeOptions {
  if (!(JUDGE_PROVIDERS as readonly string[]).includes(flags.judge)) throw new UsageError(`--judge must be one of ${JUDGE_PROVIDERS.join(', ')}, got "${flags.judge}"`);
  const provider = flags.judge as JudgeProvider;
  const maxCalls = Number(flags.judgeMaxCalls);
  if (!Number.isInteger(maxCalls) || maxCalls < 0) throw new UsageError(`--judge-max-calls must be a non-negative integer, got "${flags.judgeMaxCalls}"`);
  const threshold = Number(flags.judgeThreshold);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) throw new UsageError(`--judge-threshold must be a number between 0 and 1, got "${flags.judgeThreshold}"`);
  const timeoutS = flags.judgeTimeout === undefined ? JUDGE_DEFAULTS.totalTimeoutMs / 1000 : Number(flags.judgeTimeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 86_400) throw new UsageError(`--judge-timeout must be a number of seconds above 0 and up to 86400, got "${flags.judgeTimeout}"`);
  if (provider === 'gemini' && !env.GEMINI_API_KEY) throw new UsageError('--judge gemini needs the GEMINI_API_KEY environment variable');
  return {
    provider, threshold, maxCalls, model: flags.judgeModel, cachePath: flags.judgeCache, totalTimeoutMs: timeoutS * 1000,
    apiKey: () => env.GEMINI_API_KEY,
    // Running the CLI with --judge gemini is the consent to send the judged pairs to Google.
    // Judge messages name files: one line each, whatever the names hold.
    log: (m) => log(oneLine(m)),
  };
}
