// Scenario resolution: a validated raw scenario merged with the config defaults into the `Scenario` that
// runners consume (target, requests with their headers and bodies, load model, durations in ms, k6 paths).

import path from 'node:path';
import type { GeneratorLimits, K6Options, RequestSpec, Scenario } from '../../scenario/model.ts';
import type { LoadModel, RunnerKind } from '../../contracts/run-result.ts';
import { durationMs } from './durations.ts';
import { ConfigError, describeValue } from './errors.ts';
import {
  checkHttpUrl,
  URL_EXPECTED,
  type RawConfig,
  type RawExpect,
  type RawK6,
  type RawLoad,
  type RawRequest,
  type RawScenario,
} from './schema.ts';

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
