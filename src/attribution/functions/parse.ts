// Source text -> Babel AST, tolerant of broken input.
//
// Plugins follow the file's extension: `.ts` must not enable JSX (`<T>x` is a cast there), `.tsx` enables
// both, JavaScript enables JSX (and Flow as a second try). Without a path the text is read as TypeScript,
// then as TSX. Babel's `errorRecovery` keeps most syntax errors in `errors`; for the rest (it still
// throws on some), the text is repaired where it stopped (repair.ts) and the parse retried a bounded
// number of times, so a file with one line Babel cannot read still yields the functions of every other
// line. Input that cannot be repaired gives no AST, never a crash.
import { parse } from '@babel/parser';
import type { ParserOptions, ParserPlugin } from '@babel/parser';
import type { File } from '@babel/types';
import { failureOf, repair } from './repair.ts';
import type { ParseFailure } from './repair.ts';

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

/**
 * At most this many repairs (repair.ts) to get past errors Babel does not recover from, and fewer for a
 * large file: each repair parses it again, so the repairs may parse about REPAIR_BUDGET characters.
 */
const MAX_REPAIRS = 16;
const REPAIR_BUDGET = 8_000_000;

const typescript = (sourceType: Language['sourceType']): Language => ({ attempts: [TS], sourceType });
const javascript = (sourceType: Language['sourceType']): Language => ({ attempts: [JS, FLOW], sourceType });

const BY_EXTENSION = new Map<string, Language>(
  Object.entries({
    ts: typescript('unambiguous'),
    mts: typescript('module'),
    cts: typescript('unambiguous'),
    tsx: { attempts: [TSX], sourceType: 'unambiguous' },
    js: javascript('unambiguous'),
    mjs: javascript('module'),
    cjs: javascript('unambiguous'),
    jsx: javascript('unambiguous'),
  }),
);

/**
 * The language of a file from its path; no path means TypeScript (then TSX). Declaration files
 * (`.d.ts`) have no function bodies, so they are not read at all.
 */
export function languageOf(path?: string): Language | undefined {
  if (path === undefined) return { attempts: [TS, TSX], sourceType: 'unambiguous' };
  if (/\.d\.[cm]?ts$/i.test(path)) return undefined;
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext === undefined ? undefined : BY_EXTENSION.get(ext);
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

/** Parses with the language's plugin sets in turn; when all throw, why the first one stopped. */
function tryParse(source: string, language: Language): File | { failure: ParseFailure | undefined } {
  let failure: ParseFailure | undefined | null = null;
  for (const plugins of language.attempts) {
    try {
      return parse(source, options(language, plugins));
    } catch (err) {
      if (failure === null) failure = failureOf(err, source.length);
    }
  }
  return { failure: failure ?? undefined };
}

/**
 * The AST of `source`, or undefined when bounded repairs do not make it parse. Node offsets are those of
 * `source`, except that a repair may have appended closers past its end.
 */
export function parseSource(source: string, language: Language): File | undefined {
  let text = source;
  const maxRepairs = Math.min(MAX_REPAIRS, Math.max(2, Math.floor(REPAIR_BUDGET / (source.length + 1))));
  for (let repairs = 0; repairs <= maxRepairs; repairs++) {
    const result = tryParse(text, language);
    if (!('failure' in result)) return result;
    const repaired = result.failure && repair(text, result.failure, source.length);
    if (repaired === undefined) return undefined;
    text = repaired;
  }
  return undefined;
}
