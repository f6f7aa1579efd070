// `code-origin ast <file>`: the normalized syntax tree as JSON, or as an indented outline.
import type { Command } from 'commander';
import { astOfSource } from '../../core/analyze';
import type { AstJsonNode, AstView } from '../../core/astView';
import { readSource } from '../../core/source';
import { reportSyntaxErrors } from '../syntax';
import { parseLanguage } from '../../core/languages';
import { type CliContext, ExitCode, UsageError, parseFormat, parseSize } from '../context';
import { oneLine } from '../terminalText';
import { DEFAULT_AST_MAX_DEPTH, DEFAULT_AST_MAX_NODES, DEFAULT_MAX_FILE_BYTES } from '../../../../protocol/config';

export function registerAst(program: Command, ctx: CliContext): void {
  program
    .command('ast')
    .description('The normalized syntax tree of one file (named nodes, comments removed), capped in depth and size')
    .argument('<file>', 'a source file')
    .option('-f, --format <format>', 'json or table (an indented outline)', 'json')
    .option('--language <lang>', 'force the language instead of detecting it from the extension')
    .option('--max-depth <n>', 'deepest level to include', String(DEFAULT_AST_MAX_DEPTH))
    .option('--max-nodes <n>', 'most nodes to include', String(DEFAULT_AST_MAX_NODES))
    .option('--max-file-size <bytes>', 'refuse files larger than this', String(DEFAULT_MAX_FILE_BYTES))
    .action(async (file: string, opts: { format: string; language?: string; maxDepth: string; maxNodes: string; maxFileSize: string }) => {
      const format = parseFormat(opts.format, ['json', 'table']);
      const language = opts.language ? parseLanguage(opts.language) : undefined;
      if (opts.language && !language) throw new UsageError(`unknown language "${opts.language}"`);
      const maxDepth = positiveInt(opts.maxDepth, '--max-depth');
      const maxNodes = positiveInt(opts.maxNodes, '--max-nodes');
      const src = await readSource(file, { language, maxBytes: parseSize(opts.maxFileSize) });
      if (!src.ok) {
        ctx.err(`${oneLine(file)}: ${oneLine(src.reason)}`);
        ctx.exitCode = ExitCode.AnalysisProblem;
        return;
      }
      let view: AstView;
      try {
        view = await astOfSource(src.text, src.language, { maxDepth, maxNodes });
      } catch (e) {
        ctx.err(`${oneLine(file)}: analysis failed: ${oneLine((e as Error).message)}`);
        ctx.exitCode = ExitCode.AnalysisProblem;
        return;
      }
      if (view.truncated) ctx.err(`${oneLine(file)}: tree truncated: ${view.truncated_reason}`);
      ctx.out(format === 'json' ? JSON.stringify({ path: file, ...view }, null, 2) : outline(view.root));
      // The tree is printed either way (ERROR nodes included); the errors make it exit 1, as in summary.
      const errors = await reportSyntaxErrors(ctx, file, src.text, src.language);
      ctx.exitCode = errors > 0 ? ExitCode.AnalysisProblem : ExitCode.Ok;
    });
}

function outline(root: AstJsonNode): string {
  const lines: string[] = [];
  const stack: Array<[AstJsonNode, number]> = [[root, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    const label = n.label !== undefined ? ` ${JSON.stringify(n.label)}` : '';
    const cut = n.truncated_children ? ` (+${n.truncated_children} cut)` : '';
    lines.push(`${'  '.repeat(d)}${n.type}${label} [${n.start_line}-${n.end_line}]${cut}`);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i]!, d + 1]);
  }
  return lines.join('\n');
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${v}"`);
  return n;
}
