// A resource probe samples what the target consumes while a trial runs: start() when the measured window
// begins, stop() when it ends. It never throws out of stop(): whatever could not be measured is listed in
// `missing` with the reason, and the rest is still reported.
//
// The caller starts the probe for a measured trial (the discarded warm-up trial comes before), so the
// whole probe window is steady state; `excludeFirstMs` can drop a settling period on top of that.
import type { ResourceSourceKind, ResourceTrial } from '../../../contracts/run-result.ts';
import { quantileType7 } from '../../../stats/quantile.ts';
import { CgroupReader, cgroupDirOfPid, type CgroupLimits } from './cgroup.ts';
import { createScrapeAgents, displayUrl, scrapeMetrics, type ScrapeAgents } from './metrics-url.ts';
import { ProcTreeReader, ProcessGoneError } from './proc.ts';

export type ResourceSpec =
  /** A local process and all its descendants, read from /proc. */
  | { kind: 'pid'; pid: number }
  /** A cgroup v2 directory (container, systemd service), or the cgroup v2 group of a local pid. */
  | { kind: 'cgroup'; path: string; pid?: never }
  | { kind: 'cgroup'; pid: number; path?: never }
  /** A Prometheus /metrics URL exporting process_cpu_seconds_total / process_resident_memory_bytes. */
  | { kind: 'metrics'; url: string; timeoutMs?: number; headers?: Record<string, string> };

export interface ResourceProbe {
  /** Starts sampling at once (the first reading is taken immediately). */
  start(): void;
  /** Resolves when the first reading is in (or failed): await it before starting load. */
  ready(): Promise<void>;
  /** Takes a last reading, stops, and summarises the window. Never rejects. */
  stop(): Promise<ResourceTrial>;
}

export interface ResourceProbeOptions {
  /** Sampling interval in ms; default 250. */
  intervalMs?: number;
  /** Readings in the first `excludeFirstMs` after start() are not used; default 0. */
  excludeFirstMs?: number;
  /** Root of procfs (tests); default /proc. */
  procRoot?: string;
}

export const DEFAULT_SAMPLE_INTERVAL_MS = 250;

/** One reading of a source. Cumulative counters are monotonic within a session. */
export interface Reading {
  /** performance.now() when the values were taken. */
  atMs: number;
  cpuSeconds?: number;
  memoryBytes?: number;
  workingSetBytes?: number;
  /** A peak known to have happened after the previous reading and no later than this one. */
  peakHintBytes?: number;
  cpuPeriods?: number;
  throttledPeriods?: number;
  throttledUsec?: number;
  oomKills?: number;
  processes?: number;
  eventLoopLagP99Ms?: number;
}

interface Session {
  kind: ResourceSourceKind;
  source: string;
  /** RSS-based sources: the working set is the resident set. */
  workingSetIsPeak: boolean;
  begin(): Promise<void>;
  /** @throws TerminalError when no further reading can ever succeed. */
  read(): Promise<Reading>;
  finish(): Promise<{ limits?: CgroupLimits; missing: string[] }>;
}

/** The source is gone for good (the process exited): stop sampling. */
class TerminalError extends Error {}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Milliseconds per request from a trial's CPU seconds; undefined when either side is unknown or zero. */
export function cpuMsPerRequest(
  trial: Pick<ResourceTrial, 'cpuSeconds'>,
  requests: number,
): number | undefined {
  if (trial.cpuSeconds === undefined || !Number.isFinite(trial.cpuSeconds)) return undefined;
  if (!Number.isFinite(requests) || requests <= 0) return undefined;
  return round((trial.cpuSeconds * 1000) / requests, 6);
}

/**
 * Summarises the readings of a window into the measured part of a ResourceTrial (pure).
 * Counters are differenced between the first and the last reading that carry them.
 */
export function summarizeReadings(
  readings: readonly Reading[],
  options: { workingSetIsPeak?: boolean } = {},
): Omit<ResourceTrial, 'kind' | 'source' | 'missing'> & { missing: string[] } {
  const missing: string[] = [];
  const first = readings[0];
  const last = readings[readings.length - 1];
  const out: Omit<ResourceTrial, 'kind' | 'source' | 'missing'> & { missing: string[] } = {
    windowMs: first && last ? Math.round(last.atMs - first.atMs) : 0,
    samples: readings.length,
    missing,
  };
  const cpu = readings.filter((r) => r.cpuSeconds !== undefined);
  if (cpu.length >= 2) {
    const rates: number[] = [];
    for (let i = 1; i < cpu.length; i++) {
      const dt = (cpu[i]!.atMs - cpu[i - 1]!.atMs) / 1000;
      if (dt > 0) rates.push(Math.max(0, cpu[i]!.cpuSeconds! - cpu[i - 1]!.cpuSeconds!) / dt);
    }
    const seconds = Math.max(0, cpu[cpu.length - 1]!.cpuSeconds! - cpu[0]!.cpuSeconds!);
    const span = (cpu[cpu.length - 1]!.atMs - cpu[0]!.atMs) / 1000;
    out.cpuSeconds = round(seconds, 6);
    if (span > 0 && rates.length > 0) {
      out.cpuCoresMean = round(seconds / span, 4);
      out.cpuCoresP95 = round(quantileType7(rates, 0.95), 4);
      out.cpuCoresMax = round(Math.max(...rates), 4);
    }
  } else {
    missing.push(`CPU: needs at least two readings with CPU time, got ${cpu.length}`);
  }
  let peak: number | undefined;
  let workingSet: number | undefined;
  readings.forEach((r, i) => {
    if (r.memoryBytes !== undefined) peak = Math.max(peak ?? 0, r.memoryBytes);
    // The first reading's hint refers to the time before the window.
    if (i > 0 && r.peakHintBytes !== undefined) peak = Math.max(peak ?? 0, r.peakHintBytes);
    if (r.workingSetBytes !== undefined) workingSet = Math.max(workingSet ?? 0, r.workingSetBytes);
  });
  if (peak !== undefined) out.memoryPeakBytes = Math.round(peak);
  if (options.workingSetIsPeak) workingSet = peak;
  if (workingSet !== undefined) out.memoryWorkingSetBytes = Math.round(workingSet);
  if (peak === undefined && workingSet === undefined && readings.length > 0) {
    missing.push('memory: no reading carried a memory figure');
  }
  const delta = (key: 'cpuPeriods' | 'throttledPeriods' | 'throttledUsec' | 'oomKills') => {
    const with_ = readings.filter((r) => r[key] !== undefined);
    if (with_.length < 2) return undefined;
    return Math.max(0, with_[with_.length - 1]![key]! - with_[0]![key]!);
  };
  const periods = delta('cpuPeriods');
  const throttled = delta('throttledPeriods');
  const throttledUsec = delta('throttledUsec');
  const ooms = delta('oomKills');
  if (periods !== undefined) out.cpuPeriods = periods;
  if (throttled !== undefined) out.throttledPeriods = throttled;
  if (throttledUsec !== undefined) out.throttledSeconds = round(throttledUsec / 1e6, 6);
  if (ooms !== undefined) out.oomKills = ooms;
  const procs = readings.map((r) => r.processes).filter((p): p is number => p !== undefined);
  if (procs.length > 0) out.processes = Math.max(...procs);
  const lags = readings.map((r) => r.eventLoopLagP99Ms).filter((p): p is number => p !== undefined);
  if (lags.length > 0) out.eventLoopLagP99Ms = round(Math.max(...lags), 3);
  return out;
}

function midpoint(t0: number): number {
  return (t0 + performance.now()) / 2;
}

function pidSession(pid: number, procRoot: string | undefined): Session {
  const reader = new ProcTreeReader(pid, { procRoot });
  let seen = false;
  return {
    kind: 'pid',
    source: `pid ${pid} and its descendants`,
    workingSetIsPeak: true,
    async begin() {},
    async read() {
      const t0 = performance.now();
      try {
        const r = await reader.read();
        seen = true;
        const reading: Reading = {
          atMs: midpoint(t0),
          cpuSeconds: r.cpuSeconds,
          memoryBytes: r.rssBytes,
          processes: r.processes,
        };
        if (r.newHighWaterBytes !== undefined) reading.peakHintBytes = r.newHighWaterBytes;
        return reading;
      } catch (err) {
        if (err instanceof ProcessGoneError)
          throw new TerminalError(seen ? `pid ${pid} exited` : `pid ${pid} is not running`);
        throw err;
      }
    },
    async finish() {
      return { missing: [] };
    },
  };
}

function cgroupSession(spec: { path?: string; pid?: number }, procRoot: string | undefined): Session {
  let reader: CgroupReader | undefined;
  let limitsAtBegin: CgroupLimits = {};
  const session: Session = {
    kind: 'cgroup',
    source: spec.path !== undefined ? `cgroup ${spec.path}` : `cgroup of pid ${spec.pid}`,
    workingSetIsPeak: false,
    async begin() {
      let dir = spec.path;
      if (dir === undefined) {
        try {
          dir = await cgroupDirOfPid(spec.pid!, procRoot);
        } catch (err) {
          throw new TerminalError((err as Error).message);
        }
        session.source = `cgroup ${dir} (of pid ${spec.pid})`;
      }
      reader = new CgroupReader(dir);
      await reader.begin();
      limitsAtBegin = await reader.limits();
    },
    async read() {
      if (!reader) throw new TerminalError('cgroup not resolved');
      const t0 = performance.now();
      const r = await reader.read();
      const at = midpoint(t0);
      if (r.usageUsec === undefined && r.memoryCurrent === undefined) {
        throw new Error(`neither cpu.stat nor memory.current readable in ${reader.dir}`);
      }
      const reading: Reading = { atMs: at };
      if (r.usageUsec !== undefined) reading.cpuSeconds = r.usageUsec / 1e6;
      if (r.memoryCurrent !== undefined) reading.memoryBytes = r.memoryCurrent;
      if (r.workingSet !== undefined) reading.workingSetBytes = r.workingSet;
      if (r.memoryPeak !== undefined) {
        // memory.peak only rises: a rise means the (window's) peak was reached since the last reading.
        if (lastPeak !== undefined && r.memoryPeak > lastPeak) reading.peakHintBytes = r.memoryPeak;
        lastPeak = r.memoryPeak;
      }
      if (r.nrPeriods !== undefined) reading.cpuPeriods = r.nrPeriods;
      if (r.nrThrottled !== undefined) reading.throttledPeriods = r.nrThrottled;
      if (r.throttledUsec !== undefined) reading.throttledUsec = r.throttledUsec;
      if (r.oomKill !== undefined) reading.oomKills = r.oomKill;
      return reading;
    },
    async finish() {
      if (!reader) return { missing: [] };
      const limits = await reader.limits();
      await reader.close();
      return {
        limits: {
          ...limitsAtBegin,
          ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
        },
        missing: [...reader.problems],
      };
    },
  };
  let lastPeak: number | undefined;
  return session;
}

function metricsSession(spec: Extract<ResourceSpec, { kind: 'metrics' }>): Session {
  const shown = displayUrl(spec.url);
  const notes = new Set<string>();
  let startTime: number | undefined;
  let lastRaw: number | undefined;
  let offset = 0;
  let agents: ScrapeAgents | undefined;
  return {
    kind: 'metrics',
    source: `metrics ${shown}`,
    workingSetIsPeak: true,
    async begin() {
      agents = createScrapeAgents();
    },
    async read() {
      const s = await scrapeMetrics(spec.url, {
        timeoutMs: spec.timeoutMs ?? 2000,
        headers: spec.headers,
        agents,
      });
      const reading: Reading = { atMs: s.atMs };
      const restarted =
        s.startTimeSeconds !== undefined && startTime !== undefined && s.startTimeSeconds !== startTime;
      if (s.startTimeSeconds !== undefined) startTime = s.startTimeSeconds;
      if (s.cpuSeconds !== undefined) {
        // A counter that went down, or a new start time, is a restart: count from zero again (as
        // PromQL's rate() does), so the window's CPU stays a sum of increases.
        if (lastRaw !== undefined && (restarted || s.cpuSeconds < lastRaw)) {
          offset += lastRaw;
          notes.add(`the target restarted during the window (${shown}): CPU counted across the restart`);
        }
        lastRaw = s.cpuSeconds;
        reading.cpuSeconds = s.cpuSeconds + offset;
      } else {
        notes.add(`${shown} does not export process_cpu_seconds_total`);
      }
      if (s.residentBytes !== undefined) reading.memoryBytes = s.residentBytes;
      else notes.add(`${shown} does not export process_resident_memory_bytes`);
      if (s.eventLoopLagP99Ms !== undefined) reading.eventLoopLagP99Ms = s.eventLoopLagP99Ms;
      return reading;
    },
    async finish() {
      agents?.destroy();
      return { missing: [...notes] };
    },
  };
}

function sessionFor(spec: ResourceSpec, options: ResourceProbeOptions): Session {
  switch (spec.kind) {
    case 'pid':
      return pidSession(spec.pid, options.procRoot);
    case 'cgroup':
      return cgroupSession(spec, options.procRoot);
    case 'metrics':
      return metricsSession(spec);
  }
}

/** Creates a probe for one trial window. A probe is single-use: start() once, stop() once. */
export function createResourceProbe(spec: ResourceSpec, options: ResourceProbeOptions = {}): ResourceProbe {
  const intervalMs = options.intervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
  const excludeFirstMs = options.excludeFirstMs ?? 0;
  if (!(intervalMs >= 10)) throw new RangeError(`intervalMs must be at least 10, got ${intervalMs}`);
  const session = sessionFor(spec, options);
  const readings: Reading[] = [];
  const failures = new Map<string, number>();
  let attempts = 0;
  let terminal: { reason: string; atMs: number } | undefined;
  let startedAt = 0;
  let begun: Promise<boolean> | undefined;
  let begunOk = false;
  let inFlight: Promise<void> | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopped: Promise<ResourceTrial> | undefined;
  let firstReading: Promise<void> | undefined;

  const sampleOnce = (): Promise<void> => {
    if (terminal) return Promise.resolve();
    attempts++;
    const p = session.read().then(
      (r) => {
        readings.push(r);
      },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof TerminalError) terminal = { reason: message, atMs: performance.now() };
        else failures.set(message, (failures.get(message) ?? 0) + 1);
      },
    );
    inFlight = p;
    return p;
  };

  const tick = () => {
    // Never overlap readings: a slow scrape delays the next one instead of piling up.
    if (!begunOk || inFlight) return;
    void sampleOnce().finally(() => {
      inFlight = undefined;
    });
  };

  const summarise = async (): Promise<ResourceTrial> => {
    const ok = await (begun ?? Promise.resolve(false));
    if (inFlight) await inFlight;
    if (ok) await sampleOnce();
    const missing: string[] = [];
    let limits: CgroupLimits | undefined;
    try {
      const fin = await session.finish();
      limits = fin.limits;
      missing.push(...fin.missing);
    } catch (err) {
      missing.push(`finishing the ${session.kind} probe failed: ${(err as Error).message}`);
    }
    const windowStart = startedAt + excludeFirstMs;
    const used = readings.filter((r) => r.atMs >= windowStart).sort((a, b) => a.atMs - b.atMs);
    const summary = summarizeReadings(used, { workingSetIsPeak: session.workingSetIsPeak });
    if (terminal) {
      const after = ((terminal.atMs - startedAt) / 1000).toFixed(1);
      missing.unshift(
        readings.length === 0
          ? `${terminal.reason} before the first reading: nothing measured`
          : `${terminal.reason} ${after} s into the window: figures cover only the ${(summary.windowMs / 1000).toFixed(1)} s before`,
      );
    }
    for (const [message, count] of failures) {
      missing.push(`${count} of ${attempts} readings failed: ${message}`);
    }
    missing.push(...summary.missing);
    const trial: ResourceTrial = {
      kind: session.kind,
      source: session.source,
      ...summary,
      missing: [...new Set(missing)],
    };
    if (limits?.cpuLimitCores != null) trial.cpuLimitCores = round(limits.cpuLimitCores, 4);
    if (limits?.memoryLimitBytes != null) trial.memoryLimitBytes = limits.memoryLimitBytes;
    return trial;
  };

  return {
    start() {
      if (begun) return;
      startedAt = performance.now();
      begun = session.begin().then(
        () => (begunOk = true),
        (err: unknown) => {
          terminal = { reason: err instanceof Error ? err.message : String(err), atMs: performance.now() };
          return false;
        },
      );
      firstReading = begun.then((ok) =>
        ok ? sampleOnce().finally(() => (inFlight = undefined)) : undefined,
      );
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    ready() {
      return firstReading ?? Promise.resolve();
    },
    stop() {
      stopped ??= (async () => {
        if (timer) clearInterval(timer);
        if (!begun) {
          return {
            kind: session.kind,
            source: session.source,
            windowMs: 0,
            samples: 0,
            missing: ['the probe was never started'],
          };
        }
        try {
          await firstReading;
          return await summarise();
        } catch (err) {
          // Defensive: a bug in summarising must not fail the trial.
          return {
            kind: session.kind,
            source: session.source,
            windowMs: 0,
            samples: 0,
            missing: [`resource probe failed: ${err instanceof Error ? err.message : String(err)}`],
          };
        }
      })();
      return stopped;
    },
  };
}
