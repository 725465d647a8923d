// The scenario files of a config: its globs expanded, each file read and validated, names checked across
// files, and each scenario resolved against the config (with the hash of its k6 script, if any). Problems
// are collected, never thrown, so one run shows them all.

import { createHash } from 'node:crypto';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { Scenario } from '../scenario/model.ts';
import { ConfigError, describeValue, type ConfigIssue } from './parse/errors.ts';
import type { Env } from './parse/interpolate.ts';
import type { Locator } from './parse/locate.ts';
import { analyzeText, type FileAnalysis } from './parse/parse-config.ts';
import { resolveScenario } from './parse/resolve-scenario.ts';
import { DEFAULT_SCENARIOS_GLOB, scenarioSchema, type RawConfig, type RawScenario } from './parse/schema.ts';
import { readText } from './read-text.ts';

export interface ScenarioFile {
  abs: string;
  shown: string;
  analysis: FileAnalysis<RawScenario>;
}

/** The config file's facts the scenario files need. */
export interface ConfigSource {
  /** As shown to the user. */
  shown: string;
  /** Absolute directory: the globs are relative to it. */
  dir: string;
  value: RawConfig | undefined;
  /** The document as data, for best-effort globs when the config is invalid. */
  data: unknown;
  locate: Locator;
}

/** The files the config's scenario patterns match, in order, without repeats; a pattern matching nothing is an issue. */
export async function findScenarioFiles(config: ConfigSource, issues: ConfigIssue[]): Promise<string[]> {
  const files: string[] = [];
  for (const { pattern, index } of scenarioPatterns(config.value, config.data)) {
    const matches = (
      await glob(pattern, { cwd: config.dir, absolute: true, onlyFiles: true, expandDirectories: false })
    )
      .map((match) => path.resolve(match))
      .sort();
    if (matches.length === 0) issues.push(noMatch(config, pattern, index));
    for (const match of matches) if (!files.includes(match)) files.push(match);
  }
  return files;
}

function noMatch(config: ConfigSource, pattern: string, index: number | undefined): ConfigIssue {
  const fieldPath = index === undefined ? ['scenarios'] : ['scenarios', index];
  const located = config.locate(fieldPath);
  return {
    file: config.shown,
    ...(located.exact ? { line: located.line, column: located.column } : {}),
    path: located.exact ? (index === undefined ? 'scenarios' : `scenarios[${index}]`) : 'scenarios',
    message: located.exact
      ? `no file matches '${pattern}' (relative to ${config.dir})`
      : `no scenario files: the default pattern '${pattern}' matches nothing in ${config.dir} (set 'scenarios' in the config)`,
  };
}

/** Reads and validates every scenario file (in their order); unreadable files become issues. */
export async function readScenarioFiles(
  files: string[],
  env: Env,
  shown: (abs: string) => string,
  issues: ConfigIssue[],
  secrets: Set<string>,
): Promise<Array<ScenarioFile | undefined>> {
  const out: Array<ScenarioFile | undefined> = [];
  await Promise.all(
    files.map(async (abs, order) => {
      const text = await readText(abs);
      if (typeof text !== 'string') {
        issues.push({
          file: shown(abs),
          path: '',
          message: `cannot read the scenario file: ${text.message}`,
        });
        return;
      }
      const analysis = analyzeText(scenarioSchema, text, shown(abs), env);
      issues.push(...analysis.issues);
      analysis.secrets.forEach((secret) => secrets.add(secret));
      out[order] = { abs, shown: shown(abs), analysis };
    }),
  );
  return out;
}

/** Names across files, then each scenario resolved against the config (which must be valid for that). */
export async function resolveScenarios(
  scenarioFiles: Array<ScenarioFile | undefined>,
  config: RawConfig | undefined,
  targetOverride: string | undefined,
  issues: ConfigIssue[],
): Promise<Scenario[]> {
  const scenarios: Scenario[] = [];
  const firstFile = new Map<string, string>();
  for (const scenarioFile of scenarioFiles) {
    const raw = scenarioFile?.analysis.value;
    if (scenarioFile === undefined || raw === undefined) continue;
    const other = firstFile.get(raw.name);
    if (other !== undefined) {
      issues.push(duplicateName(scenarioFile, raw.name, other));
      continue;
    }
    firstFile.set(raw.name, scenarioFile.shown);
    if (config === undefined) continue;
    try {
      const scenario = resolveScenario(raw, config, {
        file: scenarioFile.shown,
        baseDir: path.dirname(scenarioFile.abs),
        ...(targetOverride !== undefined ? { targetOverride } : {}),
      });
      if (await hashK6Script(scenario, scenarioFile, issues)) scenarios.push(scenario);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // --target problems are reported once, by the loader.
      issues.push(...error.issues.filter((issue) => issue.path !== '--target'));
    }
  }
  return scenarios;
}

function duplicateName(scenarioFile: ScenarioFile, name: string, other: string): ConfigIssue {
  const { line, column } = scenarioFile.analysis.locate(['name']);
  return {
    file: scenarioFile.shown,
    line,
    column,
    path: 'name',
    message: `duplicate scenario name (also in ${other})`,
    expected: 'a scenario name unique across all scenario files',
    found: describeValue(name),
  };
}

/** The script's text is part of what is measured: its hash goes into the fingerprint. False: unreadable. */
async function hashK6Script(
  scenario: Scenario,
  scenarioFile: ScenarioFile,
  issues: ConfigIssue[],
): Promise<boolean> {
  if (!scenario.k6?.script) return true;
  const script = await readText(scenario.k6.script);
  if (typeof script !== 'string') {
    const { line, column } = scenarioFile.analysis.locate(['k6', 'script']);
    issues.push({
      file: scenarioFile.shown,
      line,
      column,
      path: 'k6.script',
      message: `cannot read the k6 script ${scenario.k6.script}: ${script.code ?? script.message}`,
    });
    return false;
  }
  scenario.k6.scriptSha256 = createHash('sha256').update(script).digest('hex');
  return true;
}

/** The scenario patterns of a config, best effort when the config is invalid. */
function scenarioPatterns(
  value: RawConfig | undefined,
  data: unknown,
): { pattern: string; index: number | undefined }[] {
  const field: unknown =
    value !== undefined
      ? value.scenarios
      : typeof data === 'object' && data !== null && 'scenarios' in data
        ? data.scenarios
        : DEFAULT_SCENARIOS_GLOB;
  if (typeof field === 'string' && field !== '') return [{ pattern: field, index: undefined }];
  if (Array.isArray(field)) {
    return field.flatMap((pattern: unknown, index) =>
      typeof pattern === 'string' && pattern !== '' ? [{ pattern, index }] : [],
    );
  }
  return [];
}
