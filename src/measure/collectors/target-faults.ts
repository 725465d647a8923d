// Spots a dead or failing target while a trial runs, so the trial ends within about a second instead
// of loading a dead port for its whole duration, and names what went wrong (refused, reset, timed out,
// which HTTP statuses). Pure: it reads running counts and the elapsed time, the caller aborts the trial.
import { emptyTally, type FailureTally } from './request-recorder.ts';

export interface FaultWatchOptions {
  /** No success for this long while at least STORM_MIN_FAILURES requests failed: an error storm. */
  windowMs: number;
  /**
   * No success for this long while anything failed (a target that fails slowly, e.g. one timeout per
   * request timeout), or no request completed at all for this long (a hang).
   */
  stallMs: number;
}

/** How long pure failures must last before the trial is called failed. */
export const FAULT_WINDOW_MS = 1000;
/** Failures in a row, with no success, that make a storm (one or two may be a slow target's bad luck). */
const STORM_MIN_FAILURES = 3;
/** The shortest failing tail that makes a trial's end a fault (a target that died just before the end). */
export const FAULT_TAIL_MS = 250;
const FAULT_TAIL_MIN_FAILURES = 5;

interface Snapshot {
  at: number;
  tally: FailureTally;
}

export class TargetFaultWatch {
  /** The counts when a success was last seen (the start before any). */
  private lastOk: Snapshot = { at: 0, tally: emptyTally() };
  private lastChangeAt = 0;
  private lastCompleted = 0;

  constructor(private readonly options: FaultWatchOptions) {}

  /** Feeds the running counts; returns why the trial must stop, or undefined while the target is healthy. */
  observe(elapsedMs: number, tally: FailureTally): string | undefined {
    const completed = completedOf(tally);
    if (completed !== this.lastCompleted) {
      this.lastCompleted = completed;
      this.lastChangeAt = elapsedMs;
    }
    if (tally.ok !== this.lastOk.tally.ok) this.lastOk = { at: elapsedMs, tally };
    const since = subtract(tally, this.lastOk.tally);
    const failed = failuresOf(since);
    const quietMs = elapsedMs - this.lastOk.at;
    if (
      (failed >= STORM_MIN_FAILURES && quietMs >= this.options.windowMs) ||
      (failed > 0 && quietMs >= this.options.stallMs)
    ) {
      return `target failing: every request in the last ${seconds(quietMs, 1)} s failed (${describeFailures(since)})`;
    }
    if (elapsedMs - this.lastChangeAt >= this.options.stallMs) {
      return (
        `target not answering: no request completed for ${seconds(elapsedMs - this.lastChangeAt, 1)} s ` +
        '(it accepts connections but sends no response)'
      );
    }
    return undefined;
  }

  /**
   * At the trial's end: a target that died less than a window before it leaves a tail of failures that
   * `observe` had no time to call a fault; such a half-dead trial is not a measurement of the target.
   */
  finish(elapsedMs: number, tally: FailureTally): string | undefined {
    const fault = this.observe(elapsedMs, tally);
    if (fault) return fault;
    const since = subtract(tally, this.lastOk.tally);
    const quietMs = elapsedMs - this.lastOk.at;
    if (quietMs < FAULT_TAIL_MS || failuresOf(since) < FAULT_TAIL_MIN_FAILURES) return undefined;
    return `target failing: every request in the last ${seconds(quietMs, 2)} s of the trial failed (${describeFailures(since)})`;
  }
}

function seconds(ms: number, digits: number): string {
  return (ms / 1000).toFixed(digits);
}

function completedOf(t: FailureTally): number {
  return t.ok + failuresOf(t);
}

export function failuresOf(t: FailureTally): number {
  return t.unexpectedStatus + t.timeouts + t.connection;
}

function subtract(a: FailureTally, b: FailureTally): FailureTally {
  const diff = (x: Record<string, number>, y: Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(x)) {
      const d = v - (y[k] ?? 0);
      if (d > 0) out[k] = d;
    }
    return out;
  };
  return {
    ok: a.ok - b.ok,
    unexpectedStatus: a.unexpectedStatus - b.unexpectedStatus,
    timeouts: a.timeouts - b.timeouts,
    connection: a.connection - b.connection,
    statusCodes: diff(a.statusCodes, b.statusCodes),
    connectionCodes: diff(a.connectionCodes, b.connectionCodes),
  };
}

const CONNECTION_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ECONNABORTED: 'connection aborted',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connect timed out',
  ENOTFOUND: 'host not found',
  HPE_INVALID_CONSTANT: 'invalid HTTP response',
  EINCOMPLETE: 'response cut off',
};

/** "connection refused ×812", "HTTP 500 ×532", "3 timed out", most frequent first. */
export function describeFailures(t: FailureTally): string {
  const parts: Array<[string, number]> = [];
  for (const [code, n] of Object.entries(t.statusCodes)) parts.push([`HTTP ${code}`, n]);
  for (const [code, n] of Object.entries(t.connectionCodes)) {
    parts.push([
      CONNECTION_WORDS[code] ?? (code === 'other' ? 'connection error' : `connection error ${code}`),
      n,
    ]);
  }
  if (t.timeouts > 0) parts.push(['timed out without a response', t.timeouts]);
  return parts
    .sort((a, b) => b[1] - a[1])
    .map(([what, n]) => `${what} ×${n}`)
    .join(', ');
}
