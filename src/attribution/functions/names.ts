// Function names as V8 reports them in profiles, so profile frames can be matched by name.
//
// An anonymous function takes the name of what it is assigned to (V8's "inferred name"): a variable,
// a default value, a class field, an object property, or a member assignment with `prototype` and a
// leading `this.` dropped (`Old.prototype.run = function () {}` is "Old.run"). The name flows through
// parentheses, conditionals (`const pick = c ? a => a : b => b` names both "pick") and TypeScript-only
// wrappers (`as`, `satisfies`, `!`), which compiled code does not have.
import type * as t from '@babel/types';
import { nextChar } from './positions.ts';

/** Assignment operators after which V8 names the function on the right. */
const NAMING_ASSIGNMENTS = new Set(['=', '??=', '||=', '&&=']);

/** Expressions that hand the name they receive on to the expression inside. */
const NAME_PASSING = new Set([
  'ParenthesizedExpression',
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
]);

/** Dotted name of an assignment target (`a.b.c`, `this.x` -> "x"); '' when it has none. */
export function targetName(node: t.Node): string {
  const parts: string[] = [];
  let cur: t.Node = node;
  while (cur.type === 'MemberExpression' && !cur.computed) {
    const p = cur.property;
    const name = p.type === 'Identifier' ? p.name : p.type === 'PrivateName' ? `#${p.id.name}` : undefined;
    if (name === undefined) break;
    if (name !== 'prototype') parts.unshift(name);
    cur = cur.object;
  }
  if (cur.type === 'Identifier') parts.unshift(cur.name);
  return parts.join('.');
}

/** A property or class member key as written (computed keys with their brackets, from `from` on). */
export function keyName(member: { key: t.Node; computed?: boolean }, source: string, from: number): string {
  const { key } = member;
  if (member.computed) {
    const open = nextChar(source, from, '[', key.start!);
    const close = nextChar(source, key.end!, ']', source.length);
    return open >= 0 && close >= 0 ? source.slice(open, close + 1) : source.slice(key.start!, key.end!);
  }
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'PrivateName') return `#${key.id.name}`;
  if (key.type === 'StringLiteral') return key.value;
  return source.slice(key.start!, key.end!);
}

/** Non-computed key name for naming a property's value; '' for computed keys (V8 infers none). */
function staticKeyName(member: { key: t.Node; computed?: boolean }, source: string): string {
  return member.computed ? '' : keyName(member, source, member.key.start!);
}

/**
 * The name a function found at `parent[key]` would receive, given the name `parent` itself receives
 * (`hint`). '' when the position gives no name.
 */
export function nameFor(parent: t.Node, key: string, hint: string, source: string): string {
  switch (parent.type) {
    case 'VariableDeclarator':
      return key === 'init' && parent.id.type === 'Identifier' ? parent.id.name : '';
    case 'AssignmentExpression':
      return key === 'right' && NAMING_ASSIGNMENTS.has(parent.operator) ? targetName(parent.left) : '';
    case 'AssignmentPattern':
      return key === 'right' && parent.left.type === 'Identifier' ? parent.left.name : '';
    case 'ObjectProperty':
    case 'ClassProperty':
    case 'ClassPrivateProperty':
    case 'ClassAccessorProperty':
      return key === 'value' ? staticKeyName(parent, source) : '';
    case 'ExportDefaultDeclaration':
      return key === 'declaration' ? 'default' : '';
    case 'ConditionalExpression':
      return key === 'consequent' || key === 'alternate' ? hint : '';
    default:
      return NAME_PASSING.has(parent.type) && key === 'expression' ? hint : '';
  }
}
