// What every CLI command shares: output streams, exit codes, and argument checks.

export const ExitCode = { Ok: 0, AnalysisProblem: 1, Usage: 2 } as const;

export class UsageError extends Error {}

export interface CliContext {
  out(text: string): void;
  err(text: string): void;
  exitCode: number;
  /** Resolves once stdout has room again (output streamed in parts waits on it); absent in tests. */
  drained?(): Promise<void>;
}

export function parseFormat<T extends string>(value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--format must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

export function parseSize(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--max-file-size must be a positive number of bytes, got "${value}"`);
  return n;
}
