// From a field path (`['requests', 1, 'method']`) to a line and column in the YAML source, so every
// configuration problem can be shown where it is.

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import type { PathSegment } from './errors.ts';

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** False when the path does not exist in the file and the position is that of its deepest ancestor. */
  exact: boolean;
}

export interface LocateOptions {
  /** Point at the mapping key of the last segment rather than at its value (e.g. for an unknown key). */
  key?: boolean;
}

export type Locator = (path: readonly PathSegment[], options?: LocateOptions) => SourcePosition;

/** The source parse the locator needs: the document must keep node ranges (it always does). */
export function parseForLocation(text: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { keepSourceTokens: true, lineCounter, prettyErrors: false });
  return { doc, lineCounter };
}

/**
 * A locator over a parsed document. A path that exists points at its value node (or at its key with
 * `{ key: true }`); a path that does not exist (a missing key) points at the deepest existing ancestor,
 * i.e. the object the key is missing from.
 */
export function createLocator(doc: Document.Parsed, lineCounter: LineCounter): Locator {
  const at = (offset: number | undefined, exact: boolean): SourcePosition => {
    if (offset === undefined) return { line: 1, column: 1, exact: false };
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col, exact };
  };
  const start = (node: unknown): number | undefined =>
    node !== null && typeof node === 'object' && 'range' in node && Array.isArray(node.range)
      ? (node.range[0] as number)
      : undefined;

  return (path, options = {}) => {
    let node: unknown = doc.contents;
    // Where to point when the value is absent: the root, then each key on the way down.
    let fallback = start(node) ?? 0;
    for (let i = 0; i < path.length; i += 1) {
      const segment = path[i];
      const last = i === path.length - 1;
      node = resolveAlias(doc, node);
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && keyMatches(item.key, segment));
        if (pair === undefined) return at(start(node) ?? fallback, false);
        const keyStart = start(pair.key);
        if (last && options.key) return at(keyStart ?? start(node) ?? fallback, keyStart !== undefined);
        fallback = keyStart ?? fallback;
        node = pair.value;
        if (node === null || node === undefined) return at(fallback, last);
      } else if (isSeq(node)) {
        const item = typeof segment === 'number' ? node.items[segment] : undefined;
        if (item === undefined || item === null) return at(start(node) ?? fallback, false);
        fallback = start(item) ?? fallback;
        node = item;
      } else {
        return at(start(node) ?? fallback, false);
      }
    }
    return at(start(node) ?? fallback, true);
  };
}

/** Position of a path in YAML text (convenience: parses the text each time). */
export function locateInText(
  text: string,
  path: readonly PathSegment[],
  options?: LocateOptions,
): SourcePosition {
  const { doc, lineCounter } = parseForLocation(text);
  return createLocator(doc, lineCounter)(path, options);
}

function keyMatches(key: unknown, segment: PathSegment | undefined): boolean {
  if (segment === undefined) return false;
  if (isScalar(key)) return String(key.value) === String(segment);
  return key === segment;
}

function resolveAlias(doc: Document.Parsed, node: unknown): unknown {
  let current = node;
  for (let hops = 0; hops < 100 && isAlias(current); hops += 1) {
    current = (current.resolve(doc) as Node | undefined) ?? null;
  }
  return current;
}
