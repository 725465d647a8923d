// The optional sections of perf-gate.yml resolved for their consumers: profiling, the service perf-gate
// starts, the resource probe, and rightsizing (whose own price table is read and checked here).

import path from 'node:path';
import { DEFAULT_SAMPLING_INTERVAL_US, type ProfilerTarget } from '../measure/profiling/trial-profiler.ts';
import { validatePriceTable, type CurrentAllocation, type PriceTable } from '../rightsizing/index.ts';
import { durationMs } from './parse/durations.ts';
import { ConfigError } from './parse/errors.ts';
import type { Locator } from './parse/locate.ts';
import type { RawConfig } from './parse/schema.ts';
import { readText } from './read-text.ts';
import type { LoadedConfig, RightsizingConfig } from './settings.ts';
import type { ProfilingConfig, ResourcesConfig, ServiceConfig } from '../measure/settings.ts';

export type Extras = Pick<LoadedConfig, 'service' | 'resources' | 'rightsizing' | 'profiling'>;

/** service, resources, profiling and rightsizing, resolved; a price table that cannot be used is a ConfigError. */
export async function resolveExtras(
  value: RawConfig,
  dir: string,
  file: string,
  locate: Locator,
): Promise<Extras> {
  const profiling = value.profile ? resolveProfiling(value.profile) : undefined;
  const service = value.service ? resolveService(value.service, dir) : undefined;
  const resources = resolveResources(value);
  const rightsizing = value.rightsizing
    ? await resolveRightsizing(value.rightsizing, dir, file, locate)
    : undefined;
  return {
    ...(profiling ? { profiling } : {}),
    ...(service ? { service } : {}),
    ...(resources ? { resources } : {}),
    ...(rightsizing ? { rightsizing } : {}),
  };
}

function resolveProfiling(p: NonNullable<RawConfig['profile']>): ProfilingConfig {
  const side = (pprof?: string, inspector?: string): ProfilerTarget | undefined =>
    pprof !== undefined
      ? { kind: 'pprof', url: pprof }
      : inspector !== undefined
        ? { kind: 'inspector', url: inspector }
        : undefined;
  const target = side(p.pprof, p.inspector);
  const baselineTarget = side(p.baselinePprof, p.baselineInspector);
  return {
    ...(target ? { target } : {}),
    ...(baselineTarget ? { baselineTarget } : {}),
    samplingIntervalUs: p.samplingInterval
      ? Math.max(1, Math.round(durationMs(p.samplingInterval) * 1000))
      : DEFAULT_SAMPLING_INTERVAL_US,
    keepInlining: p.keepInlining,
  };
}

function resolveService(s: NonNullable<RawConfig['service']>, dir: string): ServiceConfig {
  return {
    command: s.command,
    cwd: path.resolve(dir, s.cwd ?? '.'),
    env: s.env ?? {},
    readyTimeoutMs: durationMs(s.readyTimeout),
    cpuProfile: s.cpuProfile,
  };
}

function resolveResources(value: RawConfig): ResourcesConfig | undefined {
  const r = value.resources;
  // A /metrics scrape makes the target collect its metrics: 1 s keeps that under 1 % of a core.
  const intervalMs = r?.interval ? durationMs(r.interval) : r?.metrics !== undefined ? 1000 : 250;
  if (r?.pid !== undefined) return { probe: { kind: 'pid', pid: r.pid }, intervalMs };
  if (r?.cgroup !== undefined) return { probe: { kind: 'cgroup', path: r.cgroup }, intervalMs };
  if (r?.metrics !== undefined) return { probe: { kind: 'metrics', url: r.metrics }, intervalMs };
  if (value.service) return { probe: 'service', intervalMs };
  return undefined;
}

async function resolveRightsizing(
  rs: NonNullable<RawConfig['rightsizing']>,
  dir: string,
  file: string,
  locate: Locator,
): Promise<RightsizingConfig> {
  const table = rs.prices ? await readPriceTable(path.resolve(dir, rs.prices), file, locate) : undefined;
  const current: CurrentAllocation | undefined = rs.current
    ? 'instance' in rs.current
      ? { instanceType: rs.current.instance }
      : {
          cpuCores: rs.current.cpu,
          memoryBytes: bytes(rs.current.memory),
          ...(rs.current.hourlyUsd !== undefined ? { hourlyUsd: rs.current.hourlyUsd } : {}),
        }
    : undefined;
  return {
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

/** The user's own price table: a problem with it is a ConfigError at `rightsizing.prices`. */
async function readPriceTable(abs: string, file: string, locate: Locator): Promise<PriceTable> {
  const problem = (message: string): never => {
    const { line, column } = locate(['rightsizing', 'prices']);
    throw new ConfigError([{ file, line, column, path: 'rightsizing.prices', message }]);
  };
  const text = await readText(abs);
  if (typeof text !== 'string')
    return problem(`cannot read the price table ${abs}: ${text.code ?? text.message}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return problem(`the price table ${abs} is not valid JSON: ${(err as Error).message}`);
  }
  const checked = validatePriceTable(data);
  if (!checked.ok)
    return problem(`the price table ${abs} is invalid: ${checked.errors.slice(0, 5).join('; ')}`);
  return checked.table;
}

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

/** A size the schema has checked ('4GiB', '512MB') in bytes. */
function bytes(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/.exec(text)!;
  return Number(m[1]) * SIZE_UNITS[m[2]!]!;
}
