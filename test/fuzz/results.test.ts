// Fuzzing the JSON perf-gate reads back: RunResults and baselines (decodeRunResult) and reports
// (decodeReportJson, what `perf-gate publish` reads from a fork). Each input is decoded or refused with
// a DataError naming the file; a report that decodes always renders, inert.
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare.ts';
import { DataError } from '../../src/contracts/errors.ts';
import { createReportJson, renderReport } from '../../src/report/report.ts';
import { loadTemplates } from '../../src/report/templates.ts';
import { decodeReportJson } from '../../src/store/codec/report-codec.ts';
import { decodeRunResult, encodeRunResult } from '../../src/store/codec/run-result-codec.ts';
import { createRng } from '../../src/stats/index.ts';
import { decide } from '../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';
import { corpus, fuzz, mutatedJson, mutatedText, parsesOrRaises } from './fuzz.ts';

function trials(ms: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: 6 }, () => Array.from({ length: 30 }, () => ms * (0.95 + 0.1 * rng())));
}

const baseline = syntheticRun(
  [syntheticScenario('api', [{ name: 'a', trialsMs: trials(10, 1) }])],
  'baseline',
);
const candidate = syntheticRun(
  [syntheticScenario('api', [{ name: 'a', trialsMs: trials(15, 2) }])],
  'candidate',
);
const comparison = compareRuns(baseline, candidate, { mode: 'stored' });
const report = createReportJson({
  verdict: decide(comparison, { thresholds: DEFAULT_THRESHOLDS }),
  comparison,
  candidate,
  baseline,
  context: { repository: 'acme/shop', pullRequest: { number: 3, title: 't' }, approveLabel: 'ok' },
  generatedAt: '2026-12-01T00:00:00Z',
});
const RUN_TEXT = encodeRunResult(baseline);
const REPORT_TEXT = JSON.stringify(report);
const templates = loadTemplates();

function checkRun(text: string) {
  parsesOrRaises(() => decodeRunResult(text, 'baseline.json'), DataError);
}

function checkReport(text: string) {
  const r = parsesOrRaises(() => decodeReportJson(text, 'report.json'), DataError);
  if (r instanceof Error) return;
  const { comment } = renderReport(r, templates);
  expect(comment).not.toMatch(/<img|<script/);
  expect(comment).not.toMatch(/@everyone/);
}

describe('fuzz: RunResult, baseline and report JSON', () => {
  it('the valid samples decode', () => {
    expect(decodeRunResult(RUN_TEXT, 'x').scenarios).toHaveLength(1);
    expect(decodeReportJson(REPORT_TEXT, 'x').kind).toBe('perf-gate/report');
  });

  it('RunResults with hostile values decode or raise DataError', () => {
    fuzz(mutatedJson(JSON.parse(RUN_TEXT)), (v) => checkRun(JSON.stringify(v)));
  });

  it('RunResult text with random edits decodes or raises DataError', () => {
    fuzz(mutatedText(RUN_TEXT.slice(0, 4000)), checkRun);
  });

  it('reports with hostile values decode and render inert, or raise DataError', () => {
    fuzz(mutatedJson(report), (v) => checkReport(JSON.stringify(v)));
  });

  it('report text with random edits decodes or raises DataError', () => {
    fuzz(mutatedText(REPORT_TEXT), checkReport);
  });

  it('the corpus: each once broke decoding or rendering', () => {
    for (const { text } of corpus('report')) checkReport(text);
    for (const { text } of corpus('run-result')) checkRun(text);
    // Deep nesting and huge numbers: JSON.parse's own limits end in a DataError, not a crash.
    checkReport(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    checkRun(
      `{"kind":"perf-gate/run-result","schemaVersion":1,"meta":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
    );
  });
});
