// Babel AST -> the functions of a file with their spans, headers and V8-style names.
//
// One recursive pass over the tree. Each node passes its children the name a function in that position
// would receive (names.ts) and, from a class body to its members, the class name. Type-level syntax
// (annotations, interfaces, type aliases, overload signatures, abstract methods) has no runtime
// functions and is not entered.
import type * as t from '@babel/types';
import { keyName, nameFor } from './names.ts';
import { LineIndex, nextChar, skipTrivia } from './positions.ts';
import type { FunctionKind, SourceFunction } from './source-function.ts';

/** Node properties that never hold runtime code (or are not nodes at all). */
const SKIPPED_KEYS = new Set([
  'type',
  'start',
  'end',
  'loc',
  'range',
  'extra',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'typeAnnotation',
  'returnType',
  'typeParameters',
  'typeArguments',
  'superTypeParameters',
  'superTypeArguments',
  'implements',
  'predicate',
]);

/** Nodes with no function inside: type-level declarations, and leaves (most of a tree's nodes). */
const NO_FUNCTION_INSIDE = new Set([
  'TSInterfaceDeclaration',
  'TSTypeAliasDeclaration',
  'TSDeclareFunction',
  'TSDeclareMethod',
  'DeclareFunction',
  'DeclareClass',
  'TypeAlias',
  'InterfaceDeclaration',
  'OpaqueType',
  'Identifier',
  'PrivateName',
  'StringLiteral',
  'NumericLiteral',
  'BigIntLiteral',
  'BooleanLiteral',
  'NullLiteral',
  'RegExpLiteral',
  'TemplateElement',
  'ThisExpression',
  'Super',
  'Import',
  'MetaProperty',
  'EmptyStatement',
  'DebuggerStatement',
  'Directive',
  'InterpreterDirective',
  'JSXText',
  'JSXIdentifier',
]);

type Method = t.ClassMethod | t.ClassPrivateMethod | t.ObjectMethod;

class FunctionCollector {
  readonly found: SourceFunction[] = [];
  private readonly lines: LineIndex;

  constructor(private readonly source: string) {
    this.lines = new LineIndex(source);
  }

  /** `hint`: the name a function here receives; `owner`: the class name, for a class body's members. */
  visit(node: t.Node, hint: string, owner: string | undefined): void {
    // A parameter's decorators (`m(@Inject(() => Db) db)`) hang on its Identifier.
    if (NO_FUNCTION_INSIDE.has(node.type) && !(node.type === 'Identifier' && node.decorators)) return;
    this.record(node, hint, owner);
    const className =
      node.type === 'ClassDeclaration' || node.type === 'ClassExpression'
        ? (node.id?.name ?? hint)
        : undefined;
    const fields = node as unknown as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      const value = fields[key];
      if (value === null || typeof value !== 'object' || SKIPPED_KEYS.has(key)) continue;
      const childOwner = node.type === 'ClassBody' ? owner : key === 'body' ? className : undefined;
      const childHint = nameFor(node, key, hint, this.source);
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) this.visit(item, childHint, childOwner);
      } else if (isNode(value)) this.visit(value, childHint, childOwner);
    }
  }

  private record(node: t.Node, hint: string, owner: string | undefined): void {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression': {
        const kind = node.type === 'FunctionDeclaration' && node.id ? 'function' : 'expression';
        const afterName = node.typeParameters?.end ?? node.id?.end ?? node.start!;
        this.add(node.id?.name ?? hint, node.id?.name ?? hint, kind, node.start!, node, afterName);
        return;
      }
      case 'ArrowFunctionExpression': {
        // The header is the '(' or the single parameter, after `async` and type parameters.
        const from = node.typeParameters?.end ?? (node.async ? node.start! + 'async'.length : node.start!);
        this.addAt(hint, hint, 'arrow', node.start!, node.end!, skipTrivia(this.source, from));
        return;
      }
      case 'ClassMethod':
      case 'ClassPrivateMethod':
      case 'ObjectMethod':
        this.method(node, owner);
        return;
    }
  }

  private method(node: Method, owner: string | undefined): void {
    // Decorators are not part of the member's span; modifiers (`static`, `async`, `get`, `*`) are.
    const decorators = node.type === 'ObjectMethod' ? null : node.decorators;
    const last = decorators?.[decorators.length - 1];
    const start = last ? skipTrivia(this.source, last.end!) : node.start!;
    const key = keyName(node, this.source, start);
    const keyEnd = node.computed ? nextChar(this.source, node.key.end!, ']') + 1 : node.key.end!;
    const afterName = node.typeParameters?.end ?? keyEnd;
    if (node.kind === 'constructor') {
      const qualified = owner ? `${owner}.constructor` : 'constructor';
      this.add(owner ?? 'constructor', qualified, 'constructor', start, node, afterName);
      return;
    }
    const kind: FunctionKind = node.kind === 'get' ? 'getter' : node.kind === 'set' ? 'setter' : 'method';
    const name = kind === 'method' ? key : `${node.kind} ${key}`;
    const qualified = owner ? (kind === 'method' && name === owner ? name : `${owner}.${key}`) : name;
    this.add(name, qualified, kind, start, node, afterName);
  }

  /** A function whose header is the '(' after `afterName` (its name, type parameters or keyword). */
  private add(
    name: string,
    qualifiedName: string,
    kind: FunctionKind,
    start: number,
    node: t.Node,
    afterName: number,
  ): void {
    const open = nextChar(this.source, afterName, '(');
    this.addAt(name, qualifiedName, kind, start, node.end!, open >= 0 ? open : start);
  }

  private addAt(
    name: string,
    qualifiedName: string,
    kind: FunctionKind,
    start: number,
    end: number,
    header: number,
  ): void {
    const first = this.lines.position(start);
    const head = this.lines.position(header);
    this.found.push({
      name,
      qualifiedName,
      kind,
      startLine: first.line,
      endLine: this.lines.position(Math.max(start, end - 1)).line,
      startColumn: first.column,
      headerLine: head.line,
      headerColumn: head.column,
      headerOffset: header,
      start,
      end,
    });
  }
}

function isNode(value: unknown): value is t.Node {
  return typeof (value as { type?: unknown } | null)?.type === 'string';
}

/** Every function of the program, outermost first at equal starts. */
export function collectFunctions(ast: t.File, source: string): SourceFunction[] {
  const collector = new FunctionCollector(source);
  collector.visit(ast.program, '', undefined);
  return collector.found.sort((a, b) => a.start - b.start || b.end - a.end);
}
