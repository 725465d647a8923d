// Text of a config or scenario file -> typed raw object, or a ConfigError listing every problem (YAML
// syntax, `${VAR}` interpolation, schema) with its file, line, column and field path. Then the merge of a
// raw scenario with the config defaults into the resolved `Scenario` that runners consume.

import path from 'node:path';
import type { z } from 'zod';
import type {
  GeneratorLimits,
  K6Options,
  LoadModel,
  RequestSpec,
  RunnerKind,
  Scenario,
} from '../../scenario/model.ts';
import { durationMs } from './durations.ts';
import {
  ConfigError,
  describeValue,
  formatPath,
  sortIssues,
  type ConfigIssue,
  type PathSegment,
} from './errors.ts';
import { interpolate, maskSecrets, type Env } from './interpolate.ts';
import { createLocator, parseForLocation, type Locator } from './locate.ts';
import {
  checkHttpUrl,
  configSchema,
  scenarioSchema,
  URL_EXPECTED,
  type RawConfig,
  type RawExpect,
  type RawK6,
  type RawLoad,
  type RawRequest,
  type RawScenario,
} from './schema.ts';

export interface ParsedFile<T> {
  /** The validated raw object (config defaults applied; durations still strings). */
  value: T;
  /** Values substituted from the environment: mask them in logs, never write them into results. */
  secrets: string[];
  /** Position of a field path in the file, for issues found later (e.g. across files). */
  locate: Locator;
}

export interface FileAnalysis<T> {
  /** Present when the file has no issue. */
  value?: T;
  /** The interpolated document as plain data (whatever its validity), for best-effort use after errors. */
  data: unknown;
  issues: ConfigIssue[];
  secrets: string[];
  locate: Locator;
}

/** Parses and validates `perf-gate.yml` text (an empty file means all defaults). Throws a ConfigError listing every problem. */
export function parseConfigText(text: string, file: string, env: Env): ParsedFile<RawConfig> {
  return orThrow(analyzeText(configSchema, text, file, env, { emptyAs: {} }));
}

/** Parses and validates a scenario file's text. Throws a ConfigError listing every problem. */
export function parseScenarioText(text: string, file: string, env: Env): ParsedFile<RawScenario> {
  return orThrow(analyzeText(scenarioSchema, text, file, env));
}

function orThrow<T>(analysis: FileAnalysis<T>): ParsedFile<T> {
  if (analysis.value === undefined || analysis.issues.length > 0) throw new ConfigError(analysis.issues);
  return { value: analysis.value, secrets: analysis.secrets, locate: analysis.locate };
}

export interface AnalyzeOptions {
  /** What a document without content (empty, or only comments) stands for; default: an error. */
  emptyAs?: unknown;
}

/**
 * The non-throwing core of the parse functions: every YAML error, every interpolation error and every schema
 * issue of one file, sorted by position, with secrets masked in messages.
 */
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

export function analyzeText<S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
  env: Env,
  options: AnalyzeOptions = {},
): FileAnalysis<z.output<S>> {
  const tooDeep = nestingBeyond(text, MAX_NESTING);
  if (tooDeep) {
    // The YAML parser recurses per level: thousands of '[' exhausted the stack inside V8's regexp
    // compiler, which kills the process instead of throwing. Refuse before parsing.
    const empty = parseForLocation('');
    return {
      data: null,
      issues: [
        {
          file,
          ...tooDeep,
          path: '',
          message: `invalid YAML: nested deeper than ${MAX_NESTING} levels`,
          expected: `at most ${MAX_NESTING} levels of nested lists and mappings`,
        },
      ],
      secrets: [],
      locate: createLocator(empty.doc, empty.lineCounter),
    };
  }
  const { doc, lineCounter } = parseForLocation(text);
  const locate = createLocator(doc, lineCounter);
  const issues: ConfigIssue[] = [];

  for (const error of doc.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    issues.push({ file, line, column: col, path: '', message: `invalid YAML: ${firstLine(error.message)}` });
  }

  let raw: unknown = null;
  try {
    raw =
      doc.contents === null && options.emptyAs !== undefined
        ? options.emptyAs
        : doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    issues.push({ file, line: 1, column: 1, path: '', message: `invalid YAML: ${errorText(error)}` });
  }

  const interpolated = interpolate(raw, env);
  const badPaths: PathSegment[][] = [];
  for (const issue of interpolated.issues) {
    badPaths.push(issue.path);
    const { line, column } = locate(issue.path);
    issues.push({ file, line, column, ...withoutPath(issue), path: formatPath(issue.path) });
  }

  // Values are described with secrets masked *before* truncation (a truncated secret would escape masking).
  const describe = (value: unknown): string =>
    describeValue(typeof value === 'string' ? maskSecrets(value, interpolated.secrets) : value);
  const result = schema.safeParse(interpolated.value, { reportInput: true, error: () => '' });
  if (!result.success) {
    for (const zodIssue of result.error.issues) {
      for (const issue of mapZodIssue(zodIssue, schema, describe)) {
        // A string whose interpolation failed was left as written: its schema issues would be noise.
        if (badPaths.some((bad) => startsWith(issue.path, bad))) continue;
        const { line, column } = locate(issue.path, { key: issue.atKey === true });
        const { atKey: _atKey, ...rest } = issue;
        issues.push({ file, line, column, ...rest, path: formatPath(issue.path) });
      }
    }
  }

  const secrets = interpolated.secrets;
  const masked = issues.map((issue) => maskIssue(issue, secrets));
  return {
    ...(result.success && masked.length === 0 ? { value: result.data } : {}),
    data: interpolated.value,
    issues: sortIssues(masked),
    secrets,
    locate,
  };
}

// ---------------------------------------------------------------------------------------------------------
// zod issues -> readable issues

interface MappedIssue {
  path: PathSegment[];
  message: string;
  expected?: string;
  found?: string;
  /** Locate the key of the last path segment rather than its value. */
  atKey?: boolean;
}

type ZodIssue = z.core.$ZodIssue;

function mapZodIssue(issue: ZodIssue, root: z.ZodType, describe: (value: unknown) => string): MappedIssue[] {
  const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  const input = issue.input;
  const found = input === undefined ? undefined : describe(input);
  // Schema-level messages (`{ error: '...' }`) win; generic issues come with an empty message (see safeParse).
  const custom = issue.message !== '' ? issue.message : undefined;

  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeText(issue.expected, schemaAt(root, path));
      if (input === undefined) return [{ path, message: custom ?? 'missing required field', expected }];
      if (path.length === 0 && input === null) {
        return [{ path, message: 'the file is empty', expected: 'a YAML mapping' }];
      }
      return [{ path, message: custom ?? 'wrong type', expected, found }];
    }
    case 'too_small':
    case 'too_big': {
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
      const shown =
        issue.origin === 'string' && typeof input === 'string' && input.length > 60
          ? `${input.length} characters`
          : found;
      return [{ path, message: custom ?? message, found: shown }];
    }
    case 'invalid_value':
      return [{ path, message: custom ?? 'invalid value', expected: oneOf(issue.values), found }];
    case 'invalid_format': {
      if (custom !== undefined) return [{ path, message: custom, found }];
      const details = issue as { prefix?: string; suffix?: string };
      if (issue.format === 'starts_with')
        return [{ path, message: `must start with '${details.prefix}'`, found }];
      if (issue.format === 'ends_with')
        return [{ path, message: `must end with '${details.suffix}'`, found }];
      if (issue.format === 'regex') return [{ path, message: `must match ${issue.pattern}`, found }];
      return [{ path, message: `invalid ${issue.format}`, found }];
    }
    case 'not_multiple_of':
      return [{ path, message: custom ?? `must be a multiple of ${issue.divisor}`, found }];
    case 'unrecognized_keys': {
      const known = knownKeys(schemaAt(root, path), input);
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
    case 'invalid_union': {
      if (issue.discriminator !== undefined && issue.errors.length === 0) {
        // A discriminated union whose discriminator is missing or unknown; zod puts the discriminator key in
        // the path already.
        const options = 'options' in issue ? issue.options : undefined;
        const value = isRecord(input) ? input[issue.discriminator] : undefined;
        const expected = options === undefined ? undefined : oneOf(options);
        return value === undefined
          ? [{ path, message: 'missing required field', expected }]
          : [{ path, message: 'invalid value', expected, found: describe(value) }];
      }
      return [{ path, message: custom ?? 'does not match any allowed form', found }];
    }
    case 'invalid_key': {
      const inner = issue.issues[0]?.message;
      return [
        {
          path,
          message: custom ?? (inner !== undefined && inner !== '' ? inner : 'invalid key'),
          found,
          atKey: true,
        },
      ];
    }
    case 'invalid_element':
      return [{ path, message: custom ?? 'invalid element', found }];
    case 'custom': {
      const params = (issue.params ?? {}) as { expected?: unknown; found?: unknown };
      return [
        {
          path,
          message: custom ?? 'invalid value',
          ...(typeof params.expected === 'string' ? { expected: params.expected } : {}),
          ...(found !== undefined
            ? { found }
            : typeof params.found === 'string'
              ? { found: params.found }
              : {}),
        },
      ];
    }
    default:
      return [{ path, message: custom ?? 'invalid value', found }];
  }
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

/** The known key closest to a typo, if it is close enough to be a plausible intent. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

// ---------------------------------------------------------------------------------------------------------
// raw -> resolved

export interface ResolveOptions {
  /** The scenario's file, as shown to the user (becomes `Scenario.file`). */
  file: string;
  /** `--target` from the command line: wins over the scenario's and the config's target. */
  targetOverride?: string;
  /**
   * Absolute directory of the scenario file, against which its relative paths (k6 script and binaries)
   * resolve. Default: the directory of `file`, resolved against the process's working directory.
   */
  baseDir?: string;
}

/**
 * Merges a scenario with the config defaults (the scenario wins) into the resolved `Scenario`. Throws a
 * ConfigError when no target is known or the override is not a usable URL.
 */
export function resolveScenario(raw: RawScenario, config: RawConfig, options: ResolveOptions): Scenario {
  const target = resolveTarget(raw, config, options);
  const defaults = config.defaults;
  const runner = raw.runner ?? defaults.runner ?? 'autocannon';
  const k6 = raw.k6 === undefined ? undefined : resolveK6(raw.k6, runner, options);
  return {
    name: raw.name,
    file: options.file,
    runner,
    target,
    requests: (raw.requests ?? []).map((request) => resolveRequest(request, raw.headers ?? {})),
    load: resolveLoad(raw.load ?? defaults.load),
    warmupMs: durationMs(raw.warmup ?? defaults.warmup, { allowZero: true }),
    trials: raw.trials ?? defaults.trials,
    pauseMs: durationMs(raw.pause ?? defaults.pause, { allowZero: true }),
    timeoutMs: durationMs(raw.timeout ?? defaults.timeout),
    ...(k6 !== undefined ? { k6 } : {}),
  };
}

const DEFAULT_K6_START_TIMEOUT = '5m';

function resolveK6(raw: RawK6, runner: RunnerKind, options: ResolveOptions): K6Options {
  if (runner !== 'k6') {
    throw new ConfigError([
      {
        file: options.file,
        path: 'k6',
        message: `k6 options need runner: k6 (this scenario runs on ${runner})`,
        expected: "'runner: k6' in the scenario, or 'defaults.runner: k6' in perf-gate.yml",
      },
    ]);
  }
  const baseDir = options.baseDir ?? path.dirname(path.resolve(options.file));
  const distributed = raw.distributed;
  return {
    binary: executable(raw.binary ?? 'k6', baseDir),
    ...(raw.script !== undefined ? { script: path.resolve(baseDir, raw.script) } : {}),
    ...(distributed !== undefined
      ? {
          distributed: {
            parallelism: distributed.parallelism,
            ...(distributed.namespace !== undefined ? { namespace: distributed.namespace } : {}),
            kubectl: executable(distributed.kubectl ?? 'kubectl', baseDir),
            ...(distributed.image !== undefined ? { image: distributed.image } : {}),
            startTimeoutMs: durationMs(distributed.startTimeout ?? DEFAULT_K6_START_TIMEOUT),
          },
        }
      : {}),
  };
}

/** A bare command name is looked up on PATH when spawned; anything with a separator is a path. */
function executable(command: string, baseDir: string): string {
  return /[\\/]/.test(command) ? path.resolve(baseDir, command) : command;
}

function resolveTarget(raw: RawScenario, config: RawConfig, options: ResolveOptions): string {
  if (options.targetOverride !== undefined) {
    const problem = checkHttpUrl(options.targetOverride);
    if (problem !== undefined) {
      throw new ConfigError([
        {
          file: '<command line>',
          path: '--target',
          message: problem,
          expected: URL_EXPECTED,
          found: describeValue(options.targetOverride),
        },
      ]);
    }
  }
  const target = options.targetOverride ?? raw.target ?? config.target;
  if (target === undefined) {
    throw new ConfigError([
      {
        file: options.file,
        path: 'target',
        message: 'no target URL for this scenario',
        expected: "'target' in perf-gate.yml or in the scenario, or --target on the command line",
      },
    ]);
  }
  return normaliseTarget(target);
}

/** Drops trailing slashes so that `target + request.path` is the URL. */
export function normaliseTarget(target: string): string {
  return target.replace(/\/+$/, '');
}

export function resolveLoad(load: RawLoad): LoadModel {
  if (load.model === 'closed') {
    return { model: 'closed', connections: load.connections, durationMs: durationMs(load.duration) };
  }
  return {
    model: 'rate',
    ratePerSec: load.rate,
    connections: load.connections,
    durationMs: durationMs(load.duration),
  };
}

function resolveRequest(request: RawRequest, scenarioHeaders: Record<string, string>): RequestSpec {
  const headers = mergeHeaders(scenarioHeaders, request.headers ?? {});
  let body = request.body;
  if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
  }
  return {
    name: request.name,
    method: request.method,
    path: request.path,
    headers,
    ...(body !== undefined ? { body } : {}),
    expectStatus: expandExpect(request.expect),
    weight: request.weight,
  };
}

/** Header names are case-insensitive: a request header replaces a scenario header of any casing. */
export function mergeHeaders(
  base: Readonly<Record<string, string>>,
  override: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const overridden = new Set(Object.keys(override).map((name) => name.toLowerCase()));
  for (const [name, value] of Object.entries(base))
    if (!overridden.has(name.toLowerCase())) out[name] = value;
  for (const [name, value] of Object.entries(override)) out[name] = value;
  return out;
}

/** `expect` as an explicit, sorted list of statuses: '2xx' -> 200..299; absent -> every 2xx. */
export function expandExpect(expect: RawExpect | undefined): number[] {
  const items = expect === undefined ? ['2xx'] : Array.isArray(expect) ? expect : [expect];
  const statuses = new Set<number>();
  for (const item of items) {
    if (typeof item === 'number') statuses.add(item);
    else {
      const base = Number(item[0]) * 100;
      for (let status = base; status < base + 100; status += 1) statuses.add(status);
    }
  }
  return [...statuses].sort((a, b) => a - b);
}

export function resolveGeneratorLimits(config: RawConfig): GeneratorLimits {
  return {
    maxCpuCores: config.generator.maxCpu,
    maxEventLoopDelayP99Ms: durationMs(config.generator.maxEventLoopDelay),
    minRateAchieved: config.generator.minRateAchieved,
  };
}

// ---------------------------------------------------------------------------------------------------------

/** The issue with every secret masked in its texts. */
export function maskIssue(issue: ConfigIssue, secrets: readonly string[]): ConfigIssue {
  if (secrets.length === 0) return issue;
  const out: ConfigIssue = { ...issue, message: maskSecrets(issue.message, secrets) };
  if (issue.expected !== undefined) out.expected = maskSecrets(issue.expected, secrets);
  if (issue.found !== undefined) out.found = maskSecrets(issue.found, secrets);
  return out;
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}

function withoutPath<T extends { path: unknown }>(value: T): Omit<T, 'path'> {
  const { path: _path, ...rest } = value;
  return rest;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
