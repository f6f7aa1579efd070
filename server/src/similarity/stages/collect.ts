// Stage 1, collect: the source files to compare and the template's, read from the inputs (or, in a
// quick update, the last run's files with the changed ones read again and the created ones added).
import { collectInputs, type SourceFile } from '../inputs';
import type { QuickUpdate } from './runIndex';
import type { Settings } from './types';

export interface Collected {
  files: SourceFile[];
  template: SourceFile[];
  /** Files past `maxFiles`, left out. */
  skipped: number;
}

export async function collect(inputs: string[], templatePaths: string[] | undefined, maxFiles: number | undefined, s: Settings, quick: QuickUpdate | undefined): Promise<Collected> {
  if (quick) return { files: quick.files, template: quick.template, skipped: 0 };
  let files = (await collectInputs(inputs, s.collect)).files;
  const template = templatePaths?.length ? (await collectInputs(templatePaths, { ...s.collect, submissions: false })).files : [];
  let skipped = 0;
  if (maxFiles !== undefined && files.length > maxFiles) {
    skipped = files.length - maxFiles;
    files = files.slice(0, maxFiles);
  }
  return { files, template, skipped };
}
