// The functions of a TypeScript/JavaScript file, for mapping changed lines and profile frames to them.
//
// Built on @babel/parser 7, a maintained parser, rather than a hand-written tokenizer. Not on the
// TypeScript compiler API: `typescript` is only a devDependency and would add about 9 MB to the
// committed Action bundle, while @babel/parser is small and bundles cleanly. The jobs, one file each:
//   functions/parse.ts      source -> AST (plugins per extension; tolerant of broken input)
//   functions/repair.ts     edits that get the parser past an error it does not recover from
//   functions/walk.ts       AST -> function spans, parameter-list headers, kinds
//   functions/names.ts      V8-style names (inferred from assignments, properties, classes)
//   functions/positions.ts  offsets -> lines and columns (counted at '\n', as git does)
//   functions/changed.ts    changed lines -> the functions that contain them
import { changedFunctionsIn } from './functions/changed.ts';
import type { ChangedFunction, LineHunk } from './functions/changed.ts';
import { languageOf, parseSource } from './functions/parse.ts';
import type { SourceFunction } from './functions/source-function.ts';
import { collectFunctions } from './functions/walk.ts';

export { changedFunctionsIn, MODULE_FUNCTION_NAME } from './functions/changed.ts';
export type { ChangedFunction, LineHunk } from './functions/changed.ts';
export type { FunctionKind, SourceFunction } from './functions/source-function.ts';

/**
 * Every function of `source` (declarations, methods, accessors, constructors, function and arrow
 * expressions), sorted by start, outer before inner. `path` picks the syntax by extension; a path that is
 * not JavaScript or TypeScript gives no functions, and no path reads the text as TypeScript. Source that
 * cannot be parsed even after blanking the lines Babel stops at gives no functions (every change is then
 * module-level), never an exception.
 */
export function scanFunctions(source: string, path?: string): SourceFunction[] {
  const language = languageOf(path);
  if (language === undefined) return [];
  const ast = parseSource(source, language);
  return ast === undefined ? [] : collectFunctions(ast, source);
}

/** The functions of `source` that the hunks' changed lines fall in (see `changedFunctionsIn`). */
export function changedFunctions(
  source: string,
  hunks: readonly LineHunk[],
  path?: string,
): ChangedFunction[] {
  return changedFunctionsIn(scanFunctions(source, path), source, hunks);
}
