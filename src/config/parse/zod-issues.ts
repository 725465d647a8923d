// zod issues -> readable issues: a message in words, what was expected, what was found, and for an
// unknown key the closest known one ("did you mean"). Positions are added by the caller (parse-config.ts).

import type { z } from 'zod';
import { closest } from './did-you-mean.ts';
import type { PathSegment } from './errors.ts';

export interface MappedIssue {
  path: PathSegment[];
  message: string;
  expected?: string;
  found?: string;
  /** Locate the key of the last path segment rather than its value. */
  atKey?: boolean;
}

type ZodIssue = z.core.$ZodIssue;

/** What every issue kind's mapping gets: the path as segments, the value described, the schema's own message. */
interface IssueContext {
  path: PathSegment[];
  found: string | undefined;
  /** Schema-level messages (`{ error: '...' }`) win; generic issues come with an empty message (see safeParse). */
  custom: string | undefined;
  root: z.ZodType;
  describe: (value: unknown) => string;
}

/** The readable issues of one zod issue (an unknown-keys issue becomes one per key). */
export function mapZodIssue(
  issue: ZodIssue,
  root: z.ZodType,
  describe: (value: unknown) => string,
): MappedIssue[] {
  const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  const context: IssueContext = {
    path,
    found: issue.input === undefined ? undefined : describe(issue.input),
    custom: issue.message !== '' ? issue.message : undefined,
    root,
    describe,
  };
  const { custom, found } = context;
  switch (issue.code) {
    case 'invalid_type':
      return [typeIssue(issue, context)];
    case 'too_small':
    case 'too_big':
      return [sizeIssue(issue, context)];
    case 'invalid_value':
      return [{ path, message: custom ?? 'invalid value', expected: oneOf(issue.values), found }];
    case 'invalid_format':
      return [formatIssue(issue, context)];
    case 'not_multiple_of':
      return [{ path, message: custom ?? `must be a multiple of ${issue.divisor}`, found }];
    case 'unrecognized_keys':
      return unknownKeyIssues(issue, context);
    case 'invalid_union':
      return [unionIssue(issue, context)];
    case 'invalid_key': {
      const inner = issue.issues[0]?.message;
      const message = custom ?? (inner !== undefined && inner !== '' ? inner : 'invalid key');
      return [{ path, message, found, atKey: true }];
    }
    case 'invalid_element':
      return [{ path, message: custom ?? 'invalid element', found }];
    case 'custom':
      return [customIssue(issue, context)];
    default:
      return [{ path, message: custom ?? 'invalid value', found }];
  }
}

function typeIssue(
  issue: z.core.$ZodIssueInvalidType,
  { path, found, custom, root }: IssueContext,
): MappedIssue {
  const expected = typeText(issue.expected, schemaAt(root, path));
  if (issue.input === undefined) return { path, message: custom ?? 'missing required field', expected };
  if (path.length === 0 && issue.input === null) {
    return { path, message: 'the file is empty', expected: 'a YAML mapping' };
  }
  return { path, message: custom ?? 'wrong type', expected, found };
}

function sizeIssue(
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  { path, found, custom }: IssueContext,
): MappedIssue {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  let message: string;
  if (issue.origin === 'array') {
    message = `must have ${small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`;
  } else if (issue.origin === 'string') {
    message =
      small && bound === 1
        ? 'must not be empty'
        : `must be ${small ? 'at least' : 'at most'} ${bound} character${bound === 1 ? '' : 's'} long`;
  } else if (small) {
    message = inclusive ? `must be at least ${bound}` : `must be greater than ${bound}`;
  } else {
    message = inclusive ? `must be at most ${bound}` : `must be less than ${bound}`;
  }
  const input = issue.input;
  const shown =
    issue.origin === 'string' && typeof input === 'string' && input.length > 60
      ? `${input.length} characters`
      : found;
  return { path, message: custom ?? message, found: shown };
}

function formatIssue(
  issue: z.core.$ZodIssueInvalidStringFormat,
  { path, found, custom }: IssueContext,
): MappedIssue {
  if (custom !== undefined) return { path, message: custom, found };
  const details = issue as { prefix?: string; suffix?: string };
  if (issue.format === 'starts_with') return { path, message: `must start with '${details.prefix}'`, found };
  if (issue.format === 'ends_with') return { path, message: `must end with '${details.suffix}'`, found };
  if (issue.format === 'regex') return { path, message: `must match ${issue.pattern}`, found };
  return { path, message: `invalid ${issue.format}`, found };
}

function unknownKeyIssues(
  issue: z.core.$ZodIssueUnrecognizedKeys,
  { path, root }: IssueContext,
): MappedIssue[] {
  const known = knownKeys(schemaAt(root, path), issue.input);
  return issue.keys.map((key) => {
    const suggestion = known === undefined ? undefined : closest(key, known);
    return {
      path: [...path, key],
      message: suggestion === undefined ? 'unknown key' : `unknown key, did you mean '${suggestion}'?`,
      ...(known !== undefined && known.length > 0 ? { expected: `one of ${known.join(', ')}` } : {}),
      atKey: true,
    };
  });
}

function unionIssue(
  issue: z.core.$ZodIssueInvalidUnion,
  { path, found, custom, describe }: IssueContext,
): MappedIssue {
  if (issue.discriminator !== undefined && issue.errors.length === 0) {
    // A discriminated union whose discriminator is missing or unknown; zod puts the discriminator key in
    // the path already.
    const options = 'options' in issue ? (issue.options as readonly unknown[]) : undefined;
    const value = isRecord(issue.input) ? issue.input[issue.discriminator] : undefined;
    const expected = options === undefined ? undefined : oneOf(options);
    return value === undefined
      ? { path, message: 'missing required field', expected }
      : { path, message: 'invalid value', expected, found: describe(value) };
  }
  return { path, message: custom ?? 'does not match any allowed form', found };
}

function customIssue(issue: z.core.$ZodIssueCustom, { path, found, custom }: IssueContext): MappedIssue {
  const params = (issue.params ?? {}) as { expected?: unknown; found?: unknown };
  return {
    path,
    message: custom ?? 'invalid value',
    ...(typeof params.expected === 'string' ? { expected: params.expected } : {}),
    ...(found !== undefined ? { found } : typeof params.found === 'string' ? { found: params.found } : {}),
  };
}

function typeText(expected: string, schema: z.ZodType | undefined): string {
  if (expected === 'number' && schema !== undefined && isIntSchema(schema)) return 'an integer';
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'an integer',
    boolean: 'true or false',
    array: 'a list',
    tuple: 'a list',
    object: 'a mapping',
    record: 'a mapping',
  };
  return names[expected] ?? expected;
}

function oneOf(values: readonly unknown[]): string {
  const shown = values.map((value) => (typeof value === 'string' ? `'${value}'` : String(value)));
  return shown.length === 1 ? (shown[0] ?? '') : `one of ${shown.join(', ')}`;
}

// A minimal walk over zod definitions, to name the allowed keys of an object (for "did you mean") and to tell
// integers from numbers. zod's internal definition is read loosely on purpose.
interface LooseDef {
  type?: string;
  format?: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  values?: unknown[];
}

function defOf(schema: z.ZodType): LooseDef {
  return (schema as unknown as { _zod: { def: LooseDef } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 20; depth += 1) {
    const def = defOf(current);
    if (def.type !== undefined && WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in && def.out) {
      current = defOf(def.in).type === 'transform' ? def.out : def.in;
    } else return current;
  }
  return current;
}

/** The schema at a path (union options are not chosen: the first that has the segment is followed). */
function schemaAt(root: z.ZodType, path: readonly PathSegment[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = root;
  for (const segment of path) {
    if (current === undefined) return undefined;
    const def = defOf(unwrap(current));
    if (def.type === 'object' && def.shape) current = def.shape[String(segment)];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else if (def.type === 'union' && def.options) {
      current = def.options
        .map((option) => schemaAt(option, [segment]))
        .find((found): found is z.ZodType => found !== undefined);
    } else return undefined;
  }
  return current;
}

function isIntSchema(schema: z.ZodType): boolean {
  const def = defOf(unwrap(schema));
  return def.type === 'number' && typeof def.format === 'string' && def.format.includes('int');
}

/** Keys allowed in the object at a schema; for a union, those of the options whose literal fields match. */
function knownKeys(schema: z.ZodType | undefined, input: unknown): string[] | undefined {
  if (schema === undefined) return undefined;
  const def = defOf(unwrap(schema));
  if (def.type === 'object' && def.shape) return Object.keys(def.shape);
  if (def.type !== 'union' || !def.options) return undefined;
  const matching = def.options.filter((option) => {
    const optionDef = defOf(unwrap(option));
    if (optionDef.type !== 'object' || !optionDef.shape) return false;
    return Object.entries(optionDef.shape).every(([key, field]) => {
      const fieldDef = defOf(unwrap(field));
      return fieldDef.type !== 'literal' || (isRecord(input) && (fieldDef.values ?? []).includes(input[key]));
    });
  });
  const keys = matching.flatMap((option) => knownKeys(option, input) ?? []);
  return keys.length > 0 ? [...new Set(keys)] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
