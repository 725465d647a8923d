// `${VAR}` interpolation of every string value of a parsed YAML document.
//
//   ${VAR}            the variable's value; an unset variable is an error (set but empty gives '')
//   ${VAR:-default}   the default when VAR is unset or empty
//   $${               a literal '${' (so `$${VAR}` stays `${VAR}`)
//
// Mapping keys are not interpolated. Every non-empty value taken from the environment is a secret: the
// caller masks it in logs and never writes it into results.

import type { PathSegment } from './errors.ts';
import { Redactor } from '../../util/redact.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface InterpolationIssue {
  path: PathSegment[];
  message: string;
  expected?: string;
  found?: string;
}

export interface InterpolationResult<T = unknown> {
  /** A copy of the input with every string interpolated (strings with errors are left as written). */
  value: T;
  /** Distinct non-empty values substituted from the environment, in order of first use. */
  secrets: string[];
  issues: InterpolationIssue[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface StringResult {
  value: string;
  secrets: string[];
  issues: Omit<InterpolationIssue, 'path'>[];
}

/** Interpolates one string. */
export function interpolateString(text: string, env: Env): StringResult {
  const secrets: string[] = [];
  const issues: StringResult['issues'] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      out += text[i];
      i += 1;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) {
      issues.push({
        message: "unterminated '${'",
        expected: "'${NAME}', '${NAME:-default}', or '$${' for a literal '${'",
        found: quote(text.slice(i)),
      });
      return { value: text, secrets, issues };
    }
    const inner = text.slice(i + 2, close);
    const sep = inner.indexOf(':-');
    const name = sep < 0 ? inner : inner.slice(0, sep);
    const fallback = sep < 0 ? undefined : inner.slice(sep + 2);
    if (!NAME.test(name)) {
      issues.push({
        message: 'invalid variable reference',
        expected: "'${NAME}' or '${NAME:-default}' where NAME is letters, digits and '_'",
        found: quote(`\${${inner}}`),
      });
    } else {
      const set = env[name];
      if (fallback !== undefined && (set === undefined || set === '')) {
        out += fallback;
      } else if (set === undefined) {
        issues.push({
          message: `environment variable ${name} is not set`,
          expected: `${name} in the environment, or a default: '\${${name}:-value}'`,
        });
      } else {
        out += set;
        if (set !== '' && !secrets.includes(set)) secrets.push(set);
      }
    }
    i = close + 1;
  }
  return issues.length > 0 ? { value: text, secrets, issues } : { value: out, secrets, issues };
}

/** Interpolates every string value of a JSON-like value (plain objects, arrays, scalars). */
export function interpolate<T>(value: T, env: Env): InterpolationResult<T> {
  const secrets: string[] = [];
  const issues: InterpolationIssue[] = [];
  const walk = (node: unknown, path: PathSegment[]): unknown => {
    if (typeof node === 'string') {
      if (!node.includes('$')) return node;
      const result = interpolateString(node, env);
      for (const secret of result.secrets) if (!secrets.includes(secret)) secrets.push(secret);
      for (const issue of result.issues) issues.push({ path, ...issue });
      return result.value;
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        // defineProperty: a `__proto__` key must stay a plain own property.
        Object.defineProperty(out, key, {
          value: walk(item, [...path, key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return node;
  };
  return { value: walk(value, []) as T, secrets, issues };
}

/** Masks the secrets in `text` with `***` by the one rule of src/util/redact.ts (no numbers, whole tokens). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return secrets.length === 0 ? text : new Redactor(secrets).redact(text);
}

function quote(text: string): string {
  return `'${text.length > 60 ? `${text.slice(0, 60)}...` : text}'`;
}
