// YAML text -> plain data, with a locator from field paths to line:column and every syntax problem as a
// located issue. The first step of parsing a config or scenario file (parse-config.ts).

import type { ConfigIssue } from './errors.ts';
import { createLocator, parseForLocation, type Locator } from './locate.ts';

/** Deeper nesting than any perf-gate file needs; the parser's recursion stays far from the stack limit. */
export const MAX_NESTING = 64;

/**
 * Where the nesting of flow collections ([ and {) and of block entries on one line ("- - -", "? ? ?")
 * first exceeds `max`, or undefined. Quoted strings and comments are skipped; an approximation of YAML's
 * grammar that errs on the side of parsing.
 */
function nestingBeyond(text: string, max: number): { line: number; column: number } | undefined {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let blockRun = 0;
  let atLineIndent = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      blockRun = 0;
      atLineIndent = true;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
      continue;
    }
    if (c === '"' || c === "'") {
      // Skip the quoted scalar ('' escapes a quote in single quotes, \ escapes in double quotes).
      for (i++; i < text.length && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
      atLineIndent = false;
      continue;
    }
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    if (atLineIndent && (c === '-' || c === '?') && /\s/.test(text[i + 1] ?? ' ')) blockRun++;
    else if (!/\s/.test(c)) atLineIndent = false;
    if (depth > max || blockRun > max) return { line, column: i - lineStart + 1 };
  }
  return undefined;
}

export interface YamlSource {
  /** The document as plain data (null when it could not be read). */
  data: unknown;
  issues: ConfigIssue[];
  locate: Locator;
}

/**
 * Reads a YAML document. `emptyAs` is what a document without content (empty, or only comments) stands
 * for; without it, such a document is null.
 */
export function readYaml(text: string, file: string, emptyAs?: unknown): YamlSource {
  const tooDeep = nestingBeyond(text, MAX_NESTING);
  if (tooDeep) {
    // The YAML parser recurses per level: thousands of '[' exhausted the stack inside V8's regexp
    // compiler, which kills the process instead of throwing. Refuse before parsing.
    const empty = parseForLocation('');
    const issue: ConfigIssue = {
      file,
      ...tooDeep,
      path: '',
      message: `invalid YAML: nested deeper than ${MAX_NESTING} levels`,
      expected: `at most ${MAX_NESTING} levels of nested lists and mappings`,
    };
    return { data: null, issues: [issue], locate: createLocator(empty.doc, empty.lineCounter) };
  }
  const { doc, lineCounter } = parseForLocation(text);
  const issues: ConfigIssue[] = [];
  for (const error of doc.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    issues.push({ file, line, column: col, path: '', message: `invalid YAML: ${firstLine(error.message)}` });
  }
  let data: unknown = null;
  try {
    data = doc.contents === null && emptyAs !== undefined ? emptyAs : doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    issues.push({ file, line: 1, column: 1, path: '', message: `invalid YAML: ${errorText(error)}` });
  }
  return { data, issues, locate: createLocator(doc, lineCounter) };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
