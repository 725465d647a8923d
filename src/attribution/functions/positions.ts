// Offsets in a source text -> 1-based lines and columns, and the small forward scans the walker needs
// for positions the AST does not record (a parameter list's '(', a computed key's '[').
//
// Lines are counted at '\n' only, as git does: changed lines come from `git diff`, so a lone '\r' or a
// U+2028 must not shift them (Babel's own `loc` counts those as line breaks).

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(source: string) {
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line and column of the character at `offset`. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

const isSpace = (c: number): boolean =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  c === 0xa0 ||
  c === 0xfeff ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000;

/** Offset of the first character at or after `from` that is neither whitespace nor inside a comment. */
export function skipTrivia(source: string, from: number): number {
  let i = from;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 47 && source.charCodeAt(i + 1) === 47) {
      while (i < source.length && source.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && source.charCodeAt(i + 1) === 42) {
      const close = source.indexOf('*/', i + 2);
      i = close < 0 ? source.length : close + 2;
    } else break;
  }
  return i;
}

/**
 * Offset of the next `char` at or after `from` and before `limit`, outside comments; -1 if none. Only for
 * the short stretch between two known nodes (modifiers, a name, `?`, `*`), where no string can occur.
 */
export function nextChar(source: string, from: number, char: string, limit: number): number {
  const end = Math.min(limit, source.length);
  for (let i = skipTrivia(source, from); i < end; i = skipTrivia(source, i + 1)) {
    if (source[i] === char) return i;
  }
  return -1;
}
