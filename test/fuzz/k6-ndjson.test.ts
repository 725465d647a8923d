// Fuzzing k6's `--out json` stream: every line is counted as a request, a text line or a bad line, and
// the only errors are the two documented refusals (a line too long to be NDJSON, too many names).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrialRecorder } from '../../src/measure/collectors/request-recorder.ts';
import { K6Tally } from '../../src/measure/runners/k6/ndjson.ts';
import { k6Time, synthNdjson } from '../measure/runners/k6/synth-ndjson.ts';
import { corpus, fuzz, mutatedText, parsesOrRaises, pathological } from './fuzz.ts';

const SAMPLE =
  synthNdjson([
    { name: 'list', status: 200, ms: 12.5, bytes: 300 },
    { name: 'buy', status: 500, ms: 40 },
    { name: 'slow', status: 0, ms: 1000, errorCode: 1050 },
  ]) +
  `\n{"type":"Point","metric":"http_req_duration","data":{"time":"${k6Time(9)}","value":1e308,"tags":{"name":"x"}}}\n`;

const DOCUMENTED = /k6 output has a line longer than|distinct request names|request names/;

function check(text: string, chunk = 97) {
  const tally = new K6Tally(new TrialRecorder([]));
  const r = parsesOrRaises(() => {
    const lines = tally.stream();
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += chunk) lines.push(bytes.subarray(i, i + chunk));
    lines.end();
    tally.finish();
  }, Error);
  if (r instanceof Error) expect(r.message).toMatch(DOCUMENTED);
  expect(tally.requests).toBeGreaterThanOrEqual(0);
  expect(Number.isFinite(tally.iterations)).toBe(true);
}

describe('fuzz: k6 NDJSON', () => {
  it('the sample is read', () => {
    const tally = new K6Tally(new TrialRecorder([]));
    const lines = tally.stream();
    lines.push(SAMPLE);
    lines.end();
    expect(tally.requests).toBeGreaterThanOrEqual(3);
  });
  it('mutated streams are counted, never crash', () => {
    fuzz(
      fc.tuple(
        mutatedText(
          SAMPLE,
          fc.constantFrom('{', '}', '"', ':', ',', '\n', '\r', 'NaN', '-1', '1e999', '\uFFFD'),
        ),
        fc.integer({ min: 1, max: 300 }),
      ),
      ([text, chunk]) => check(text, chunk),
    );
  });
  it('arbitrary bytes are counted, never crash', () => {
    fuzz(fc.uint8Array({ maxLength: 500 }), (bytes) => check(Buffer.from(bytes).toString('latin1')));
  });
  it('pathological inputs end', () => {
    for (const text of pathological(
      ['{', '"', '\\', '\n', '{"type":"Point","metric":"http_req_duration",'],
      20_000,
    ))
      check(text);
    for (const { text } of corpus('k6-ndjson')) check(text);
  });
  it('a 2 MB line in 97-byte chunks is read in linear time (it once rescanned the line per chunk)', () => {
    check(
      `{"type":"Point","metric":"http_req_duration","data":{"tags":{"name":"${'x'.repeat(2_000_000)}"}}}\n`,
      97,
    );
  }, 20_000);
});
