// The I/O shell of the config loader: reads perf-gate.yml, expands its scenario globs, reads every scenario
// file, and resolves them. Every problem of every file is collected before one ConfigError is thrown.

import path from 'node:path';
import { DEFAULT_THRESHOLDS } from '../compare/rules.ts';
import { resolveExtras } from './extras.ts';
import { durationMs } from './parse/durations.ts';
import { ConfigError, describeValue, sortIssues, type ConfigIssue } from './parse/errors.ts';
import type { Env } from './parse/interpolate.ts';
import { analyzeText, maskIssue } from './parse/parse-config.ts';
import { normaliseTarget, resolveGeneratorLimits } from './parse/resolve-scenario.ts';
import { checkHttpUrl, configSchema, URL_EXPECTED, type RawConfig } from './parse/schema.ts';
import { readText } from './read-text.ts';
import {
  findScenarioFiles,
  readScenarioFiles,
  resolveScenarios,
  type ConfigSource,
} from './scenario-files.ts';
import type { LoadedConfig } from './settings.ts';

export type { LoadedConfig, RightsizingConfig } from './settings.ts';

export interface LoadConfigOptions {
  /** Path of perf-gate.yml (relative paths are resolved against `cwd`). */
  configPath: string;
  /** The environment for `${VAR}` interpolation (usually process.env). */
  env: Env;
  /** `--target` from the command line: wins over every target in the files. */
  targetOverride?: string;
  /** Base for relative paths and for file names in messages. Default: process.cwd(). */
  cwd?: string;
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const file = path.resolve(cwd, options.configPath);
  const dir = path.dirname(file);
  const shown = (abs: string): string => displayPath(cwd, abs);
  const configShown = shown(file);

  const text = await readText(file);
  if (typeof text !== 'string') throw new ConfigError([unreadableConfig(configShown, file, text)]);

  const issues: ConfigIssue[] = [];
  const secrets = new Set<string>();
  const config = analyzeText(configSchema, text, configShown, options.env, { emptyAs: {} });
  issues.push(...config.issues);
  config.secrets.forEach((secret) => secrets.add(secret));
  if (options.targetOverride !== undefined) issues.push(...targetOverrideIssues(options.targetOverride));

  // Scenario files are read even when the config is invalid, so that their problems show in the same run.
  const source: ConfigSource = {
    shown: configShown,
    dir,
    value: config.value,
    data: config.data,
    locate: config.locate,
  };
  const files = await findScenarioFiles(source, issues);
  const scenarioFiles = await readScenarioFiles(files, options.env, shown, issues, secrets);
  const scenarios = await resolveScenarios(scenarioFiles, config.value, options.targetOverride, issues);

  if (issues.length > 0 || config.value === undefined) {
    // Per-file issues are masked already; cross-file ones (e.g. a duplicate name) are masked here.
    const masked = issues.map((issue) => maskIssue(issue, [...secrets]));
    throw new ConfigError(sortIssues(masked, ['<command line>', configShown, ...files.map(shown)]));
  }
  const value: RawConfig = config.value;
  const extras = await resolveExtras(value, dir, configShown, config.locate);
  const rawTarget = options.targetOverride ?? value.target;
  const target = rawTarget === undefined ? undefined : normaliseTarget(rawTarget);
  return {
    file,
    dir,
    ...(target !== undefined ? { target } : {}),
    scenarios,
    generator: resolveGeneratorLimits(value),
    outputDir: path.resolve(dir, value.output),
    baselineDir: path.resolve(dir, value.baseline.dir),
    thresholds: value.thresholds ?? DEFAULT_THRESHOLDS,
    invalidTrials: { tolerated: value.invalidTrials.tolerated },
    secrets: [...secrets],
    ...(value.defaults.sequential.enabled
      ? {
          adaptive: {
            first: value.defaults.sequential.first,
            maxTimeMs: durationMs(value.defaults.sequential.maxTime),
          },
        }
      : {}),
    ...extras,
  };
}

function unreadableConfig(shown: string, file: string, error: NodeJS.ErrnoException): ConfigIssue {
  return {
    file: shown,
    path: '',
    message:
      error.code === 'ENOENT'
        ? `config file not found: ${file} (create it, or point --config at it)`
        : `cannot read the config file: ${error.message}`,
  };
}

function targetOverrideIssues(target: string): ConfigIssue[] {
  const problem = checkHttpUrl(target);
  if (problem === undefined) return [];
  return [
    {
      file: '<command line>',
      path: '--target',
      message: problem,
      expected: URL_EXPECTED,
      found: describeValue(target),
    },
  ];
}

/** Relative to cwd when the file is below it (short, and what CI annotations expect), else absolute. */
function displayPath(cwd: string, abs: string): string {
  const relative = path.relative(cwd, abs);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : abs;
}
