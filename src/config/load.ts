// The I/O shell of the config loader: reads perf-gate.yml, expands its scenario globs, reads every scenario
// file, and resolves them. Every problem of every file is collected before one ConfigError is thrown.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { GeneratorLimits, Scenario } from '../scenario/model.ts';
import { ConfigError, describeValue, sortIssues, type ConfigIssue } from './parse/errors.ts';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../compare/rules.ts';
import type { InvalidTrialPolicy } from '../verdict/trial-loss.ts';
import type { ResourceSpec } from '../collectors/resources/probe.ts';
import { DEFAULT_SAMPLING_INTERVAL_US, type ProfilerTarget } from '../engine/trial-profiler.ts';
import {
  validatePriceTable,
  type CurrentAllocation,
  type PriceTable,
  type RightsizingSettings,
} from '../rightsizing/index.ts';
import { durationMs } from './parse/durations.ts';
import type { Env } from './parse/interpolate.ts';
import { analyzeText, maskIssue, type FileAnalysis } from './parse/parse-config.ts';
import { normaliseTarget, resolveGeneratorLimits, resolveScenario } from './parse/resolve-scenario.ts';
import {
  checkHttpUrl,
  configSchema,
  DEFAULT_SCENARIOS_GLOB,
  scenarioSchema,
  URL_EXPECTED,
  type RawConfig,
  type RawScenario,
} from './parse/schema.ts';

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

export interface LoadedConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Absolute directory of the config file (scenario globs and output paths are relative to it). */
  dir: string;
  /** The default target: --target, else the config's `target`, without trailing slashes (scenarios may override it). */
  target?: string;
  scenarios: Scenario[];
  generator: GeneratorLimits;
  /** Absolute. */
  outputDir: string;
  /** Absolute. */
  baselineDir: string;
  /** The gate's thresholds (docs/thresholds.md), defaults when the config has none. */
  thresholds: Thresholds;
  /** Invalid trials the candidate may have beyond the baseline's before the gate fails. */
  invalidTrials: InvalidTrialPolicy;
  /** Every value substituted from the environment: mask in logs, never write into results. */
  secrets: string[];
  /** A target perf-gate starts itself (absolute cwd). */
  service?: ServiceConfig;
  /** The resource probe, when configured (or implied by `service`). */
  resources?: ResourcesConfig;
  rightsizing?: RightsizingConfig;
  /** Adaptive trials (defaults.sequential); absent when turned off. */
  adaptive?: { first: number; maxTimeMs: number };
  /** Per-trial CPU profiles of targets perf-gate does not start (`profile`), and the sampling interval. */
  profiling?: ProfilingConfig;
}

export interface ProfilingConfig {
  /** The measured target's profiler (the candidate in a gate). */
  target?: ProfilerTarget;
  /** Paired mode: the baseline deployment's profiler. */
  baselineTarget?: ProfilerTarget;
  /** Inspector sampling interval, µs. */
  samplingIntervalUs: number;
  /** Keep V8's inlining in a service started with cpuProfile (default: --no-turbo-inlining). */
  keepInlining: boolean;
}

export interface ServiceConfig {
  command: string[];
  cwd: string;
  env: Record<string, string>;
  readyTimeoutMs: number;
  cpuProfile: boolean;
}

export interface ResourcesConfig {
  /** 'service': the process of `service` (known only once it runs). */
  probe: ResourceSpec | 'service';
  intervalMs: number;
}

/** Rightsizing settings as the pure rightsizing module takes them. */
export type RightsizingConfig = RightsizingSettings;

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

function bytes(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/.exec(text)!;
  return Number(m[1]) * SIZE_UNITS[m[2]!]!;
}

interface ScenarioFile {
  abs: string;
  shown: string;
  analysis: FileAnalysis<RawScenario>;
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const file = path.resolve(cwd, options.configPath);
  const dir = path.dirname(file);
  const shown = (abs: string): string => displayPath(cwd, abs);
  const configShown = shown(file);

  const text = await readText(file);
  if (typeof text !== 'string') {
    throw new ConfigError([
      {
        file: configShown,
        path: '',
        message:
          text.code === 'ENOENT'
            ? `config file not found: ${file} (create it, or point --config at it)`
            : `cannot read the config file: ${text.message}`,
      },
    ]);
  }

  const issues: ConfigIssue[] = [];
  const secrets = new Set<string>();
  const config = analyzeText(configSchema, text, configShown, options.env, { emptyAs: {} });
  issues.push(...config.issues);
  config.secrets.forEach((secret) => secrets.add(secret));

  if (options.targetOverride !== undefined) {
    const problem = checkHttpUrl(options.targetOverride);
    if (problem !== undefined) {
      issues.push({
        file: '<command line>',
        path: '--target',
        message: problem,
        expected: URL_EXPECTED,
        found: describeValue(options.targetOverride),
      });
    }
  }

  // Scenario files are read even when the config is invalid, so that their problems show in the same run.
  const patterns = scenarioPatterns(config.value, config.data);
  const files: string[] = [];
  for (const { pattern, index } of patterns) {
    const matches = (
      await glob(pattern, { cwd: dir, absolute: true, onlyFiles: true, expandDirectories: false })
    )
      .map((match) => path.resolve(match))
      .sort();
    if (matches.length === 0) {
      const fieldPath = index === undefined ? ['scenarios'] : ['scenarios', index];
      const located = config.locate(fieldPath);
      issues.push({
        file: configShown,
        ...(located.exact ? { line: located.line, column: located.column } : {}),
        path: located.exact ? (index === undefined ? 'scenarios' : `scenarios[${index}]`) : 'scenarios',
        message: located.exact
          ? `no file matches '${pattern}' (relative to ${dir})`
          : `no scenario files: the default pattern '${pattern}' matches nothing in ${dir} (set 'scenarios' in the config)`,
      });
    }
    for (const match of matches) if (!files.includes(match)) files.push(match);
  }

  const scenarioFiles: ScenarioFile[] = [];
  await Promise.all(
    files.map(async (abs, order) => {
      const scenarioText = await readText(abs);
      if (typeof scenarioText !== 'string') {
        issues.push({
          file: shown(abs),
          path: '',
          message: `cannot read the scenario file: ${scenarioText.message}`,
        });
        return;
      }
      const analysis = analyzeText(scenarioSchema, scenarioText, shown(abs), options.env);
      issues.push(...analysis.issues);
      analysis.secrets.forEach((secret) => secrets.add(secret));
      scenarioFiles[order] = { abs, shown: shown(abs), analysis };
    }),
  );

  // Names across files, then resolution (which needs a valid config).
  const scenarios: Scenario[] = [];
  const firstFile = new Map<string, string>();
  for (const scenarioFile of scenarioFiles) {
    const raw = scenarioFile?.analysis.value;
    if (scenarioFile === undefined || raw === undefined) continue;
    const other = firstFile.get(raw.name);
    if (other !== undefined) {
      const { line, column } = scenarioFile.analysis.locate(['name']);
      issues.push({
        file: scenarioFile.shown,
        line,
        column,
        path: 'name',
        message: `duplicate scenario name (also in ${other})`,
        expected: 'a scenario name unique across all scenario files',
        found: describeValue(raw.name),
      });
      continue;
    }
    firstFile.set(raw.name, scenarioFile.shown);
    if (config.value === undefined) continue;
    try {
      const scenario = resolveScenario(raw, config.value, {
        file: scenarioFile.shown,
        baseDir: path.dirname(scenarioFile.abs),
        ...(options.targetOverride !== undefined ? { targetOverride: options.targetOverride } : {}),
      });
      if (scenario.k6?.script) {
        // The script's text is part of what is measured: its hash goes into the fingerprint.
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
          continue;
        }
        scenario.k6.scriptSha256 = createHash('sha256').update(script).digest('hex');
      }
      scenarios.push(scenario);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // --target problems are reported once, above.
      issues.push(...error.issues.filter((issue) => issue.path !== '--target'));
    }
  }

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

/** service, resources and rightsizing, resolved; a price table that cannot be used is a ConfigError. */
async function resolveExtras(
  value: RawConfig,
  dir: string,
  file: string,
  locate: (path: Array<string | number>) => { line: number; column: number },
): Promise<Pick<LoadedConfig, 'service' | 'resources' | 'rightsizing' | 'profiling'>> {
  const out: Pick<LoadedConfig, 'service' | 'resources' | 'rightsizing' | 'profiling'> = {};
  const p = value.profile;
  if (p) {
    const side = (pprof?: string, inspector?: string): ProfilerTarget | undefined =>
      pprof !== undefined
        ? { kind: 'pprof', url: pprof }
        : inspector !== undefined
          ? { kind: 'inspector', url: inspector }
          : undefined;
    const target = side(p.pprof, p.inspector);
    const baselineTarget = side(p.baselinePprof, p.baselineInspector);
    out.profiling = {
      ...(target ? { target } : {}),
      ...(baselineTarget ? { baselineTarget } : {}),
      samplingIntervalUs: p.samplingInterval
        ? Math.max(1, Math.round(durationMs(p.samplingInterval) * 1000))
        : DEFAULT_SAMPLING_INTERVAL_US,
      keepInlining: p.keepInlining,
    };
  }
  if (value.service) {
    out.service = {
      command: value.service.command,
      cwd: path.resolve(dir, value.service.cwd ?? '.'),
      env: value.service.env ?? {},
      readyTimeoutMs: durationMs(value.service.readyTimeout),
      cpuProfile: value.service.cpuProfile,
    };
  }
  const r = value.resources;
  // A /metrics scrape makes the target collect its metrics: 1 s keeps that under 1 % of a core.
  const intervalMs = r?.interval ? durationMs(r.interval) : r?.metrics !== undefined ? 1000 : 250;
  if (r?.pid !== undefined) out.resources = { probe: { kind: 'pid', pid: r.pid }, intervalMs };
  else if (r?.cgroup !== undefined) out.resources = { probe: { kind: 'cgroup', path: r.cgroup }, intervalMs };
  else if (r?.metrics !== undefined)
    out.resources = { probe: { kind: 'metrics', url: r.metrics }, intervalMs };
  else if (value.service) out.resources = { probe: 'service', intervalMs };
  const rs = value.rightsizing;
  if (rs) {
    let table: PriceTable | undefined;
    if (rs.prices) {
      const abs = path.resolve(dir, rs.prices);
      const text = await readText(abs);
      const problem = (message: string): never => {
        const { line, column } = locate(['rightsizing', 'prices']);
        throw new ConfigError([{ file, line, column, path: 'rightsizing.prices', message }]);
      };
      if (typeof text !== 'string')
        problem(`cannot read the price table ${abs}: ${text.code ?? text.message}`);
      let data: unknown;
      try {
        data = JSON.parse(text as string);
      } catch (err) {
        problem(`the price table ${abs} is not valid JSON: ${(err as Error).message}`);
      }
      const checked = validatePriceTable(data);
      if (!checked.ok) problem(`the price table ${abs} is invalid: ${checked.errors.slice(0, 5).join('; ')}`);
      else table = checked.table;
    }
    const current: CurrentAllocation | undefined = rs.current
      ? 'instance' in rs.current
        ? { instanceType: rs.current.instance }
        : {
            cpuCores: rs.current.cpu,
            memoryBytes: bytes(rs.current.memory),
            ...(rs.current.hourlyUsd !== undefined ? { hourlyUsd: rs.current.hourlyUsd } : {}),
          }
      : undefined;
    out.rightsizing = {
      ...(rs.targetRps !== undefined ? { targetRps: rs.targetRps } : {}),
      ...(rs.runtime ? { runtime: rs.runtime } : {}),
      ...(rs.provider ? { provider: rs.provider } : {}),
      ...(table ? { table } : {}),
      ...(rs.families ? { families: rs.families } : {}),
      ...(current ? { current } : {}),
      ...(rs.cpuHeadroom !== undefined ? { cpuHeadroom: rs.cpuHeadroom } : {}),
      ...(rs.memoryHeadroom !== undefined ? { memoryHeadroom: rs.memoryHeadroom } : {}),
    };
  }
  return out;
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

async function readText(file: string): Promise<string | NodeJS.ErrnoException> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}

/** Relative to cwd when the file is below it (short, and what CI annotations expect), else absolute. */
function displayPath(cwd: string, abs: string): string {
  const relative = path.relative(cwd, abs);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : abs;
}
