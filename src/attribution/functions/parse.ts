// Source text -> Babel AST, tolerant of broken input.
//
// Plugins follow the file's extension: `.ts` must not enable JSX (`<T>x` is a cast there), `.tsx` enables
// both, JavaScript enables JSX (and Flow as a second try). Without a path the text is read as TypeScript,
// then as TSX. Babel's `errorRecovery` keeps most syntax errors in `errors`; for the rest (it still
// throws on some), the line it stopped at is blanked (offsets and line numbers stay as they were) and
// the parse is retried a bounded number of times, so a file with one line Babel cannot read still
// yields the functions of every other line. Input that cannot be repaired gives no AST, never a crash.
import { parse } from '@babel/parser';
import type { ParserOptions, ParserPlugin } from '@babel/parser';
import type { File } from '@babel/types';

/** How a file is read; `undefined` for a file that is not JavaScript or TypeScript. */
export interface Language {
  /** Plugin sets to try in order; the first that parses wins. */
  attempts: ParserPlugin[][];
  sourceType: 'module' | 'unambiguous';
}

// Syntax real code uses beyond what Babel 7 enables by default (decorators before or after `export`,
// on parameters as a recoverable error, and `accessor` fields).
const COMMON: ParserPlugin[] = [['decorators', {}], 'decoratorAutoAccessors'];
const TS: ParserPlugin[] = ['typescript', ...COMMON];
const TSX: ParserPlugin[] = ['typescript', 'jsx', ...COMMON];
const JS: ParserPlugin[] = ['jsx', ...COMMON];
const FLOW: ParserPlugin[] = ['jsx', 'flow', ...COMMON];

/** At most this many lines are blanked to get past errors Babel cannot recover from. */
const MAX_REPAIRS = 16;

/** The language of a file from its path; no path means TypeScript (then TSX). */
export function languageOf(path?: string): Language | undefined {
  if (path === undefined) return { attempts: [TS, TSX], sourceType: 'unambiguous' };
  const ext = /\.([cm]?[jt]sx?)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === undefined || ext === 'cjsx' || ext === 'mjsx' || ext === 'ctsx' || ext === 'mtsx')
    return undefined;
  const sourceType = ext.startsWith('m') ? 'module' : 'unambiguous';
  if (ext === 'tsx') return { attempts: [TSX], sourceType };
  if (ext.endsWith('ts')) {
    const dts = /\.d\.[cm]?ts$/i.test(path);
    return { attempts: [dts ? (['typescript', { dts: true }] as ParserPlugin[]) : TS], sourceType };
  }
  return { attempts: [JS, FLOW], sourceType };
}

function options(language: Language, plugins: ParserPlugin[]): ParserOptions {
  return {
    sourceType: language.sourceType,
    plugins,
    errorRecovery: true,
    attachComment: false,
    createParenthesizedExpressions: false,
    // Fragments and odd module shapes are still code whose functions we want.
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: true,
    allowNewTargetOutsideFunction: true,
    allowSuperOutsideMethod: true,
    allowUndeclaredExports: true,
  };
}

/**
 * Parses with the language's plugin sets in turn. When all throw: where the first set stopped, or
 * undefined for an error with no position (Babel's recursion running out of stack on absurd nesting),
 * which blanking a line would not cure.
 */
function tryParse(source: string, language: Language): File | { failedAt: number | undefined } {
  let failedAt: number | undefined | null = null;
  for (const plugins of language.attempts) {
    try {
      return parse(source, options(language, plugins));
    } catch (err) {
      if (failedAt === null) failedAt = errorOffset(err, source.length);
    }
  }
  return { failedAt: failedAt ?? undefined };
}

function errorOffset(err: unknown, length: number): number | undefined {
  const pos = (err as { pos?: unknown } | null)?.pos;
  return typeof pos === 'number' && pos >= 0 ? Math.min(pos, length) : undefined;
}

/**
 * The source with the line holding `offset` blanked (spaces, so offsets and line numbers stay), or the
 * last non-blank line before it when that line is blank (an error at the end of the file); undefined
 * when there is nothing left to blank.
 */
function blankLine(source: string, offset: number): string | undefined {
  let start = offset === 0 ? 0 : source.lastIndexOf('\n', offset - 1) + 1;
  let end = source.indexOf('\n', start);
  if (end < 0) end = source.length;
  while (source.slice(start, end).trim() === '') {
    if (start === 0) return undefined;
    end = start - 1;
    start = end === 0 ? 0 : source.lastIndexOf('\n', end - 1) + 1;
  }
  return source.slice(0, start) + ' '.repeat(end - start) + source.slice(end);
}

/** The AST of `source`, or undefined when even blanking the failing lines does not make it parse. */
export function parseSource(source: string, language: Language): File | undefined {
  let text = source;
  for (let repairs = 0; repairs <= MAX_REPAIRS; repairs++) {
    const result = tryParse(text, language);
    if (!('failedAt' in result)) return result;
    if (result.failedAt === undefined) return undefined;
    const repaired = blankLine(text, result.failedAt);
    if (repaired === undefined) return undefined;
    text = repaired;
  }
  return undefined;
}
