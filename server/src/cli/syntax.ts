// Syntax errors of a file, printed as `file:line:column: message` on stderr: the README's exit-code
// contract makes them an analysis problem (exit 1) in every command that reads source files.
import type { LanguageId } from '../core/languages';
import { withParsed } from '../core/parser';
import { collectSyntaxErrors } from '../core/syntaxErrors';

/** Prints the file's syntax errors; returns how many were printed (0 for clean code). */
export async function reportSyntaxErrors(ctx: { err(text: string): void }, file: string, text: string, language: LanguageId): Promise<number> {
  try {
    const problems = await withParsed(text, language, (p) => collectSyntaxErrors(p.tree.rootNode));
    for (const e of problems) ctx.err(`${file}:${e.line}:${e.column}: ${e.message}`);
    return problems.length;
  } catch (e) {
    ctx.err(`${file}: could not be parsed: ${(e as Error).message}`);
    return 1;
  }
}
