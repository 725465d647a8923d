// Fuzzing the text perf-gate reads from the target and from the command line: Server-Timing headers
// (never throw: malformed entries are skipped), Prometheus text (a PromParseError naming the line),
// git branch names and revisions (a reason or nothing; never a git option).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseServerTiming } from '../../src/attribution/server-timing.ts';
import {
  PromParseError,
  parsePrometheusText,
} from '../../src/measure/collectors/resources/prometheus-text.ts';
import { branchNameProblem, revisionProblem } from '../../src/util/git-names.ts';
import { corpus, fuzz, mutatedText, parsesOrRaises, pathological } from './fuzz.ts';

const SERVER_TIMING =
  'db;dur=53.2;desc="SELECT \\"x\\"", cache;desc=hit, total;dur=120, app ; dur = 1e2 ;desc=a';
const PROMETHEUS = `# HELP process_cpu_seconds_total Total user and system CPU time.
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 12.5
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{route="/a\\"b",le="0.05"} 3 1700000000000
http_request_duration_seconds_bucket{route="/a\\"b",le="+Inf"} 4
http_request_duration_seconds_sum{route="/a\\"b"} 0.3
process_resident_memory_bytes 1.5e+08
`;

function checkServerTiming(text: string) {
  const metrics = parseServerTiming(text);
  // Bounded: never more entries than the header has commas, and every duration finite.
  expect(metrics.length).toBeLessThanOrEqual(text.split(',').length);
  for (const m of metrics) expect(Number.isFinite(m.dur)).toBe(true);
}

function checkPrometheus(text: string) {
  parsesOrRaises(() => parsePrometheusText(text), PromParseError);
}

function checkGitName(text: string) {
  const rev = revisionProblem(text);
  const branch = branchNameProblem(text);
  // Whatever is accepted can never be read as an option or carry a control character.
  for (const accepted of [rev === undefined, branch === undefined]) {
    if (accepted) {
      expect(text.startsWith('-')).toBe(false);
      // eslint-disable-next-line no-control-regex
      expect(/[\s\u0000-\u001f\u007f]/.test(text)).toBe(false);
    }
  }
}

describe('fuzz: Server-Timing headers', () => {
  it('mutated headers parse to bounded, finite metrics', () => {
    fuzz(
      mutatedText(SERVER_TIMING, fc.constantFrom(';', ',', '=', '"', '\\', ' ', '\t', 'dur', 'e999')),
      checkServerTiming,
    );
  });
  it('arbitrary text parses', () => {
    fuzz(fc.string({ unit: 'binary', maxLength: 400 }), checkServerTiming);
  });
  it('pathological inputs end', () => {
    for (const text of pathological([' ', '\t', ';', ',', '"', '\\', '=', 'dur= '])) checkServerTiming(text);
    for (const { text } of corpus('server-timing')) checkServerTiming(text);
  });
});

describe('fuzz: Prometheus text', () => {
  it('mutated exposition text parses or raises PromParseError', () => {
    fuzz(
      mutatedText(PROMETHEUS, fc.constantFrom('{', '}', '"', '\\', '=', ',', ' ', '#', '\n', 'NaN', '+Inf')),
      checkPrometheus,
    );
  });
  it('arbitrary text parses or raises PromParseError', () => {
    fuzz(fc.string({ unit: 'binary', maxLength: 400 }), checkPrometheus);
  });
  it('pathological inputs end', () => {
    for (const text of pathological(['{', '"', '\\', ' ', 'a{b="', '# TYPE x ', ','])) checkPrometheus(text);
    for (const { text } of corpus('prometheus')) checkPrometheus(text);
  });
});

describe('fuzz: git branch names and revisions', () => {
  it('accepted names are never options, never carry whitespace or control characters', () => {
    fuzz(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 60 }),
        mutatedText('origin/main~2', fc.constantFrom('-', '..', ' ', '\n', '@{', '^', ':')),
      ),
      checkGitName,
    );
  });
  it('pathological inputs end', () => {
    for (const text of pathological(['.', '/', '-', '@{', '^'])) checkGitName(text);
    for (const { text } of corpus('git-names')) checkGitName(text);
  });
});
