// `code-origin compare-repos A B [options of compare]`: shallow-clone both repositories, run
// `compare --cross` on the clones with the same options, and name files `repository!/path`.
import type { Command } from 'commander';
import { parseRepoSpec, RepoError, removeLiveClones, shallowClone, type Clone } from '../../repos/clone';
import { type CliContext, ExitCode, UsageError } from '../context';

/** Runs another command of the same CLI (compare), so every compare option keeps working here. */
export type RunCommand = (argv: string[], ctx: CliContext) => Promise<number>;

export function registerCompareRepos(program: Command, ctx: CliContext, run: RunCommand): void {
  program
    .command('compare-repos')
    .description('Compare two git repositories (https, ssh, file:// or local paths): shallow clones, cross pairs only; any option of compare applies')
    .argument('<repository1>')
    .argument('<repository2>')
    .argument('[compareOptions...]', 'options of `code-origin compare` (e.g. --format html --output r.html --judge local)')
    .allowUnknownOption()
    .helpOption('-h, --help', 'display help for command (see also: code-origin compare --help)')
    .action(async (a: string, b: string, rest: string[]) => {
      let specs;
      try {
        specs = [parseRepoSpec(a), parseRepoSpec(b)];
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      if (rest.includes('--output') || rest.includes('-o')) {
        // The report text is relabelled on its way out, so it must pass through here.
        throw new UsageError('compare-repos writes to stdout; redirect it to a file instead of --output');
      }
      const clones: Clone[] = [];
      // Ctrl-C or SIGTERM: stop git, wait for it, remove every clone, then end as the signal would.
      const ac = new AbortController();
      let cloning: Promise<unknown> = Promise.resolve();
      const onSignal = (sig: NodeJS.Signals) => {
        ctx.err(`code-origin: ${sig}: removing the temporary clones`);
        ac.abort();
        const settled = cloning.catch(() => undefined);
        const late = new Promise((r) => setTimeout(r, 5000).unref());
        void Promise.race([settled, late]).then(() => {
          removeLiveClones();
          process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
        });
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        for (const spec of specs) {
          ctx.err(`cloning ${spec.label}…`);
          const p = shallowClone(spec, { signal: ac.signal });
          cloning = p;
          clones.push(await p);
        }
        // Clone folders are temporary: every path printed under one becomes `label!/path`.
        const relabel = (text: string) => clones.reduce((t, c) => t.split(`${c.dir}/`).join(`${c.spec.label}!/`), text);
        const inner: CliContext = { out: (s) => ctx.out(relabel(s)), err: (s) => ctx.err(relabel(s)), exitCode: ExitCode.Ok };
        ctx.exitCode = await run(['compare', ...clones.map((c) => c.dir), '--cross', ...rest], inner);
      } catch (e) {
        if (e instanceof RepoError) {
          ctx.err(`code-origin: ${e.message}`);
          ctx.exitCode = ExitCode.AnalysisProblem;
          return;
        }
        throw e;
      } finally {
        await Promise.all(clones.map((c) => c.dispose()));
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
