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

/** A function found, in offsets: [start, end) and the header (where V8 says the function is). */
interface Found {
  name: string;
  qualifiedName: string;
  kind: FunctionKind;
  start: number;
  end: number;
  header: number;
}

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
        const name = node.id?.name ?? hint;
        const afterName = node.typeParameters?.end ?? node.id?.end ?? node.start!;
        this.add({
          name,
          qualifiedName: name,
          kind: node.type === 'FunctionDeclaration' && node.id ? 'function' : 'expression',
          start: node.start!,
          end: node.end!,
          header: this.paramsOpen(afterName, node),
        });
        return;
      }
      case 'ArrowFunctionExpression': {
        // The header is the '(' or the single parameter, after `async` and type parameters.
        const from = node.typeParameters?.end ?? (node.async ? node.start! + 'async'.length : node.start!);
        const header = skipTrivia(this.source, from);
        this.add({
          name: hint,
          qualifiedName: hint,
          kind: 'arrow',
          start: node.start!,
          end: node.end!,
          header,
        });
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
    const keyEnd = node.computed ? nextChar(this.source, node.key.end!, ']', node.end!) + 1 : node.key.end!;
    const header = this.paramsOpen(node.typeParameters?.end ?? keyEnd, node);
    const end = node.end!;
    if (node.kind === 'constructor') {
      const qualifiedName = owner ? `${owner}.constructor` : 'constructor';
      this.add({ name: owner ?? 'constructor', qualifiedName, kind: 'constructor', start, end, header });
      return;
    }
    const kind: FunctionKind = node.kind === 'get' ? 'getter' : node.kind === 'set' ? 'setter' : 'method';
    const name = kind === 'method' ? key : `${node.kind} ${key}`;
    const qualifiedName = owner ? (kind === 'method' && name === owner ? name : `${owner}.${key}`) : name;
    this.add({ name, qualifiedName, kind, start, end, header });
  }

  /** The parameter list's '(' between `from` (after the name or type parameters) and the body. */
  private paramsOpen(from: number, fn: { start?: number | null; body: t.Node }): number {
    const open = nextChar(this.source, from, '(', fn.body.start!);
    return open >= 0 ? open : fn.start!;
  }

  private add(found: Found): void {
    // A repaired parse may have closed a construct past the end of the text.
    const limit = this.source.length;
    const fn = { ...found, end: Math.min(found.end, limit), header: Math.min(found.header, limit) };
    const first = this.lines.position(fn.start);
    const head = this.lines.position(fn.header);
    this.found.push({
      name: fn.name,
      qualifiedName: fn.qualifiedName,
      kind: fn.kind,
      startLine: first.line,
      endLine: this.lines.position(Math.max(fn.start, fn.end - 1)).line,
      startColumn: first.column,
      headerLine: head.line,
      headerColumn: head.column,
      headerOffset: fn.header,
      start: fn.start,
      end: fn.end,
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
