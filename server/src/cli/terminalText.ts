// Text bound for a terminal: file names, zip entry names and replies come from whoever made the input,
// and a raw ESC, BEL, CR, C1 control or bidi override in them would drive the terminal (move the cursor,
// recolour, rewrite earlier lines, retitle the window, reorder what is shown). Such characters are
// written as \uXXXX: readable, and still valid (and equal) inside JSON strings.

// C0 but TAB and LF, DEL, C1, and the characters that reorder or break lines: ALM, LRM/RLM,
// LRE..RLO, LRI..PDI, LINE/PARAGRAPH SEPARATOR.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same plus TAB and LF: for one value inside a line (a table cell, a name in a message).
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Whole output (lines kept): every control character but TAB and LF escaped. Safe per chunk. */
export function terminalSafe(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, escape) : text;
}

/** One value inside a line: line breaks and tabs escaped too, so a name cannot fake another line. */
export function oneLine(text: string): string {
  CONTROL_OR_BREAK.lastIndex = 0;
  return CONTROL_OR_BREAK.test(text) ? text.replace(CONTROL_OR_BREAK, escape) : text;
}
