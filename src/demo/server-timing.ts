// Phase timing for the demo service and formatting of the W3C `Server-Timing` response header
// (https://www.w3.org/TR/server-timing/): `db;dur=2.1, fees;dur=0.35;desc="fee rules"`.
// Durations are milliseconds with at most 3 decimals. A phase timed twice is reported once, summed.

import { performance } from 'node:perf_hooks';

export type DemoPhase = 'auth' | 'db' | 'fees' | 'fx' | 'render';

export interface ServerTimingEntry {
  name: string;
  /** Milliseconds. */
  dur: number;
  desc?: string;
}

/** RFC 9110 token: the metric name of a Server-Timing entry must be one. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isServerTimingToken(name: string): boolean {
  return TOKEN.test(name);
}

/** Milliseconds rounded to 3 decimals, as a plain decimal (never exponent notation, never -0). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0';
  const rounded = Math.round(ms * 1000) / 1000;
  return rounded === 0 ? '0' : String(rounded);
}

function quote(text: string): string {
  // quoted-string: escape backslash and double quote; drop control characters a header cannot carry.
  // eslint-disable-next-line no-control-regex
  return `"${text.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function formatServerTiming(entries: readonly ServerTimingEntry[]): string {
  return entries
    .map((e) => {
      if (!isServerTimingToken(e.name)) throw new Error(`invalid Server-Timing metric name: ${e.name}`);
      let out = `${e.name};dur=${formatDuration(e.dur)}`;
      if (e.desc !== undefined && e.desc !== '') out += `;desc=${quote(e.desc)}`;
      return out;
    })
    .join(', ');
}

/** Collects the phases of one request. */
export class ServerTiming {
  private readonly entries = new Map<string, ServerTimingEntry>();

  /** Adds `ms` to phase `name` (creating it, in first-seen order). */
  add(name: string, ms: number, desc?: string): void {
    if (!isServerTimingToken(name)) throw new Error(`invalid Server-Timing metric name: ${name}`);
    const entry = this.entries.get(name);
    if (entry === undefined) {
      this.entries.set(name, desc === undefined ? { name, dur: ms } : { name, dur: ms, desc });
    } else {
      entry.dur += ms;
      if (entry.desc === undefined && desc !== undefined) entry.desc = desc;
    }
  }

  /** Starts timing a phase; call the returned function to stop it. */
  start(name: string, desc?: string): () => void {
    const t0 = performance.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.add(name, performance.now() - t0, desc);
    };
  }

  timeSync<T>(name: string, fn: () => T, desc?: string): T {
    const stop = this.start(name, desc);
    try {
      return fn();
    } finally {
      stop();
    }
  }

  async time<T>(name: string, fn: () => Promise<T>, desc?: string): Promise<T> {
    const stop = this.start(name, desc);
    try {
      return await fn();
    } finally {
      stop();
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  toEntries(): ServerTimingEntry[] {
    return [...this.entries.values()].map((e) => ({ ...e }));
  }

  toHeader(): string {
    return formatServerTiming([...this.entries.values()]);
  }
}

/**
 * Parses a Server-Timing header value (lenient: unknown parameters are kept out, a missing dur is 0).
 * Used by the tests; the comparison side has its own parser.
 */
export function parseServerTiming(header: string): ServerTimingEntry[] {
  const out: ServerTimingEntry[] = [];
  // Split on commas outside quoted strings.
  const metrics: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i]!;
    if (inQuotes && c === '\\' && i + 1 < header.length) {
      current += c + header[++i]!;
      continue;
    }
    if (c === '"') inQuotes = !inQuotes;
    if (c === ',' && !inQuotes) {
      metrics.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  metrics.push(current);
  for (const metric of metrics) {
    const parts = splitParams(metric);
    const name = parts.shift()?.trim() ?? '';
    if (name === '') continue;
    const entry: ServerTimingEntry = { name, dur: 0 };
    for (const part of parts) {
      const eq = part.indexOf('=');
      const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
      let value = eq < 0 ? '' : part.slice(eq + 1).trim();
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
        value = value.slice(1, -1).replace(/\\(.)/g, '$1');
      }
      if (key === 'dur') entry.dur = Number(value);
      else if (key === 'desc') entry.desc = value;
    }
    out.push(entry);
  }
  return out;
}

function splitParams(metric: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let i = 0; i < metric.length; i++) {
    const c = metric[i]!;
    if (inQuotes && c === '\\' && i + 1 < metric.length) {
      current += c + metric[++i]!;
      continue;
    }
    if (c === '"') inQuotes = !inQuotes;
    if (c === ';' && !inQuotes) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}
