// What the parts of the origin service share: the connection, the open documents, the settings, the model
// and the prediction history.
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageId } from '../../core/languages';
import type { OriginHistory } from './history';
import type { ModelHost } from './modelHost';
import type { OriginSettings } from './settings';

/** The server-wide settings the origin analysis also obeys. */
export interface OriginHostSettings {
  maxFileSize: number;
  enabledLanguages: LanguageId[];
  origin?: OriginSettings;
}

export interface OriginContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  /** codeOrigin.origin.* (defaults where the host has none). */
  settings(): OriginSettings;
  host(): OriginHostSettings;
  models: ModelHost;
  history: OriginHistory;
}
