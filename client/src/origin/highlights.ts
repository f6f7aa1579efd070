// Inline Integrated Gradients highlights: background intensity ∝ |attribution|, orange toward LLM and blue
// toward human (separate light/dark colours), with a hover legend per token. Editing inside the explained
// range, closing the editor or Clear Highlights removes them.
import * as vscode from 'vscode';
import type { OriginExplainResult, TokenHighlight } from '../../../protocol/messages';

type Explained = Exclude<OriginExplainResult, { error: string }>;

/** Intensity buckets: alpha of the background for each fifth of the attribution range. */
const LEVELS = [0.14, 0.26, 0.38, 0.5, 0.62];
/** Tokens below this share of the largest |score| are not highlighted (noise). */
const MIN_SHARE = 0.08;

function rgba(rgb: [number, number, number], a: number): string {
  return `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${a})`;
}

const COLOURS = {
  llm: { light: [230, 110, 0] as [number, number, number], dark: [255, 150, 40] as [number, number, number], hc: [255, 170, 0] as [number, number, number] },
  human: { light: [0, 100, 210] as [number, number, number], dark: [70, 160, 255] as [number, number, number], hc: [90, 180, 255] as [number, number, number] },
};

function makeTypes(dir: 'llm' | 'human'): vscode.TextEditorDecorationType[] {
  const c = COLOURS[dir];
  return LEVELS.map((a) => vscode.window.createTextEditorDecorationType({
    light: { backgroundColor: rgba(c.light, a * 0.8) },
    dark: { backgroundColor: rgba(c.dark, a) },
    borderRadius: '2px',
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  }));
}

export const LEGEND_MARKDOWN = '**Code Origin** highlights (Integrated Gradients): **orange** pushes toward *LLM-generated*, **blue** toward *human-written*; '
  + 'stronger colour = larger attribution. *Code Origin: Clear Highlights* removes them.';

interface Shown {
  uri: string;
  range: vscode.Range;
  result: Explained;
}

export class OriginHighlights implements vscode.Disposable {
  private readonly llm = makeTypes('llm');
  private readonly human = makeTypes('human');
  private readonly shown = new Map<string, Shown>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        const s = this.shown.get(e.document.uri.toString());
        if (!s) return;
        if (e.contentChanges.some((c) => c.range.intersection(s.range) !== undefined || c.range.end.isBefore(s.range.start))) this.clear(e.document.uri);
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.redraw()),
      vscode.workspace.onDidCloseTextDocument((d) => this.shown.delete(d.uri.toString())),
    );
    void vscode.commands.executeCommand('setContext', 'codeOrigin.hasHighlights', false);
  }

  /** Number of highlighted tokens per document (for tests and the status message). */
  count(uri: vscode.Uri): number {
    const s = this.shown.get(uri.toString());
    return s ? this.options(s).reduce((a, l) => a + l.length, 0) : 0;
  }

  show(uri: vscode.Uri, result: Explained): number {
    const r = result.range;
    this.shown.set(uri.toString(), { uri: uri.toString(), range: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), result });
    this.redraw();
    void vscode.commands.executeCommand('setContext', 'codeOrigin.hasHighlights', true);
    return this.count(uri);
  }

  clear(uri?: vscode.Uri): void {
    if (uri) this.shown.delete(uri.toString());
    else this.shown.clear();
    this.redraw();
    if (this.shown.size === 0) void vscode.commands.executeCommand('setContext', 'codeOrigin.hasHighlights', false);
  }

  /** Decoration options per type: llm levels then human levels. */
  private options(s: Shown): vscode.DecorationOptions[][] {
    const out: vscode.DecorationOptions[][] = [...this.llm, ...this.human].map(() => []);
    const max = s.result.maxAbs;
    if (!(max > 0)) return out;
    for (const t of s.result.tokens) {
      const share = Math.abs(t.score) / max;
      if (share < MIN_SHARE) continue;
      const range = tokenRange(t);
      if (!range) continue;
      const level = Math.min(LEVELS.length - 1, Math.floor(share * LEVELS.length));
      const idx = (t.score > 0 ? 0 : LEVELS.length) + level;
      const hover = new vscode.MarkdownString(
        `\`${t.text.trim().replace(/`/g, 'ˋ')}\` — attribution ${t.score >= 0 ? '+' : '−'}${Math.abs(t.score).toFixed(4)} toward **${t.score >= 0 ? 'LLM' : 'human'}** `
        + `(${Math.round(share * 100)}% of the strongest token)\n\n${LEGEND_MARKDOWN}`,
      );
      out[idx]!.push({ range, hoverMessage: hover });
    }
    return out;
  }

  private redraw(): void {
    const types = [...this.llm, ...this.human];
    for (const editor of vscode.window.visibleTextEditors) {
      const s = this.shown.get(editor.document.uri.toString());
      const opts = s ? this.options(s) : types.map(() => []);
      types.forEach((t, i) => editor.setDecorations(t, opts[i]!));
    }
  }

  dispose(): void {
    for (const t of [...this.llm, ...this.human]) t.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** The token's range without leading/trailing whitespace (byte-level BPE tokens carry their space). */
function tokenRange(t: TokenHighlight): vscode.Range | undefined {
  const lead = t.text.length - t.text.trimStart().length;
  const trail = t.text.length - t.text.trimEnd().length;
  if (lead === t.text.length) return undefined;
  const { start, end } = t.range;
  if (start.line !== end.line || t.text.includes('\n')) return new vscode.Range(start.line, start.character, end.line, end.character);
  return new vscode.Range(start.line, start.character + lead, end.line, Math.max(start.character + lead, end.character - trail));
}
