// Function spans in TypeScript/JavaScript source, for mapping changed lines to functions.
//
// A small tokenizer (strings, template literals with nested `${}`, comments, regex literals by the usual
// previous-token rule) feeds a bracket-matching pass that finds function declarations, class and object
// methods (including get/set, static, async, computed and #private names), and arrow/function expressions
// with the name they are assigned to (variable, class field, object property, member assignment) or ''
// when passed as an argument. Type-level arrows (`cb: () => void`, `type F = (x) => y`, `Array<() => T>`)
// are not functions and are skipped. Names follow V8's conventions, so profile frames can be matched by
// name: a constructor is named after its class, `a.b = function () {}` is "a.b". Not a full parser: JSX
// text and exotic ASI cases can confuse it; the spans of ordinary code are exact.

export type FunctionKind =
  'function' | 'method' | 'getter' | 'setter' | 'constructor' | 'arrow' | 'expression';

export interface SourceFunction {
  /** V8-style name ('' for anonymous). */
  name: string;
  /** Name qualified with the enclosing class or object when known (display). */
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

type TokType = 'ident' | 'punct' | 'string' | 'template' | 'number' | 'regex' | 'private';

interface Token {
  t: TokType;
  v: string;
  start: number;
  end: number;
  line: number;
  col: number;
  endLine: number;
}

const KEYWORDS_BEFORE_REGEX = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

// Control keywords followed by `(…) {` are statements, never methods (other keywords are valid names).
const NOT_A_METHOD_NAME = new Set(['if', 'for', 'while', 'switch', 'function']);

const MODIFIERS = new Set([
  'async',
  'static',
  'get',
  'set',
  'public',
  'private',
  'protected',
  'readonly',
  'override',
  'abstract',
  'declare',
  'accessor',
  'export',
  'default',
]);

// Keywords after which a parenthesised list or literal is a type.
const TYPE_OPERATORS = new Set(['as', 'satisfies', 'extends', 'keyof', 'new', 'is', 'infer', 'implements']);

const STATEMENT_START = new Set([
  'const',
  'let',
  'var',
  'function',
  'class',
  'export',
  'import',
  'if',
  'for',
  'while',
  'return',
  'throw',
  'try',
  'switch',
  'do',
  'type',
  'interface',
  'enum',
]);

const isIdentStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 36 || c === 95 || c > 127;
const isIdentPart = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57);

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const n = src.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  // '{' for ordinary braces, 'tpl' for a template's `${`.
  const braces: ('{' | 'tpl')[] = [];

  const push = (t: TokType, start: number, startLine: number, startCol: number): void => {
    tokens.push({ t, v: src.slice(start, i), start, end: i, line: startLine, col: startCol, endLine: line });
  };
  const newline = (at: number): void => {
    line++;
    lineStart = at + 1;
  };
  const prevSignificant = (): Token | undefined => tokens[tokens.length - 1];

  /** Scans template characters from i (just after ` or }) to the closing ` or a `${`. */
  const templateChunk = (start: number, startLine: number, startCol: number): void => {
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === 92) {
        if (src.charCodeAt(i + 1) === 10) newline(i + 1);
        i += 2;
        continue;
      }
      if (c === 10) newline(i);
      if (c === 96) {
        i++;
        push('template', start, startLine, startCol);
        return;
      }
      if (c === 36 && src.charCodeAt(i + 1) === 123) {
        i += 2;
        push('template', start, startLine, startCol);
        braces.push('tpl');
        return;
      }
      i++;
    }
    push('template', start, startLine, startCol);
  };

  if (src.startsWith('#!')) {
    while (i < n && src.charCodeAt(i) !== 10) i++;
  }
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 10) {
      newline(i);
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 0xfeff || c === 0xa0 || c === 0x2028 || c === 0x2029) {
      i++;
      continue;
    }
    const start = i;
    const startLine = line;
    const startCol = i - lineStart + 1;
    if (c === 47) {
      const next = src.charCodeAt(i + 1);
      if (next === 47) {
        while (i < n && src.charCodeAt(i) !== 10) i++;
        continue;
      }
      if (next === 42) {
        i += 2;
        while (i < n && !(src.charCodeAt(i) === 42 && src.charCodeAt(i + 1) === 47)) {
          if (src.charCodeAt(i) === 10) newline(i);
          i++;
        }
        i += 2;
        continue;
      }
      const prev = prevSignificant();
      const beforePrev = tokens[tokens.length - 2];
      // `x! / y` is a TypeScript non-null assertion followed by a division.
      const nonNull =
        prev?.v === '!' &&
        beforePrev !== undefined &&
        (beforePrev.t === 'ident' || beforePrev.v === ')' || beforePrev.v === ']');
      const regexAllowed =
        prev === undefined ||
        (prev.t === 'punct' && !(prev.v === ')' || prev.v === ']' || prev.v === '}') && !nonNull) ||
        (prev.t === 'ident' && KEYWORDS_BEFORE_REGEX.has(prev.v));
      if (regexAllowed) {
        i++;
        let inClass = false;
        while (i < n) {
          const d = src.charCodeAt(i);
          if (d === 10) break; // unterminated: give up at the line end
          if (d === 92) {
            i += 2;
            continue;
          }
          if (d === 91) inClass = true;
          else if (d === 93) inClass = false;
          else if (d === 47 && !inClass) {
            i++;
            break;
          }
          i++;
        }
        while (i < n && isIdentPart(src.charCodeAt(i))) i++;
        push('regex', start, startLine, startCol);
        continue;
      }
    }
    if (c === 34 || c === 39) {
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (d === 92) {
          if (src.charCodeAt(i + 1) === 10) newline(i + 1);
          i += 2;
          continue;
        }
        if (d === 10) break; // unterminated string
        i++;
        if (d === c) break;
      }
      push('string', start, startLine, startCol);
      continue;
    }
    if (c === 96) {
      i++;
      templateChunk(start, startLine, startCol);
      continue;
    }
    if (c === 125 && braces[braces.length - 1] === 'tpl') {
      braces.pop();
      i++;
      templateChunk(start, startLine, startCol);
      continue;
    }
    if (isIdentStart(c) || (c === 92 && src.charCodeAt(i + 1) === 117)) {
      i++;
      while (i < n && (isIdentPart(src.charCodeAt(i)) || src.charCodeAt(i) === 92)) i++;
      push('ident', start, startLine, startCol);
      continue;
    }
    if (c === 35 && isIdentStart(src.charCodeAt(i + 1))) {
      i++;
      while (i < n && isIdentPart(src.charCodeAt(i))) i++;
      push('private', start, startLine, startCol);
      continue;
    }
    if ((c >= 48 && c <= 57) || (c === 46 && src.charCodeAt(i + 1) >= 48 && src.charCodeAt(i + 1) <= 57)) {
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (isIdentPart(d) || d === 46) i++;
        else if (
          (d === 43 || d === 45) &&
          (src[i - 1] === 'e' || src[i - 1] === 'E') &&
          !/^0[xX]/.test(src.slice(start, i))
        )
          i++;
        else break;
      }
      push('number', start, startLine, startCol);
      continue;
    }
    // Punctuators: the few multi-character ones that matter here; '<' and '>' stay single for generics.
    const three = src.slice(i, i + 3);
    const two = src.slice(i, i + 2);
    if (three === '...' || three === '===' || three === '!==' || three === '**=' || three === '??=') i += 3;
    else if (
      two === '=>' ||
      two === '?.' ||
      two === '??' ||
      two === '==' ||
      two === '!=' ||
      two === '<=' ||
      two === '>=' ||
      two === '&&' ||
      two === '||' ||
      two === '++' ||
      two === '--' ||
      two === '+=' ||
      two === '-=' ||
      two === '*=' ||
      two === '/=' ||
      two === '%=' ||
      two === '&=' ||
      two === '|=' ||
      two === '^=' ||
      two === '**'
    ) {
      // `?.5` is a conditional followed by a number, not optional chaining.
      if (two === '?.' && /[0-9]/.test(src[i + 2] ?? '')) i += 1;
      else i += 2;
    } else i += 1;
    if (c === 123) braces.push('{');
    else if (c === 125) braces.pop();
    push('punct', start, startLine, startCol);
  }
  return tokens;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

function matchBrackets(tokens: readonly Token[]): Int32Array {
  const match = new Int32Array(tokens.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.t !== 'punct') continue;
    if (tok.v in OPEN) stack.push(i);
    else if (tok.v === ')' || tok.v === ']' || tok.v === '}') {
      // Pop to the matching opener; tolerate stray closers.
      for (let k = stack.length - 1; k >= 0; k--) {
        if (OPEN[tokens[stack[k]!]!.v] === tok.v) {
          const open = stack[k]!;
          stack.length = k;
          match[open] = i;
          match[i] = open;
          break;
        }
      }
    }
  }
  return match;
}

type BraceKind = 'class' | 'object' | 'block' | 'type';

/** Finds every function-like construct with its span. */
export function scanFunctions(source: string): SourceFunction[] {
  const tokens = tokenize(source);
  const match = matchBrackets(tokens);
  const n = tokens.length;
  const out: SourceFunction[] = [];
  const is = (k: number, v: string): boolean => {
    const t = tokens[k];
    return t !== undefined && (t.t === 'punct' || t.t === 'ident') && t.v === v;
  };

  // Innermost enclosing opener of every token, and the kind and name of every '{'.
  const enclosing = new Int32Array(n).fill(-1);
  const braceKind = new Map<number, BraceKind>();
  const braceName = new Map<number, string>();
  {
    const stack: number[] = [];
    for (let k = 0; k < n; k++) {
      const tok = tokens[k]!;
      if (tok.t === 'punct' && (tok.v === ')' || tok.v === ']' || tok.v === '}') && match[k]! >= 0) {
        while (stack.length > 0 && stack[stack.length - 1] !== match[k]) stack.pop();
        stack.pop();
      }
      enclosing[k] = stack.length > 0 ? stack[stack.length - 1]! : -1;
      if (tok.t === 'punct' && tok.v in OPEN && match[k]! >= 0) {
        if (tok.v === '{') {
          const [kind, name] = classifyBrace(k);
          braceKind.set(k, kind);
          if (name !== undefined) braceName.set(k, name);
        }
        stack.push(k);
      }
    }
  }

  function statementStart(k: number): number {
    // First token of the statement containing k, skipping balanced groups.
    let s = k;
    while (s > 0) {
      const prev = tokens[s - 1]!;
      if (prev.t === 'punct') {
        if (prev.v === ';' || prev.v === '{' || prev.v === '}' || prev.v === '(' || prev.v === '[') break;
        if ((prev.v === ')' || prev.v === ']') && match[s - 1]! >= 0) {
          s = match[s - 1]!;
          continue;
        }
      }
      s--;
    }
    return s;
  }

  function classifyBrace(k: number): [BraceKind, string | undefined] {
    // Class / interface headers: look back over the statement for the keyword.
    for (let s = k - 1, steps = 0; s >= 0 && steps < 60; s--, steps++) {
      const tok = tokens[s]!;
      if (tok.t === 'punct' && [';', '{', '}', '=>', '(', '['].includes(tok.v)) break;
      if (tok.t === 'punct' && (tok.v === ')' || tok.v === ']') && match[s]! >= 0) {
        s = match[s]!;
        continue;
      }
      if (tok.t === 'ident' && tok.v === 'class' && !is(s - 1, '.')) {
        const nameTok = tokens[s + 1];
        if (nameTok?.t === 'ident' && nameTok.v !== 'extends' && nameTok.v !== 'implements')
          return ['class', nameTok.v];
        // `const X = class {`
        if (is(s - 1, '=') && tokens[s - 2]?.t === 'ident') return ['class', tokens[s - 2]!.v];
        return ['class', undefined];
      }
      if (tok.t === 'ident' && tok.v === 'interface' && !is(s - 1, '.')) return ['type', undefined];
      if (tok.t === 'ident' && tok.v === 'enum' && !is(s - 1, '.')) return ['block', undefined];
    }
    const prev = tokens[k - 1];
    if (prev === undefined) return ['block', undefined];
    if (prev.t === 'ident') {
      if (TYPE_OPERATORS.has(prev.v)) return ['type', undefined];
      const expressionKeyword = ['return', 'yield', 'await', 'typeof', 'in', 'of', 'case'].includes(prev.v);
      const exportDefault = prev.v === 'default' && is(k - 2, 'export');
      return [expressionKeyword || exportDefault ? 'object' : 'block', undefined];
    }
    if (prev.t !== 'punct') return ['block', undefined];
    switch (prev.v) {
      case '=': {
        const s = statementStart(k - 1);
        if (
          is(s, 'type') ||
          (is(s, 'export') && is(s + 1, 'type')) ||
          (is(s, 'declare') && is(s + 1, 'type'))
        ) {
          return ['type', undefined];
        }
        return ['object', undefined];
      }
      case ':': {
        // A property value inside an object literal; a block after `case x:` or a label; else a type.
        const kind = enclosingKind(k - 1);
        if (kind === 'object' || pendingTernary(k - 1)) return ['object', undefined];
        if (kind === 'block' || kind === 'top') {
          if (afterCaseLabel(k - 1)) return ['block', undefined];
          const label = k - 2;
          if (tokens[label]?.t === 'ident' && statementStart(label) === label) return ['block', undefined];
        }
        return ['type', undefined];
      }
      case '(':
      case ',':
      case '[':
      case '?':
      case '||':
      case '&&':
      case '??':
      case '...':
      case '!':
      case '+':
      case '-':
      case '==':
      case '===':
      case '!=':
      case '!==':
        return [inTypeContext(k) ? 'type' : 'object', undefined];
      case '|':
      case '&':
      case '<':
        return ['type', undefined];
      default:
        return ['block', undefined];
    }
  }

  /** The ':' at k ends a `case …:` or `default:` label. */
  function afterCaseLabel(colon: number): boolean {
    if (is(colon - 1, 'default')) return true;
    for (let s = colon - 1; s >= 0 && s > colon - 100; s--) {
      const tok = tokens[s]!;
      if (tok.t === 'punct' && (tok.v === ')' || tok.v === ']' || tok.v === '}') && match[s]! >= 0) {
        s = match[s]!;
        continue;
      }
      if (tok.t === 'ident' && tok.v === 'case') return true;
      if (tok.t === 'punct' && (tok.v === ';' || tok.v === '{' || tok.v === '}' || tok.v === ':'))
        return false;
    }
    return false;
  }

  function enclosingKind(k: number): BraceKind | 'paren' | 'bracket' | 'top' {
    const e = enclosing[k]!;
    if (e < 0) return 'top';
    const v = tokens[e]!.v;
    if (v === '(') return 'paren';
    if (v === '[') return 'bracket';
    return braceKind.get(e) ?? 'block';
  }

  /** Is the expression starting at token k inside a type (annotation, alias, generic arguments)? */
  function inTypeContext(k: number): boolean {
    const prev = tokens[k - 1];
    if (prev === undefined) return false;
    const kind = enclosingKind(k);
    if (kind === 'type') return true;
    if (prev.t === 'ident') return TYPE_OPERATORS.has(prev.v);
    if (prev.t !== 'punct') return false;
    switch (prev.v) {
      case ':':
        // Object property values and conditionals are expressions; other colons start annotations.
        if (kind === 'object') return false;
        return !pendingTernary(k - 1) || inTypeAlias(k - 1);
      case '|':
      case '&':
      case '<':
        return true;
      case '=':
      case '?':
        return inTypeAlias(k - 1);
      case '(':
      case ',':
      case '[': {
        if (unclosedAngle(k - 1)) return true;
        const e = enclosing[k]!;
        return e >= 0 && (tokens[e]!.v === '(' || tokens[e]!.v === '[') && inTypeContext(e);
      }
      default:
        return false;
    }
  }

  /** Token k belongs to a `type X = …` statement (through enclosing parentheses and brackets). */
  function inTypeAlias(k: number): boolean {
    let e = k;
    while (enclosing[e]! >= 0 && (tokens[enclosing[e]!]!.v === '(' || tokens[enclosing[e]!]!.v === '[')) {
      e = enclosing[e]!;
    }
    if (enclosingKind(e) === 'type') return true;
    const s = statementStart(e);
    return is(s, 'type') || ((is(s, 'export') || is(s, 'declare')) && is(s + 1, 'type'));
  }

  /** A '?' of a conditional expression before this ':' at the same level. */
  function pendingTernary(colon: number): boolean {
    return ternaryQuestion(colon) >= 0;
  }

  /** Index of the '?' that this ':' closes, or -1. */
  function ternaryQuestion(colon: number): number {
    let depth = 0;
    for (let s = colon - 1; s >= 0 && s > colon - 200; s--) {
      const tok = tokens[s]!;
      if (tok.t !== 'punct') continue;
      if ((tok.v === ')' || tok.v === ']' || tok.v === '}') && match[s]! >= 0) {
        s = match[s]!;
        continue;
      }
      if (tok.v === '(' || tok.v === '[' || tok.v === '{' || tok.v === ';' || tok.v === ',') return -1;
      // `(a): T =>` is an arrow's return type, not a conditional's ':'.
      const returnType = tok.v === ':' && is(s - 1, ')') && is(skipReturnType(s + 1, true), '=>');
      if (tok.v === ':' && !returnType) depth++;
      if (tok.v === '?' && !is(s + 1, ':')) {
        if (depth === 0) return s;
        depth--;
      }
    }
    return -1;
  }

  /** An unmatched '<' before k at the same bracket level (generic arguments). */
  function unclosedAngle(k: number): boolean {
    let depth = 0;
    for (let s = k; s >= 0 && s > k - 200; s--) {
      const tok = tokens[s]!;
      if (tok.t !== 'punct') continue;
      if ((tok.v === ')' || tok.v === ']' || tok.v === '}') && match[s]! >= 0) {
        s = match[s]!;
        continue;
      }
      if (tok.v === '(' || tok.v === '[' || tok.v === '{' || tok.v === ';' || tok.v === '=' || tok.v === '=>')
        return false;
      if (tok.v === '>') depth++;
      else if (tok.v === '<') {
        if (depth === 0) return true;
        depth--;
      }
    }
    return false;
  }

  /** Index of the '<' matching the '>' at k, scanning back; -1 if none. */
  function angleOpen(k: number): number {
    let depth = 0;
    for (let s = k; s >= 0 && s > k - 200; s--) {
      const tok = tokens[s]!;
      if (tok.t !== 'punct') continue;
      if ((tok.v === ')' || tok.v === ']' || tok.v === '}') && match[s]! >= 0) {
        s = match[s]!;
        continue;
      }
      if (tok.v === '>') depth++;
      else if (tok.v === '<') {
        depth--;
        if (depth === 0) return s;
      } else if (tok.v === ';' || tok.v === '{' || tok.v === '(') return -1;
    }
    return -1;
  }

  /** Index just after a '<...>' starting at k. */
  function skipAngles(k: number): number {
    let depth = 0;
    for (let s = k; s < n; s++) {
      const tok = tokens[s]!;
      if (tok.t === 'punct' && (tok.v === '(' || tok.v === '[' || tok.v === '{') && match[s]! >= 0) {
        s = match[s]!;
        continue;
      }
      if (tok.v === '<') depth++;
      else if (tok.v === '>') {
        depth--;
        if (depth === 0) return s + 1;
      } else if (tok.v === ';' || tok.v === '=>') return s;
    }
    return n;
  }

  /**
   * After a return-type colon at k: index of the token that ends the type annotation (a body '{', '=>',
   * ';', '=' or ','). An object type literal directly after an operator is part of the type.
   */
  function skipReturnType(k: number, arrowEnds: boolean): number {
    let expectOperand = true;
    for (let s = k; s < n; s++) {
      const tok = tokens[s]!;
      if (tok.t === 'punct') {
        if (tok.v === '{') {
          if (!expectOperand) return s;
          if (match[s]! < 0) return s;
          s = match[s]!;
          expectOperand = false;
          continue;
        }
        if ((tok.v === '(' || tok.v === '[') && match[s]! >= 0) {
          s = match[s]!;
          expectOperand = false;
          continue;
        }
        if (tok.v === '<') {
          s = skipAngles(s) - 1;
          expectOperand = false;
          continue;
        }
        if (tok.v === '=>') {
          if (arrowEnds && !expectOperand) return s; // the arrow of `(a): T => body`
          expectOperand = true;
          continue;
        }
        if (tok.v === ';' || tok.v === '=' || tok.v === ',' || tok.v === ')' || tok.v === '}') return s;
        expectOperand = tok.v !== ']' && tok.v !== '>';
        continue;
      }
      if (
        tok.t === 'ident' &&
        (tok.v === 'is' || tok.v === 'keyof' || tok.v === 'typeof' || tok.v === 'infer')
      ) {
        expectOperand = true;
        continue;
      }
      expectOperand = false;
    }
    return n;
  }

  /** Last token of an expression body starting at k. */
  function expressionEnd(k: number): number {
    let conditionals = 0;
    for (let s = k; s < n; s++) {
      const tok = tokens[s]!;
      if (tok.t === 'punct') {
        if ((tok.v === '(' || tok.v === '[' || tok.v === '{') && match[s]! >= 0) {
          s = match[s]!;
          if (endsStatement(s)) return s;
          continue;
        }
        if (tok.v === ',' || tok.v === ';' || tok.v === ')' || tok.v === ']' || tok.v === '}') return s - 1;
        if (tok.v === '?') conditionals++;
        else if (tok.v === ':' && is(s - 1, ')') && startsArrow(match[s - 1]!, k)) {
          // Return type of an arrow in the body (`x => (y): T => …`): skip to its arrow.
          const arrow = skipReturnType(s + 1, true);
          if (is(arrow, '=>')) {
            s = arrow;
            continue;
          }
          if (conditionals === 0) return s - 1;
          conditionals--;
        } else if (tok.v === ':') {
          // The ':' of an enclosing conditional (`c ? x => a : b`) ends the body.
          if (conditionals === 0) return s - 1;
          conditionals--;
        }
      }
      if (endsStatement(s)) return s;
    }
    return n - 1;
  }

  /** The '(' at p opens the parameters of an arrow that is the expression starting at k. */
  function startsArrow(p: number, k: number): boolean {
    if (p === k) return true;
    if (p === k + 1 && is(k, 'async')) return true;
    return is(p - 1, '>') && angleOpen(p - 1) >= k && angleOpen(p - 1) <= k + 1;
  }

  /** ASI: the next token is on a later line and starts a statement. */
  function endsStatement(s: number): boolean {
    const next = tokens[s + 1];
    return (
      next !== undefined &&
      next.line > tokens[s]!.endLine &&
      next.t === 'ident' &&
      STATEMENT_START.has(next.v)
    );
  }

  /** Dotted member name ending at token k (`a.b.c`), V8 style without `prototype`. */
  function memberName(k: number): string {
    const parts: string[] = [];
    let s = k;
    while (s >= 0 && (tokens[s]!.t === 'ident' || tokens[s]!.t === 'private')) {
      if (tokens[s]!.v !== 'prototype') parts.unshift(tokens[s]!.v);
      if (is(s - 1, '.') || is(s - 1, '?.')) s -= 2;
      else break;
    }
    const name = parts.join('.');
    return name === 'this' ? '' : name.replace(/^this\./, '');
  }

  function propertyName(tok: Token): string {
    if (tok.t === 'string') return tok.v.slice(1, -1);
    return tok.v;
  }

  /** Name a function expression starting at token s receives (V8 name inference). */
  function inferName(s: number): string {
    const prev = tokens[s - 1];
    if (prev === undefined) return '';
    if (prev.t === 'ident' && prev.v === 'default' && is(s - 2, 'export')) return 'default';
    if (prev.t !== 'punct') return '';
    if (prev.v === '=' || prev.v === '??=' || prev.v === '||=' || prev.v === '&&=') {
      // Walk back over the target and any type annotation: `const f: T<U> = () => …` is named f.
      let colon = -1;
      for (let k = s - 2; k >= 0; k--) {
        const tok = tokens[k]!;
        if (tok.t === 'ident' || tok.t === 'private') {
          if (tok.v === 'const' || tok.v === 'let' || tok.v === 'var') break;
          continue;
        }
        if (tok.t !== 'punct') break;
        if ((tok.v === ')' || tok.v === ']' || tok.v === '}') && match[k]! >= 0) {
          k = match[k]!;
          continue;
        }
        if (tok.v === '>') {
          const open = angleOpen(k);
          if (open < 0) break;
          k = open;
          continue;
        }
        if (tok.v === ':') {
          colon = k;
          break;
        }
        if (
          tok.v === '.' ||
          tok.v === '?.' ||
          tok.v === '|' ||
          tok.v === '&' ||
          tok.v === '?' ||
          tok.v === '!'
        )
          continue;
        break;
      }
      if (colon >= 0) {
        let nameAt = colon - 1;
        if (is(nameAt, '?') || is(nameAt, '!')) nameAt--;
        const tok = tokens[nameAt];
        return tok && (tok.t === 'ident' || tok.t === 'private') ? tok.v : '';
      }
      const target = tokens[s - 2];
      return target !== undefined && (target.t === 'ident' || target.t === 'private')
        ? memberName(s - 2)
        : '';
    }
    if (prev.v === '?' || (prev.v === ':' && pendingTernary(s - 1))) {
      // V8 infers through conditionals: `const pick = c ? (a) => a : (b) => b` names both "pick".
      const q = prev.v === '?' ? s - 1 : ternaryQuestion(s - 1);
      for (let k = q - 1; k >= 0; k--) {
        const tok = tokens[k]!;
        if (tok.t === 'punct' && (tok.v === ')' || tok.v === ']' || tok.v === '}') && match[k]! >= 0) {
          k = match[k]!;
          continue;
        }
        if (tok.t !== 'punct') continue;
        if (tok.v === '=') return inferName(k + 1);
        if (['(', '[', '{', ',', ';', '=>', ':', '?'].includes(tok.v)) return '';
      }
      return '';
    }
    if (prev.v === ':' && enclosingKind(s - 1) === 'object') {
      const key = tokens[s - 2];
      if (key && (key.t === 'ident' || key.t === 'string' || key.t === 'number')) return propertyName(key);
    }
    return '';
  }

  /** Innermost enclosing class brace of token k and its name. */
  function enclosingClass(k: number): string | undefined {
    for (let e = enclosing[k]!; e >= 0; e = enclosing[e]!) {
      if (tokens[e]!.v === '{' && braceKind.get(e) === 'class') return braceName.get(e) ?? '';
    }
    return undefined;
  }

  function record(
    name: string,
    kind: FunctionKind,
    first: number,
    last: number,
    owner: string | undefined,
    header: number,
  ): void {
    const a = tokens[first]!;
    const b = tokens[last]!;
    const h = tokens[header]!;
    out.push({
      name,
      qualifiedName: owner && name !== owner ? `${owner}.${name}` : name,
      kind,
      startLine: a.line,
      endLine: b.endLine,
      startColumn: a.col,
      headerLine: h.line,
      headerColumn: h.col,
      headerOffset: h.start,
      start: a.start,
      end: b.end,
    });
  }

  let typeArrowsUntil = -1;
  for (let i = 0; i < n; i++) {
    const tok = tokens[i]!;

    // function declarations and expressions
    if (tok.t === 'ident' && tok.v === 'function' && !is(i - 1, '.')) {
      let j = i + 1;
      if (is(j, '*')) j++;
      let name: string | undefined;
      if (tokens[j]?.t === 'ident' && !is(j, '(')) {
        name = tokens[j]!.v;
        j++;
      }
      if (is(j, '<')) j = skipAngles(j);
      if (!is(j, '(') || match[j]! < 0) continue;
      let k = match[j]! + 1;
      if (is(k, ':')) k = skipReturnType(k + 1, false);
      if (!is(k, '{') || match[k]! < 0) continue; // overload signature / declare
      if (match[j]! + 1 < k) typeArrowsUntil = Math.max(typeArrowsUntil, k - 1); // arrows in a return type are types
      let first = i;
      if (is(first - 1, 'async')) first--;
      const declared = name !== undefined;
      const inferred = declared ? name! : inferName(first);
      // `export default function` / `export function`: the span starts at the keyword line anyway.
      record(
        inferred,
        declared && isStatementPosition(first) ? 'function' : 'expression',
        first,
        match[k]!,
        undefined,
        j,
      );
      continue;
    }

    // arrow functions
    if (tok.t === 'punct' && tok.v === '=>') {
      let paramsStart = -1;
      const p = i - 1;
      if (is(p, ')') && match[p]! >= 0) paramsStart = match[p]!;
      else {
        // Return type between the parameters and the arrow: `(a): T =>`.
        for (let k = p, steps = 0; k >= 0 && steps < 100; k--, steps++) {
          const t = tokens[k]!;
          if (t.t === 'punct' && (t.v === ')' || t.v === ']' || t.v === '}') && match[k]! >= 0) {
            if (t.v === ')' && is(k + 1, ':')) {
              paramsStart = match[k]!;
              break;
            }
            k = match[k]!;
            continue;
          }
          if (t.t === 'punct' && t.v === '>') {
            const open = angleOpen(k);
            if (open < 0) break;
            k = open;
            continue;
          }
          if (t.t === 'punct' && [';', '{', '}', '=', ',', '(', '=>'].includes(t.v)) break;
        }
        // Otherwise a single unparenthesised parameter: `x => …`.
        if (paramsStart < 0 && tokens[p]?.t === 'ident') paramsStart = p;
      }
      if (paramsStart < 0) continue;
      let first = paramsStart;
      if (is(first - 1, '>')) {
        const open = angleOpen(first - 1);
        if (open >= 0) first = open;
      }
      if (is(first - 1, 'async')) first--;
      const bodyStart = i + 1;
      if (i <= typeArrowsUntil || inTypeContext(first)) {
        // A function type: its "body" is the return type, which ends before a '{' body or a delimiter.
        typeArrowsUntil = Math.max(typeArrowsUntil, skipReturnType(bodyStart, false) - 1);
        continue;
      }
      const last =
        is(bodyStart, '{') && match[bodyStart]! >= 0 ? match[bodyStart]! : expressionEnd(bodyStart);
      record(inferName(first), 'arrow', first, last, undefined, paramsStart);
      continue;
    }

    // methods: name [<T>] ( ... ) [: type] {  inside a class body or an object literal
    const isName =
      tok.t === 'ident' ||
      tok.t === 'private' ||
      tok.t === 'string' ||
      tok.t === 'number' ||
      (tok.t === 'punct' && tok.v === ']' && match[i]! >= 0);
    if (!isName) continue;
    const nameFirst = tok.v === ']' ? match[i]! : i;
    const ctx = enclosingKind(nameFirst);
    if (ctx !== 'class' && ctx !== 'object') continue;
    if (tok.t === 'ident' && NOT_A_METHOD_NAME.has(tok.v)) continue;
    if (is(nameFirst - 1, '.') || is(nameFirst - 1, '?.') || is(nameFirst - 1, 'function')) continue;
    let j = i + 1;
    if (is(j, '?')) j++;
    if (is(j, '<')) j = skipAngles(j);
    if (!is(j, '(') || match[j]! < 0) continue;
    let k = match[j]! + 1;
    if (is(k, ':')) k = skipReturnType(k + 1, false);
    if (!is(k, '{') || match[k]! < 0) continue;
    let first = nameFirst;
    let accessor: 'get' | 'set' | undefined;
    while (first > 0) {
      const prev = tokens[first - 1]!;
      if (prev.t === 'ident' && MODIFIERS.has(prev.v) && prev.v !== 'export' && prev.v !== 'default') {
        if ((prev.v === 'get' || prev.v === 'set') && accessor === undefined && first === nameFirst)
          accessor = prev.v;
        first--;
      } else if (prev.t === 'punct' && prev.v === '*') first--;
      else if (prev.t === 'punct' && prev.v === '@') first--;
      else break;
    }
    // A member starts after '{', '}', ';', ',' or a decorator, or on a new line (ASI); anything else
    // (`x = async (…)`, `a ? b(…) {`) is an expression.
    const before = tokens[first - 1];
    if (
      before !== undefined &&
      before.endLine === tokens[first]!.line &&
      !(before.t === 'punct' && ['{', '}', ';', ',', ')'].includes(before.v))
    )
      continue;
    if (match[j]! + 1 < k) typeArrowsUntil = Math.max(typeArrowsUntil, k - 1); // arrows in a return type are types
    const owner = ctx === 'class' ? enclosingClass(nameFirst) : undefined;
    const rawName =
      tok.v === ']'
        ? source.slice(tokens[nameFirst]!.start, tok.end)
        : tok.t === 'string'
          ? propertyName(tok)
          : tok.v;
    if (rawName === 'constructor' && ctx === 'class') {
      record(owner ?? 'constructor', 'constructor', first, match[k]!, undefined, j);
      out[out.length - 1]!.qualifiedName = `${owner ?? ''}.constructor`.replace(/^\./, '');
      continue;
    }
    const kind: FunctionKind = accessor === 'get' ? 'getter' : accessor === 'set' ? 'setter' : 'method';
    record(accessor ? `${accessor} ${rawName}` : rawName, kind, first, match[k]!, owner, j);
    if (accessor && owner) out[out.length - 1]!.qualifiedName = `${owner}.${rawName}`;
  }

  function isStatementPosition(k: number): boolean {
    let s = k;
    while (
      s > 0 &&
      tokens[s - 1]!.t === 'ident' &&
      (tokens[s - 1]!.v === 'export' || tokens[s - 1]!.v === 'default')
    )
      s--;
    const prev = tokens[s - 1];
    return prev === undefined || (prev.t === 'punct' && (prev.v === ';' || prev.v === '{' || prev.v === '}'));
  }

  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

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
 * Functions of the head source whose span contains a changed line or a deletion point. Nested functions
 * both count (the inner one is where the change is; the outer one contains it). Changes outside every
 * function give a '(module)' entry spanning the file.
 */
export function changedFunctions(source: string, hunks: readonly LineHunk[]): ChangedFunction[] {
  return changedFunctionsIn(scanFunctions(source), source, hunks);
}

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
