// Changed lines of a diff -> the functions they fall in (every enclosing one), or the module top level.
import type { SourceFunction } from './source-function.ts';

export interface ChangedFunction extends SourceFunction {
  /** Head lines changed inside the function's span. */
  changedLines: number[];
  /** Deletions inside the span (a deletion sits between two head lines). */
  deletions: number;
}

/** The pseudo-function for changes outside every function (module top level). */
export const MODULE_FUNCTION_NAME = '(module)';

export interface LineHunk {
  newStart: number;
  newLines: number;
}

/**
 * Functions (as found in the head source) whose span contains a changed line or a deletion point. Nested
 * functions both count (the inner one is where the change is; the outer one contains it). Changes
 * outside every function give a '(module)' entry spanning the file.
 */
export function changedFunctionsIn(
  functions: readonly SourceFunction[],
  source: string,
  hunks: readonly LineHunk[],
): ChangedFunction[] {
  const lines: number[] = [];
  const deletions: number[] = [];
  for (const h of hunks) {
    if (h.newLines === 0) deletions.push(h.newStart);
    for (let l = h.newStart; l < h.newStart + h.newLines; l++) lines.push(l);
  }
  lines.sort((a, b) => a - b);
  const out: ChangedFunction[] = [];
  const covered = new Set<number>();
  const coveredDeletions = new Set<number>();
  for (const fn of functions) {
    const inside = lines.filter((l) => l >= fn.startLine && l <= fn.endLine);
    const dels = deletions.filter((d) => d >= fn.startLine && d < fn.endLine);
    if (inside.length === 0 && dels.length === 0) continue;
    for (const l of inside) covered.add(l);
    for (const d of dels) coveredDeletions.add(d);
    out.push({ ...fn, changedLines: inside, deletions: dels.length });
  }
  const outside = lines.filter((l) => !covered.has(l));
  const outsideDeletions = deletions.filter((d) => !coveredDeletions.has(d));
  if (outside.length > 0 || outsideDeletions.length > 0) {
    const lineCount = source.split('\n').length;
    out.push({
      name: MODULE_FUNCTION_NAME,
      qualifiedName: MODULE_FUNCTION_NAME,
      kind: 'function',
      startLine: 1,
      endLine: lineCount,
      startColumn: 1,
      headerLine: 1,
      headerColumn: 1,
      headerOffset: 0,
      start: 0,
      end: source.length,
      changedLines: outside,
      deletions: outsideDeletions.length,
    });
  }
  return out;
}
