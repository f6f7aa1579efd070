#!/usr/bin/env node
// The `code-origin` command line: the same analysis core as the language server.
import { once } from 'node:events';
import { Command, CommanderError } from 'commander';
import { registerArchive } from './commands/archive';
import { registerAst } from './commands/ast';
import { registerClassify } from './commands/classify';
import { registerCompare } from './commands/compare';
import { registerCompareRepos } from './commands/compareRepos';
import { registerSummary } from './commands/summary';
import { registerScan } from './commands/scan';
import { type CliContext, ExitCode, UsageError } from './context';
import { terminalSafe } from './terminalText';

declare const CODE_ORIGIN_VERSION: string | undefined;

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const program = new Command('code-origin')
    .description('Code Origin: who wrote this code (human or LLM), and was it copied?')
    .version(typeof CODE_ORIGIN_VERSION === 'string' ? CODE_ORIGIN_VERSION : 'dev')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()) });
  registerSummary(program, ctx);
  registerAst(program, ctx);
  registerCompare(program, ctx);
  registerCompareRepos(program, ctx, runCli);
  registerArchive(program, ctx);
  registerClassify(program, ctx);
  registerScan(program, ctx);
  for (const cmd of program.commands) for (const c of [cmd, ...cmd.commands]) c.exitOverride().showHelpAfterError();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (e instanceof UsageError) {
      ctx.err(`code-origin: ${e.message}`);
      return ExitCode.Usage;
    }
    ctx.err(`code-origin: ${(e as Error).stack ?? String(e)}`);
    return ExitCode.AnalysisProblem;
  }
}

if (require.main === module) {
  // A reader that stops early (`| head -1`) closes the pipe: that ends the run quietly, with the
  // status of a successful write so far, instead of an unhandled EPIPE stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.Ok);
      throw e;
    });
  }
  const ctx: CliContext = {
    // Everything printed passes terminalSafe: no control sequence from an input reaches the terminal.
    out: (s) => process.stdout.write(`${terminalSafe(s)}\n`),
    err: (s) => process.stderr.write(`${terminalSafe(s)}\n`),
    exitCode: ExitCode.Ok,
    drained: () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : Promise.resolve()),
  };
  void runCli(process.argv.slice(2), ctx).then((code) => {
    process.exitCode = code;
  });
}
