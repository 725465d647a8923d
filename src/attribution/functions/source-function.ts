// What the function finder reports for one function of a source file.

export type FunctionKind =
  'function' | 'method' | 'getter' | 'setter' | 'constructor' | 'arrow' | 'expression';

export interface SourceFunction {
  /** V8-style name ('' for anonymous). */
  name: string;
  /** Name qualified with the enclosing class when known (display). */
  qualifiedName: string;
  kind: FunctionKind;
  /** 1-based lines of the function's first token (modifiers included) and of its last token. */
  startLine: number;
  endLine: number;
  /** 1-based column of the first token. */
  startColumn: number;
  /**
   * Line, column and offset where the parameters start: V8 reports this position for a function
   * (lineNumber/columnNumber of its call frame).
   */
  headerLine: number;
  headerColumn: number;
  headerOffset: number;
  /** Character offsets [start, end) in the source. */
  start: number;
  end: number;
}
