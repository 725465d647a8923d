// W3C Server-Timing (https://w3c.github.io/server-timing/): parsing, per-trial aggregation and the
// baseline/candidate comparison of phases.
//
// Grammar (RFC 5234 with RFC 7230 `#`, `OWS`, `token`, `quoted-string`):
//   Server-Timing = #server-timing-metric
//   server-timing-metric = metric-name *( OWS ";" OWS server-timing-param )
//   server-timing-param = token OWS "=" OWS ( token / quoted-string )
// Rules kept from the spec: several header fields are one comma-joined list (commas inside quoted strings
// do not split); every entry is a metric, even repeated names; unknown params are ignored; a repeated param
// keeps its first occurrence; `dur` absent or not a number means 0; `desc` absent means "". Our choices: an
// entry whose name is not a token is malformed and skipped (the others survive); param names are compared
// case-insensitively; characters after a quoted value up to the next ";" are ignored.
import type { PhaseAggregate, RequestServerTiming, TrialServerTiming } from '../contracts/run-result.ts';

export interface ServerTimingMetric {
  name: string;
  /** Milliseconds; 0 when absent or invalid (see hasDur). */
  dur: number;
  /** True when a valid `dur` was given. */
  hasDur: boolean;
  desc: string;
}

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const isOws = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** Splits a header value on commas outside quoted strings. */
function splitList(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out;
}

/** Parses one metric (the text between commas); undefined when malformed or empty. */
function parseMetric(text: string): ServerTimingMetric | undefined {
  let i = 0;
  const n = text.length;
  const skipOws = (): void => {
    while (i < n && isOws(text[i])) i++;
  };
  skipOws();
  const nameStart = i;
  while (i < n && text[i] !== ';') i++;
  const name = text.slice(nameStart, i).replace(/[ \t]+$/, '');
  if (name === '' || !TCHAR.test(name)) return undefined;
  const params = new Map<string, string>();
  while (i < n) {
    i++; // ';'
    skipOws();
    const keyStart = i;
    while (i < n && text[i] !== '=' && text[i] !== ';') i++;
    const key = text
      .slice(keyStart, i)
      .replace(/[ \t]+$/, '')
      .toLowerCase();
    let value = '';
    if (i < n && text[i] === '=') {
      i++;
      skipOws();
      if (text[i] === '"') {
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < n) i++;
          value += text[i];
          i++;
        }
        // Anything after the closing quote up to the next ';' is extraneous.
        while (i < n && text[i] !== ';') i++;
      } else {
        const valueStart = i;
        while (i < n && text[i] !== ';') i++;
        value = text.slice(valueStart, i).replace(/[ \t]+$/, '');
      }
    }
    if (key !== '' && TCHAR.test(key) && !params.has(key)) params.set(key, value);
  }
  const durText = params.get('dur');
  const hasDur = durText !== undefined && FLOAT.test(durText);
  const dur = hasDur ? Number(durText) : 0;
  return {
    name,
    dur: Number.isFinite(dur) ? dur : 0,
    hasDur: hasDur && Number.isFinite(dur),
    desc: params.get('desc') ?? '',
  };
}

/** Parses Server-Timing header value(s); several fields are treated as one comma-joined list. */
export function parseServerTiming(
  header: string | readonly string[] | undefined | null,
): ServerTimingMetric[] {
  if (header === undefined || header === null) return [];
  const value = typeof header === 'string' ? header : header.join(',');
  const out: ServerTimingMetric[] = [];
  for (const part of splitList(value)) {
    const metric = parseMetric(part);
    if (metric !== undefined) out.push(metric);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Per-trial aggregation

interface RequestAccumulator {
  responses: number;
  latencySumMs: number;
  withServerTiming: number;
  phases: Map<string, { sumMs: number; entries: number; responses: number }>;
}

/** Streaming per-trial accumulator: memory proportional to request names × phase names. */
export class ServerTimingAccumulator {
  private readonly requests = new Map<string, RequestAccumulator>();

  /** Adds one response: its request name, its latency (ms) and its Server-Timing header value(s). */
  add(requestName: string, latencyMs: number, header: string | readonly string[] | undefined | null): void {
    let acc = this.requests.get(requestName);
    if (acc === undefined) {
      acc = { responses: 0, latencySumMs: 0, withServerTiming: 0, phases: new Map() };
      this.requests.set(requestName, acc);
    }
    acc.responses++;
    acc.latencySumMs += latencyMs;
    const metrics = parseServerTiming(header);
    if (metrics.length === 0) return;
    acc.withServerTiming++;
    // Same name several times in one response: summed, counted once as a response.
    const seen = new Set<string>();
    for (const m of metrics) {
      let phase = acc.phases.get(m.name);
      if (phase === undefined) acc.phases.set(m.name, (phase = { sumMs: 0, entries: 0, responses: 0 }));
      phase.sumMs += m.dur;
      phase.entries++;
      if (!seen.has(m.name)) {
        seen.add(m.name);
        phase.responses++;
      }
    }
  }

  result(): TrialServerTiming {
    const requests: Record<string, RequestServerTiming> = {};
    for (const [name, acc] of this.requests) {
      const meanLatencyMs = acc.responses > 0 ? acc.latencySumMs / acc.responses : 0;
      const phases: Record<string, PhaseAggregate> = {};
      for (const [phase, p] of acc.phases) {
        const meanMsPerRequest = acc.responses > 0 ? p.sumMs / acc.responses : 0;
        phases[phase] = {
          ...p,
          meanMsPerRequest,
          shareOfLatency: meanLatencyMs > 0 ? meanMsPerRequest / meanLatencyMs : 0,
        };
      }
      requests[name] = {
        responses: acc.responses,
        latencySumMs: acc.latencySumMs,
        meanLatencyMs,
        withServerTiming: acc.withServerTiming,
        phases,
      };
    }
    return { requests };
  }
}

export interface TimedResponse {
  requestName: string;
  latencyMs: number;
  serverTiming: string | readonly string[] | undefined | null;
}

/** Aggregates one trial's responses (see ServerTimingAccumulator for the streaming form). */
export function aggregateServerTiming(responses: Iterable<TimedResponse>): TrialServerTiming {
  const acc = new ServerTimingAccumulator();
  for (const r of responses) acc.add(r.requestName, r.latencyMs, r.serverTiming);
  return acc.result();
}

// ---------------------------------------------------------------------------------------------------------
// Baseline vs candidate

export interface PhaseShift {
  phase: string;
  /** Per-trial mean ms per request, for trial-level tests. */
  baselineTrialMeans: number[];
  candidateTrialMeans: number[];
  /** Median of the trial means, each side. */
  baselineMs: number;
  candidateMs: number;
  shiftMs: number;
  /** Median share of the request's mean latency, each side. */
  baselineShare: number;
  candidateShare: number;
  /**
   * shiftMs / latency shift, clamped to [0, 1], when latency grew; null otherwise. "This phase explains
   * about X % of the latency shift."
   */
  explainsShare: number | null;
  /** An envelope phase (e.g. `total`) contains the others; it is left out of the explained sum. */
  envelope: boolean;
  presence: 'both' | 'baseline-only' | 'candidate-only';
}

export interface RequestPhaseComparison {
  requestName: string;
  baselineLatencyTrialMeans: number[];
  candidateLatencyTrialMeans: number[];
  /** Median candidate trial mean latency − median baseline trial mean latency, ms. */
  latencyShiftMs: number;
  /** Phases by shift, largest increase first. */
  phases: PhaseShift[];
  /** Sum of the non-envelope phase shifts (assumes phases do not overlap), ms. */
  explainedMs: number;
  /** latencyShiftMs − explainedMs: network, queueing, un-instrumented work. */
  unexplainedMs: number;
  /** unexplainedMs / latencyShiftMs, null when latency did not grow. */
  unexplainedShare: number | null;
  /** Trials (each side) in which the request appeared. */
  baselineTrials: number;
  candidateTrials: number;
}

export interface ComparePhasesOptions {
  /** Phases that contain the others (default ['total']); compared but not summed. */
  envelopePhases?: readonly string[];
}

function medianOf(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Compares Server-Timing phases per request name: the trial-level estimate of each phase's shift is the
 * difference of the medians of the trial means. Requests present on one side only are skipped.
 */
export function comparePhases(
  baselineTrials: readonly TrialServerTiming[],
  candidateTrials: readonly TrialServerTiming[],
  options: ComparePhasesOptions = {},
): RequestPhaseComparison[] {
  const envelope = new Set(options.envelopePhases ?? ['total']);
  const names = new Set<string>();
  for (const t of [...baselineTrials, ...candidateTrials])
    for (const name of Object.keys(t.requests)) names.add(name);
  const out: RequestPhaseComparison[] = [];
  for (const requestName of [...names].sort()) {
    const base = baselineTrials
      .map((t) => t.requests[requestName])
      .filter((r) => r !== undefined && r.responses > 0);
    const cand = candidateTrials
      .map((t) => t.requests[requestName])
      .filter((r) => r !== undefined && r.responses > 0);
    if (base.length === 0 || cand.length === 0) continue;
    const baseLatency = base.map((r) => r!.meanLatencyMs);
    const candLatency = cand.map((r) => r!.meanLatencyMs);
    const latencyShiftMs = medianOf(candLatency) - medianOf(baseLatency);
    const phaseNames = new Set<string>();
    for (const r of [...base, ...cand]) for (const p of Object.keys(r!.phases)) phaseNames.add(p);
    const phases: PhaseShift[] = [];
    for (const phase of phaseNames) {
      const bMeans = base.map((r) => r!.phases[phase]?.meanMsPerRequest ?? 0);
      const cMeans = cand.map((r) => r!.phases[phase]?.meanMsPerRequest ?? 0);
      const inBase = base.some((r) => r!.phases[phase] !== undefined);
      const inCand = cand.some((r) => r!.phases[phase] !== undefined);
      const baselineMs = medianOf(bMeans);
      const candidateMs = medianOf(cMeans);
      const shiftMs = candidateMs - baselineMs;
      phases.push({
        phase,
        baselineTrialMeans: bMeans,
        candidateTrialMeans: cMeans,
        baselineMs,
        candidateMs,
        shiftMs,
        baselineShare: medianOf(base.map((r) => r!.phases[phase]?.shareOfLatency ?? 0)),
        candidateShare: medianOf(cand.map((r) => r!.phases[phase]?.shareOfLatency ?? 0)),
        explainsShare: latencyShiftMs > 0 ? Math.min(1, Math.max(0, shiftMs / latencyShiftMs)) : null,
        envelope: envelope.has(phase),
        presence: inBase && inCand ? 'both' : inBase ? 'baseline-only' : 'candidate-only',
      });
    }
    phases.sort((a, b) => b.shiftMs - a.shiftMs || a.phase.localeCompare(b.phase));
    const explainedMs = phases.filter((p) => !p.envelope).reduce((s, p) => s + p.shiftMs, 0);
    const unexplainedMs = latencyShiftMs - explainedMs;
    out.push({
      requestName,
      baselineLatencyTrialMeans: baseLatency,
      candidateLatencyTrialMeans: candLatency,
      latencyShiftMs,
      phases,
      explainedMs,
      unexplainedMs,
      unexplainedShare: latencyShiftMs > 0 ? unexplainedMs / latencyShiftMs : null,
      baselineTrials: base.length,
      candidateTrials: cand.length,
    });
  }
  return out;
}
