// Edits that get Babel past an error it does not recover from, keeping every offset and line number of
// the original text: the failing line is blanked with spaces, and a construct left open at the end of
// the file is closed by appending a closer. Each edit is one step of a bounded retry loop (parse.ts).

/** Where and why a parse stopped (Babel's SyntaxError carries `pos` and a message). */
export interface ParseFailure {
  offset: number;
  message: string;
}

/** Closers appended at the end before giving up on closing and blanking the last line instead. */
const MAX_CLOSERS = 3;

/** The failure of a thrown error, or undefined for one without a position (e.g. a stack overflow). */
export function failureOf(err: unknown, length: number): ParseFailure | undefined {
  const { pos, message } = (err ?? {}) as { pos?: unknown; message?: unknown };
  if (typeof pos !== 'number' || pos < 0) return undefined;
  return { offset: Math.min(pos, length), message: typeof message === 'string' ? message : '' };
}

/**
 * `text` (the original `originalLength` characters, possibly with closers appended) edited past
 * `failure`, or undefined when nothing is left to edit.
 */
export function repair(text: string, failure: ParseFailure, originalLength: number): string | undefined {
  if (text.slice(failure.offset).trim() !== '') return blankLine(text, failure.offset);
  // Open at the end: close with what Babel expected, else a brace (a missing `}` is a bare
  // "Unexpected token"). When closing does not help, drop the closers and lose the last line.
  const closers = (text.length - originalLength) / 2;
  if (closers < MAX_CLOSERS) {
    const expected = /expected "([)\]}])"/.exec(failure.message)?.[1] ?? '}';
    return `${text}\n${expected}`;
  }
  const original = text.slice(0, originalLength);
  const trimmed = original.trimEnd();
  return trimmed === '' ? undefined : blankLine(original, trimmed.length - 1);
}

/** The text with the line holding `offset` replaced by spaces; undefined if it is blank already. */
function blankLine(text: string, offset: number): string | undefined {
  const start = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  if (text.slice(start, end).trim() === '') return undefined;
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}
