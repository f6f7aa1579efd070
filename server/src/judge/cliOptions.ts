// The CLI face of the judge: `--judge off|local|gemini`, `--judge-model`, `--judge-max-calls`, and
// the key from GEMINI_API_KEY.
import type { Command } from 'commander';
import { UsageError } from '../cli/context';
import { DEFAULT_GEMINI_MODEL } from './gemini/prompt';
import { JUDGE_DEFAULTS, type JudgeOptions } from './judge';
import { JUDGE_PROVIDERS, type JudgeProvider } from './types';

export interface JudgeCliFlags { judge: string; judgeModel?: string; judgeMaxCalls: string; judgeThreshold: string; judgeCache?: string }

export function addJudgeOptions(cmd: Command): Command {
  return cmd
    .option('--judge <provider>', 'semantic judge for pairs at or above the judge threshold: off, local or gemini', 'local')
    .option('--judge-model <model>', `Gemini model (default ${DEFAULT_GEMINI_MODEL})`)
    .option('--judge-max-calls <n>', 'most Gemini requests per analysis', String(JUDGE_DEFAULTS.maxCalls))
    .option('--judge-threshold <x>', 'structural score from which pairs are judged', String(JUDGE_DEFAULTS.threshold))
    .option('--judge-cache <file>', 'sql.js database caching Gemini verdicts');
}

export function judgeOptionsFromCli(flags: JudgeCliFlags, env: NodeJS.ProcessEnv, log: (m: string) => void): JudgeOptions {
  if (!(JUDGE_PROVIDERS as readonly string[]).includes(flags.judge)) throw new UsageError(`--judge must be one of ${JUDGE_PROVIDERS.join(', ')}, got "${flags.judge}"`);
  const provider = flags.judge as JudgeProvider;
  const maxCalls = Number(flags.judgeMaxCalls);
  if (!Number.isInteger(maxCalls) || maxCalls < 0) throw new UsageError(`--judge-max-calls must be a non-negative integer, got "${flags.judgeMaxCalls}"`);
  const threshold = Number(flags.judgeThreshold);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) throw new UsageError(`--judge-threshold must be a number between 0 and 1, got "${flags.judgeThreshold}"`);
  if (provider === 'gemini' && !env.GEMINI_API_KEY) throw new UsageError('--judge gemini needs the GEMINI_API_KEY environment variable');
  return {
    provider, threshold, maxCalls, model: flags.judgeModel, cachePath: flags.judgeCache,
    apiKey: () => env.GEMINI_API_KEY,
    // Running the CLI with --judge gemini is the consent to send the judged pairs to Google.
    log,
  };
}
