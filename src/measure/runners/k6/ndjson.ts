// Stream parser for k6's `--out json` NDJSON (shared/reference/measurement.md 3.3). Each
// http_req_duration Point is one request: its duration goes into the µs histogram of its `name` tag's
// sink, its status into the counts. Memory stays constant: one line at a time, and only the lines of the
// four metrics used are JSON-parsed (the other ~75 % are skipped by a substring test).
//
// Several streams (the runners of a distributed trial) may feed one tally: every quantity recorded is a
// sum (histogram counts, status counts, counters), so the result equals that of a single runner exactly.
import { StringDecoder } from 'node:string_decoder';
import { recordLatencyMs } from '../../collectors/latency-histogram.ts';
import type { RequestSink, TrialRecorder } from '../../collectors/request-recorder.ts';
import type { RequestSpec } from '../../../scenario/model.ts';

/** k6 error_code of a request that timed out (lib/netext/httpext/error_codes.go). */
const K6_REQUEST_TIMEOUT = '1050';

/** Names learnt from a user's script: no status list, so k6's `expected_response` tag decides success. */
const LEARNED: Omit<RequestSpec, 'name'> = {
  method: 'GET',
  path: '/',
  headers: {},
  expectStatus: [],
  weight: 1,
};

const DEFAULT_MAX_NAMES = 1000;

type Tags = Record<string, unknown>;

export interface K6TallyOptions {
  /** More distinct request names than this is an error (k6 names an untagged request by its URL). */
  maxNames?: number;
}

/**
 * What the NDJSON of one trial adds up to. Sinks that came with the scenario (generated scripts) judge
 * success by their `expectStatus`, which the script also gave k6 as its responseCallback; sinks of names
 * learnt from a user's script follow k6's own `expected_response` tag.
 */
export class K6Tally {
  /** Completed iterations (k6's `iterations` counter). */
  iterations = 0;
  /** Iterations k6 could not start on time (`dropped_iterations`). */
  droppedIterations = 0;
  /** http_req_duration Points recorded. */
  requests = 0;
  /** Requests made by setup() or teardown(): not part of the load, not recorded. */
  setupTeardownRequests = 0;
  /** Lines that are not JSON at all (kubectl logs carry k6's own text around the NDJSON). */
  textLines = 0;
  /** Lines that look like JSON but do not parse, or Points of a used metric without a numeric value. */
  badLines = 0;
  firstBadLine: string | undefined;
  private readonly sinks = new Map<string, RequestSink>();
  private readonly pendingBytes = new Map<string, number>();
  private readonly maxNames: number;

  constructor(
    readonly recorder: TrialRecorder,
    options: K6TallyOptions = {},
  ) {
    this.maxNames = options.maxNames ?? DEFAULT_MAX_NAMES;
    for (const sink of recorder.sinks) this.sinks.set(sink.spec.name, sink);
  }

  /** A line splitter feeding this tally; one per input stream. */
  stream(): NdjsonLines {
    return new NdjsonLines((line) => this.line(line));
  }

  /** One NDJSON line, without its line break. */
  line(text: string): void {
    if (text.length === 0) return;
    if (text.charCodeAt(0) !== 0x7b /* { */) {
      if (text.trim() !== '') this.textLines++;
      return;
    }
    // 'iterations"' matches both "iterations" and "dropped_iterations" in one scan.
    if (
      !text.includes('"http_req_duration"') &&
      !text.includes('"data_received"') &&
      !text.includes('iterations"')
    ) {
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.bad(text);
      return;
    }
    if (!isObject(parsed) || parsed.type !== 'Point' || !isObject(parsed.data)) return;
    const metric = parsed.metric;
    const value = parsed.data.value;
    const tags = isObject(parsed.data.tags) ? parsed.data.tags : undefined;
    if (
      metric !== 'http_req_duration' &&
      metric !== 'data_received' &&
      metric !== 'iterations' &&
      metric !== 'dropped_iterations'
    ) {
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      this.bad(text);
      return;
    }
    if (metric === 'http_req_duration') this.request(tags, value);
    else if (metric === 'data_received') this.received(tags, value);
    else if (metric === 'iterations') this.iterations += value;
    else this.droppedIterations += value;
  }

  /** Attributes bytes that arrived before their name's first request. Call once, after the last line. */
  finish(): void {
    for (const [name, bytes] of this.pendingBytes) {
      const sink = this.sinks.get(name);
      if (sink) sink.bytes += bytes;
    }
    this.pendingBytes.clear();
  }

  /** Reasons the trial must not be used, from what k6 reported. */
  problems(): string[] {
    const problems: string[] = [];
    if (this.droppedIterations > 0) {
      problems.push(
        `k6 dropped ${this.droppedIterations} iterations: it could not start them on time with the VUs it had ` +
          '(the load was not held: raise connections or lower the rate)',
      );
    }
    if (this.badLines > 0) {
      problems.push(
        `${this.badLines} line(s) of k6's output could not be read (first: ${JSON.stringify(this.firstBadLine)})`,
      );
    }
    return problems;
  }

  private request(tags: Tags | undefined, ms: number): void {
    const group = tags?.group;
    if (group === '::setup' || group === '::teardown') {
      this.setupTeardownRequests++;
      return;
    }
    this.requests++;
    const sink = this.sink(text(tags?.name) ?? text(tags?.url) ?? '(untagged)');
    const status = Number(tags?.status ?? 0);
    if (!Number.isInteger(status) || status <= 0) {
      // k6 reports a request without a response as status 0 with an error_code.
      if (text(tags?.error_code) === K6_REQUEST_TIMEOUT) sink.recordTimeout();
      else
        sink.recordConnectionError(text(tags?.error_code) ? `k6 error ${text(tags?.error_code)}` : undefined);
      return;
    }
    if (sink.spec.expectStatus.length > 0) {
      sink.recordResponse(status, ms, 0);
      return;
    }
    // A learnt name expects no status, so recordResponse counts the status as unexpected; k6's verdict
    // then moves it to ok (default responseCallback: 200-399 when the tag is absent, as in k6 < 0.31).
    const expected = tags?.expected_response;
    const ok =
      expected === undefined ? status >= 200 && status < 400 : expected === 'true' || expected === true;
    sink.recordResponse(status, ms, 0);
    if (ok) {
      sink.unexpectedStatus -= 1;
      sink.ok += 1;
      recordLatencyMs(sink.histogram, ms);
    }
  }

  /** data_received is per iteration; it is attributable when the iteration carried a `name` tag. */
  private received(tags: Tags | undefined, bytes: number): void {
    const name = text(tags?.name);
    if (name === undefined) return;
    const sink = this.sinks.get(name);
    if (sink) sink.bytes += bytes;
    else if (this.pendingBytes.has(name) || this.pendingBytes.size < this.maxNames) {
      this.pendingBytes.set(name, (this.pendingBytes.get(name) ?? 0) + bytes);
    }
  }

  private sink(name: string): RequestSink {
    let sink = this.sinks.get(name);
    if (!sink) {
      if (this.sinks.size >= this.maxNames) {
        throw new Error(
          `the k6 script produced more than ${this.maxNames} request names; k6 names an untagged request by ` +
            "its URL: give requests a fixed name, e.g. http.get(url, { tags: { name: 'GET /items/:id' } })",
        );
      }
      sink = this.recorder.sinkFor(name, LEARNED);
      this.sinks.set(name, sink);
    }
    return sink;
  }

  private bad(line: string): void {
    this.badLines++;
    if (this.firstBadLine === undefined)
      this.firstBadLine = line.length > 200 ? `${line.slice(0, 200)}...` : line;
  }
}

/**
 * Splits a byte stream into lines (UTF-8 safe across chunk boundaries; CRLF tolerated). A line that
 * spans many chunks is kept as parts and joined once its end arrives: rescanning the growing line on
 * every chunk made a long line quadratic (a 900 KB line in 97-byte chunks took 11 s).
 */
export class NdjsonLines {
  private readonly decoder = new StringDecoder('utf8');
  /** The unfinished line, in pieces. */
  private parts: string[] = [];
  private partsLength = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineChars = 16 * 1024 * 1024,
  ) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const first = text.indexOf('\n');
    if (first === -1) {
      this.parts.push(text);
      this.partsLength += text.length;
      this.checkLength();
      return;
    }
    const prefix = this.parts.join('');
    this.parts = [];
    this.partsLength = 0;
    const data = prefix + text;
    let start = 0;
    let newline = prefix.length + first;
    while (newline !== -1) {
      const end = newline > start && data.charCodeAt(newline - 1) === 0x0d ? newline - 1 : newline;
      this.onLine(data.slice(start, end));
      start = newline + 1;
      newline = data.indexOf('\n', start);
    }
    if (start < data.length) {
      this.parts.push(data.slice(start));
      this.partsLength = data.length - start;
      this.checkLength();
    }
  }

  end(): void {
    const last = this.parts.join('') + this.decoder.end();
    this.parts = [];
    this.partsLength = 0;
    if (last !== '') this.onLine(last.endsWith('\r') ? last.slice(0, -1) : last);
  }

  private checkLength(): void {
    if (this.partsLength > this.maxLineChars) {
      throw new Error(`k6 output has a line longer than ${this.maxLineChars} characters: it is not NDJSON`);
    }
  }
}

/** Reads a whole NDJSON stream into a tally (then `finish()` it once every stream is read). */
export async function readK6Ndjson(source: AsyncIterable<Buffer | string>, tally: K6Tally): Promise<void> {
  const lines = tally.stream();
  for await (const chunk of source) lines.push(chunk as Buffer | string);
  lines.end();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
