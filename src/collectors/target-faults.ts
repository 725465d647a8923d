// Spots a dead or failing target while a trial runs, so the trial ends within about a second instead
// of loading a dead port for its whole duration, and names what went wrong (refused, reset, timed out,
// which HTTP statuses). Pure: it reads running counts and the elapsed time, the caller aborts the trial.
import { emptyTally, type FailureTally } from './request-recorder.ts';

export interface FaultWatchOptions {
  /** A window with failures and not one success is an error storm. */
  windowMs: number;
  /** No request completed at all (not even a timeout) for this long: the target hangs. */
  stallMs: number;
}

/** How long a window of pure failures must last before the trial is called failed. */
export const FAULT_WINDOW_MS = 1000;

interface Snapshot {
  at: number;
  tally: FailureTally;
}

export class TargetFaultWatch {
  private readonly history: Snapshot[] = [{ at: 0, tally: emptyTally() }];
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
    this.history.push({ at: elapsedMs, tally });
    // The newest snapshot at least one window old is the window's start.
    let start: Snapshot | undefined;
    while (this.history.length > 1 && this.history[1]!.at <= elapsedMs - this.options.windowMs) {
      this.history.shift();
    }
    if (this.history[0]!.at <= elapsedMs - this.options.windowMs) start = this.history[0];
    if (start) {
      const delta = subtract(tally, start.tally);
      if (delta.ok === 0 && failuresOf(delta) > 0) {
        const seconds = ((elapsedMs - start.at) / 1000).toFixed(1);
        return `target failing: every request in the last ${seconds} s failed (${describeFailures(delta)})`;
      }
    }
    if (elapsedMs - this.lastChangeAt >= this.options.stallMs) {
      return (
        `target not answering: no request completed for ${((elapsedMs - this.lastChangeAt) / 1000).toFixed(1)} s ` +
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
    // The oldest snapshot still inside the tail: everything since it failed?
    const start = [...this.history].reverse().find((h) => h.at <= elapsedMs - FAULT_TAIL_MS);
    if (!start) return undefined;
    const delta = subtract(tally, start.tally);
    if (delta.ok > 0 || failuresOf(delta) < FAULT_TAIL_MIN_FAILURES) return undefined;
    const seconds = ((elapsedMs - start.at) / 1000).toFixed(2);
    return `target failing: every request in the last ${seconds} s of the trial failed (${describeFailures(delta)})`;
  }
}

/** The shortest failing tail that makes a trial's end a fault (a target that died just before the end). */
export const FAULT_TAIL_MS = 250;
const FAULT_TAIL_MIN_FAILURES = 5;

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
