// Text of a config or scenario file -> its validated raw object, or a ConfigError listing every problem
// (YAML syntax, `${VAR}` interpolation, schema) with its file, line, column and field path. The steps:
// yaml-source.ts (text -> data with positions), interpolate.ts, the zod schema, zod-issues.ts (readable
// issues). Resolving a raw scenario into a `Scenario` is resolve-scenario.ts.

import type { z } from 'zod';
import {
  sortIssues,
  describeValue,
  formatPath,
  ConfigError,
  type ConfigIssue,
  type PathSegment,
} from './errors.ts';
import { interpolate, maskSecrets, type Env } from './interpolate.ts';
import type { Locator } from './locate.ts';
import { configSchema, scenarioSchema, type RawConfig, type RawScenario } from './schema.ts';
import { readYaml } from './yaml-source.ts';
import { mapZodIssue } from './zod-issues.ts';

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
export function analyzeText<S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
  env: Env,
  options: AnalyzeOptions = {},
): FileAnalysis<z.output<S>> {
  const source = readYaml(text, file, options.emptyAs);
  const { locate } = source;
  const issues: ConfigIssue[] = [...source.issues];

  const interpolated = interpolate(source.data, env);
  const badPaths: PathSegment[][] = [];
  for (const issue of interpolated.issues) {
    badPaths.push(issue.path);
    const { line, column } = locate(issue.path);
    const { path, ...rest } = issue;
    issues.push({ file, line, column, ...rest, path: formatPath(path) });
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
        const { atKey: _atKey, path, ...rest } = issue;
        issues.push({ file, line, column, ...rest, path: formatPath(path) });
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
