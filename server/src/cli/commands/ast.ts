// `code-origin ast <file>`: the normalized syntax tree as JSON, or as an indented outline.
import type { Command } from 'commander';
import { astOfFile } from '../../core/analyze';
import type { AstJsonNode } from '../../core/astView';
import { parseLanguage } from '../../core/languages';
import { type CliContext, ExitCode, UsageError, parseFormat, parseSize } from '../context';
import { oneLine } from '../terminalText';

export function registerAst(program: Command, ctx: CliContext): void {
  program
    .command('ast')
    .description('The normalized syntax tree of one file (named nodes, comments removed), capped in depth and size')
    .argument('<file>', 'a source file')
    .option('-f, --format <format>', 'json or table (an indented outline)', 'json')
    .option('--language <lang>', 'force the language instead of detecting it from the extension')
    .option('--max-depth <n>', 'deepest level to include', '64')
    .option('--max-nodes <n>', 'most nodes to include', '5000')
    .option('--max-file-size <bytes>', 'refuse files larger than this', '1048576')
    .action(async (file: string, opts: { format: string; language?: string; maxDepth: string; maxNodes: string; maxFileSize: string }) => {
      const format = parseFormat(opts.format, ['json', 'table']);
      const language = opts.language ? parseLanguage(opts.language) : undefined;
      if (opts.language && !language) throw new UsageError(`unknown language "${opts.language}"`);
      const maxDepth = positiveInt(opts.maxDepth, '--max-depth');
      const maxNodes = positiveInt(opts.maxNodes, '--max-nodes');
      const r = await astOfFile(file, { language, maxDepth, maxNodes, maxBytes: parseSize(opts.maxFileSize) });
      if (!r.ok) {
        ctx.err(`${oneLine(file)}: ${oneLine(r.error)}`);
        ctx.exitCode = ExitCode.AnalysisProblem;
        return;
      }
      if (r.result.truncated) ctx.err(`${oneLine(file)}: tree truncated: ${r.result.truncated_reason}`);
      ctx.out(format === 'json' ? JSON.stringify({ path: file, ...r.result }, null, 2) : outline(r.result.root));
      ctx.exitCode = ExitCode.Ok;
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
