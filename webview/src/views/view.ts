// What a view is, and what it may read and ask of the panel. The views import this file, never
// app.ts: App implements PanelContext and hands itself to each view, so no import runs back up.
import type { AstViewData, StructureSummaryData } from '../protocol';
import type { Cluster, Model, PairInfo } from '../model';
import type { Palette } from '../theme';

export type UpdateReason = 'model' | 'threshold' | 'theme' | 'data' | 'selection';

export interface View {
  readonly el: HTMLElement;
  update(reason: UpdateReason): void;
  /** Called when the tab is shown (after any pending update) or hidden. */
  shown?(visible: boolean): void;
}

export interface AstEntry { ast?: AstViewData; summary?: StructureSummaryData; error?: string }

/** The panel's shared state and actions, as the views see them (implemented by App). */
export interface PanelContext {
  readonly model: Model | undefined;
  readonly threshold: number;
  readonly clusters: Cluster[];
  readonly clusterOf: Int32Array;
  readonly order: number[];
  readonly palette: Palette;
  readonly pair: PairInfo | undefined;
  readonly astPath: string | undefined;
  readonly node: string | undefined;
  readonly asts: ReadonlyMap<string, AstEntry>;
  setThreshold(t: number): void;
  openPair(file1: string, file2: string, notify?: boolean): void;
  showAst(path: string): void;
  selectNode(name: string | undefined): void;
  openFile(path: string, line?: number, endLine?: number): void;
  fileText(path: string): { text?: string; error?: string } | undefined;
  requestAst(path: string, force?: boolean): void;
  announce(text: string): void;
}
