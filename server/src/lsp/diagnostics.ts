// One publisher of diagnostics for the whole server. LSP's publishDiagnostics replaces every diagnostic of a
// URI, so the features that make diagnostics (similarity matches, origin verdicts) each set their own here,
// and what goes out is all of them together: similarity first, then origin.
import type { Connection, Diagnostic } from 'vscode-languageserver';

export type DiagnosticSource = 'similarity' | 'origin';

const ORDER: readonly DiagnosticSource[] = ['similarity', 'origin'];

export class DiagnosticsPublisher {
  private readonly byUri = new Map<string, Map<DiagnosticSource, Diagnostic[]>>();

  constructor(private readonly connection: Pick<Connection, 'sendDiagnostics'>) {}

  /** Replaces `source`'s diagnostics of `uri` and publishes the URI's merged list (nothing is sent to clear what was never set). */
  set(source: DiagnosticSource, uri: string, diagnostics: Diagnostic[]): void {
    let mine = this.byUri.get(uri);
    if (!diagnostics.length && !mine?.has(source)) return;
    if (diagnostics.length) {
      if (!mine) this.byUri.set(uri, (mine = new Map()));
      mine.set(source, diagnostics);
    } else {
      mine?.delete(source);
      if (mine?.size === 0) this.byUri.delete(uri);
    }
    void this.connection.sendDiagnostics({ uri, diagnostics: ORDER.flatMap((s) => mine?.get(s) ?? []) });
  }
}
