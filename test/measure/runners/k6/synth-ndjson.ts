// Synthetic k6 `--out json` lines in the exact shapes of the real fixture (test/fixtures/k6): per request
// the nine http_req* Points, per iteration data_sent, data_received, iteration_duration and iterations.
// Used where the real run has no such case (errors, timeouts, named bytes) and for volume (the bench).

export interface SynthRequest {
  name: string;
  /** 0 for a request without a response. */
  status: number;
  ms: number;
  /** k6 error_code tag (1050: request timeout). */
  errorCode?: number;
  /** expected_response tag; default: status 200-399. */
  expected?: boolean;
  /** data_received of the iteration; tagged with `name` when `namedBytes`. */
  bytes?: number;
  namedBytes?: boolean;
  /** group tag, e.g. '::setup'. */
  group?: string;
}

const METRICS: Array<[string, string, string]> = [
  ['http_reqs', 'counter', 'default'],
  ['http_req_duration', 'trend', 'time'],
  ['http_req_blocked', 'trend', 'time'],
  ['http_req_connecting', 'trend', 'time'],
  ['http_req_tls_handshaking', 'trend', 'time'],
  ['http_req_sending', 'trend', 'time'],
  ['http_req_waiting', 'trend', 'time'],
  ['http_req_receiving', 'trend', 'time'],
  ['http_req_failed', 'rate', 'default'],
  ['data_sent', 'counter', 'data'],
  ['data_received', 'counter', 'data'],
  ['iteration_duration', 'trend', 'time'],
  ['iterations', 'counter', 'default'],
  ['dropped_iterations', 'counter', 'default'],
];

/** The Metric declaration lines (k6 writes each once, before the metric's first Point). */
export function metricLines(): string[] {
  return METRICS.map(([name, type, contains]) => {
    const submetrics =
      name === 'http_req_duration'
        ? '[{"name":"http_req_duration{expected_response:true}","suffix":"expected_response:true","tags":{"expected_response":"true"}}]'
        : 'null';
    return `{"type":"Metric","data":{"name":"${name}","type":"${type}","contains":"${contains}","thresholds":[],"submetrics":${submetrics}},"metric":"${name}"}`;
  });
}

function point(metric: string, time: string, value: number, tags: Record<string, string>): string {
  return `{"metric":"${metric}","type":"Point","data":{"time":"${time}","value":${value},"tags":${JSON.stringify(tags)}}}`;
}

/** The 13 lines one single-request iteration writes. */
export function requestLines(r: SynthRequest, time: string): string[] {
  const expected = r.expected ?? (r.status >= 200 && r.status < 400);
  const tags: Record<string, string> = {
    ...(r.errorCode !== undefined ? { error_code: String(r.errorCode) } : {}),
    expected_response: String(expected),
    group: r.group ?? '',
    method: 'GET',
    name: r.name,
    proto: 'HTTP/1.1',
    scenario: 'perfgate',
    status: String(r.status),
    url: `http://127.0.0.1:3000/${r.name}`,
  };
  const ms = r.ms;
  const lines = [
    point('http_reqs', time, 1, tags),
    point('http_req_duration', time, ms, tags),
    point('http_req_blocked', time, 0.004512, tags),
    point('http_req_connecting', time, 0, tags),
    point('http_req_tls_handshaking', time, 0, tags),
    point('http_req_sending', time, 0.021334, tags),
    point('http_req_waiting', time, Math.max(0, ms - 0.05), tags),
    point('http_req_receiving', time, 0.028666, tags),
    point('http_req_failed', time, expected ? 0 : 1, tags),
  ];
  const iterationTags: Record<string, string> = {
    group: r.group ?? '',
    scenario: 'perfgate',
    ...(r.namedBytes ? { name: r.name } : {}),
  };
  lines.push(
    point('data_sent', time, 97, iterationTags),
    point('data_received', time, r.bytes ?? 0, iterationTags),
    point('iteration_duration', time, ms + 0.1, iterationTags),
    point('iterations', time, 1, iterationTags),
  );
  return lines;
}

/** An RFC 3339 timestamp with nanoseconds, as k6 writes them, `i` microseconds after a fixed start. */
export function k6Time(i: number): string {
  const base = Date.UTC(2024, 4, 1, 10, 0, 0);
  const ms = base + Math.floor(i / 1000);
  const iso = new Date(ms).toISOString().slice(0, 19);
  const frac = String((ms % 1000) * 1_000_000 + (i % 1000) * 1000).padStart(9, '0');
  return `${iso}.${frac}Z`;
}

/** A whole NDJSON document for a list of requests (Metric lines first). */
export function synthNdjson(requests: readonly SynthRequest[], extra: readonly string[] = []): string {
  const lines = [...metricLines()];
  requests.forEach((r, i) => lines.push(...requestLines(r, k6Time(i * 997))));
  lines.push(...extra);
  return `${lines.join('\n')}\n`;
}

export function dataReceivedLine(bytes: number, name?: string): string {
  return point('data_received', k6Time(7), bytes, {
    group: '',
    scenario: 'perfgate',
    ...(name ? { name } : {}),
  });
}

export function droppedIterationsLine(count: number): string {
  return point('dropped_iterations', k6Time(5), count, { group: '', scenario: 'perfgate' });
}
