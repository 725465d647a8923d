// Per-trial, per-request-name sinks: latency histogram of successful responses, status counts, errors,
// bytes. Runners call these from their hot paths, so they stay allocation-free per response.
import {
  createLatencyHistogram,
  encodeHistogram,
  recordLatencyMs,
  summarizeHistogram,
  type LatencyHistogram,
} from './latency-histogram.ts';
import type { RequestSpec } from '../../scenario/model.ts';
import type { RequestTrialResult, StatusClass } from '../../contracts/run-result.ts';
import { ServerTimingAccumulator } from '../../attribution/server-timing.ts';

export class RequestSink {
  readonly histogram: LatencyHistogram = createLatencyHistogram();
  ok = 0;
  unexpectedStatus = 0;
  timeouts = 0;
  connectionErrors = 0;
  notSent = 0;
  bytes = 0;
  private readonly statusCounts = new Map<number, number>();
  /** Socket errors by their code (ECONNREFUSED, ECONNRESET, ...), to name what went wrong. */
  private readonly connectionCodes = new Map<string, number>();
  private readonly expected: Set<number>;

  constructor(readonly spec: RequestSpec) {
    this.expected = new Set(spec.expectStatus);
  }

  recordResponse(status: number, latencyMs: number, bytes: number): void {
    this.statusCounts.set(status, (this.statusCounts.get(status) ?? 0) + 1);
    this.bytes += bytes;
    if (this.expected.has(status)) {
      this.ok++;
      recordLatencyMs(this.histogram, latencyMs);
    } else {
      this.unexpectedStatus++;
    }
  }

  /**
   * Rate model: a request that was due and never sent because the target held every connection. Its
   * latency (from its schedule to the window's end, a lower bound) goes into the histogram; it is
   * neither a response nor an attempt.
   */
  recordNotSent(latencyMs: number): void {
    this.notSent++;
    recordLatencyMs(this.histogram, latencyMs);
  }

  recordTimeout(): void {
    this.timeouts++;
  }

  recordConnectionError(code?: string): void {
    this.connectionErrors++;
    const key = code || 'other';
    this.connectionCodes.set(key, (this.connectionCodes.get(key) ?? 0) + 1);
  }

  /** Running counts, read while the trial runs to spot a dead or failing target early. */
  tally(into: FailureTally): void {
    into.ok += this.ok;
    into.timeouts += this.timeouts;
    into.connection += this.connectionErrors;
    for (const [code, n] of this.statusCounts) {
      if (this.expected.has(code)) continue;
      into.unexpectedStatus += n;
      into.statusCodes[code] = (into.statusCodes[code] ?? 0) + n;
    }
    for (const [code, n] of this.connectionCodes) {
      into.connectionCodes[code] = (into.connectionCodes[code] ?? 0) + n;
    }
  }

  get attempts(): number {
    let responses = 0;
    for (const n of this.statusCounts.values()) responses += n;
    return responses + this.timeouts + this.connectionErrors;
  }

  toResult(windowMs: number): RequestTrialResult {
    const statusCodes: Record<string, number> = {};
    const statusClasses: Record<StatusClass, number> = {
      '1xx': 0,
      '2xx': 0,
      '3xx': 0,
      '4xx': 0,
      '5xx': 0,
      other: 0,
    };
    for (const [code, n] of [...this.statusCounts].sort((a, b) => a[0] - b[0])) {
      statusCodes[String(code)] = n;
      statusClasses[statusClassOf(code)] += n;
    }
    const attempts = this.attempts;
    const failed = this.unexpectedStatus + this.timeouts + this.connectionErrors;
    return {
      name: this.spec.name,
      attempts,
      ok: this.ok,
      errors: {
        unexpectedStatus: this.unexpectedStatus,
        timeouts: this.timeouts,
        connection: this.connectionErrors,
      },
      errorRate: attempts === 0 ? 0 : failed / attempts,
      ...(this.notSent ? { notSent: this.notSent } : {}),
      ...(this.connectionCodes.size
        ? { connectionErrorCodes: Object.fromEntries([...this.connectionCodes].sort()) }
        : {}),
      statusCodes,
      statusClasses,
      bytes: this.bytes,
      throughput: windowMs > 0 ? (this.ok * 1000) / windowMs : 0,
      latencyUs: summarizeHistogram(this.histogram),
      histogram: encodeHistogram(this.histogram),
    };
  }
}

/** Counts of failures (and successes) summed over request names; see `TrialRecorder.tally`. */
export interface FailureTally {
  ok: number;
  unexpectedStatus: number;
  timeouts: number;
  connection: number;
  /** Unexpected statuses only, by code. */
  statusCodes: Record<number, number>;
  connectionCodes: Record<string, number>;
}

export function emptyTally(): FailureTally {
  return { ok: 0, unexpectedStatus: 0, timeouts: 0, connection: 0, statusCodes: {}, connectionCodes: {} };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

export function statusClassOf(code: number): StatusClass {
  if (code >= 100 && code < 600) return `${Math.floor(code / 100)}xx` as StatusClass;
  return 'other';
}

/** One sink per request name, in the scenario's order. */
export class TrialRecorder {
  readonly sinks: RequestSink[];
  /** Server-Timing phases per request name (the target's own account of where time went). */
  readonly serverTiming = new ServerTimingAccumulator();
  private readonly byName = new Map<string, RequestSink>();

  constructor(requests: readonly RequestSpec[]) {
    this.sinks = requests.map((r) => new RequestSink(r));
    for (const s of this.sinks) this.byName.set(s.spec.name, s);
  }

  /** The sink of a request name; engines that learn names while running (k6 `name` tags) add sinks. */
  sinkFor(name: string, spec?: Omit<RequestSpec, 'name'>): RequestSink {
    let sink = this.byName.get(name);
    if (!sink) {
      sink = new RequestSink({
        name,
        ...(spec ?? { method: 'GET', path: '/', headers: {}, expectStatus: range(200, 400), weight: 1 }),
      });
      this.byName.set(name, sink);
      this.sinks.push(sink);
    }
    return sink;
  }

  results(windowMs: number): RequestTrialResult[] {
    return this.sinks.map((s) => s.toResult(windowMs));
  }

  get attempts(): number {
    return this.sinks.reduce((n, s) => n + s.attempts, 0);
  }

  get ok(): number {
    return this.sinks.reduce((n, s) => n + s.ok, 0);
  }

  tally(): FailureTally {
    const t = emptyTally();
    for (const s of this.sinks) s.tally(t);
    return t;
  }
}
