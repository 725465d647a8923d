// The history in the PR comment and the push run's summary: creep alert with its commits, the trend of the
// request that regressed (main values, then the PR's), escaped names.
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare.ts';
import { analyzeHistory } from '../../src/history/analyze.ts';
import { summarizeRun } from '../../src/history/entry.ts';
import { historySummaryMarkdown } from '../../src/history/markdown.ts';
import { historyForReport } from '../../src/history/report-data.ts';
import { createReportJson, renderReport } from '../../src/report/report.ts';
import { loadTemplates } from '../../src/report/templates.ts';
import { createRng } from '../../src/stats/rng.ts';
import { decide } from '../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

const NAME = 'get <b>|x';
const sha = (n: number) => `${String(n).padStart(4, '0')}cafe`.padEnd(40, '0');

function run(n: number, ms: number) {
  const rng = createRng(n);
  const r = syntheticRun([
    syntheticScenario('api', [
      {
        name: NAME,
        trialsMs: Array.from({ length: 8 }, () =>
          Array.from({ length: 50 }, () => ms * (0.98 + 0.04 * rng())),
        ),
      },
    ]),
  ]);
  r.meta.finishedAt = new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
  r.meta.git = { sha: sha(n), ref: 'main', dirty: false };
  return r;
}

describe('history in the report', () => {
  const main = [...Array(10).keys()].map((n) => run(n + 1, 10 * 1.02 ** n));
  const analysis = analyzeHistory(main.map(summarizeRun), [], { rng: createRng(1) });

  it('puts a creep alert near the top and the regressed request trend in the comment', () => {
    const candidate = run(11, 16);
    const comparison = compareRuns(main.at(-1)!, candidate, { mode: 'stored' });
    const verdict = decide(comparison, { thresholds: DEFAULT_THRESHOLDS });
    const report = createReportJson({
      verdict,
      comparison,
      candidate,
      baseline: main.at(-1)!,
      context: {},
      generatedAt: '2026-01-02T00:00:00Z',
      history: historyForReport(analysis, verdict),
    });
    const { comment, summary } = renderReport(report, loadTemplates());
    expect(comment).toMatch(/📈 Slow creep on the base branch: api\/get &lt;b>\|x p50/);
    expect(comment).toContain('History of the base branch (10 runs)');
    expect(comment).toMatch(/p50 crept .* over 10 merges .*commits.* 0001cafe0000 0002cafe0000/);
    expect(comment).toMatch(/regression: api\/get .* p50 .* between 0005cafe0000\.\.0006cafe0000/);
    expect(comment).toMatch(/x-axis \["0001caf", .*"0010caf", "PR"\]/);
    expect(comment).not.toContain('<b>');
    expect(summary).toContain('History of the base branch');
  });

  it('writes the push run summary with creep first', () => {
    const md = historySummaryMarkdown('main', historyForReport(analysis));
    expect(md).toMatch(/^### 📈 History of main \(10 runs\)/);
    expect(md).toMatch(/\*\*Creep\*\*/);
  });
});
