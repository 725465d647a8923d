// The HTML report as text: one file that needs nothing from the network, with every name escaped, for
// a failed gate and for a first run without a baseline (no comparison, no charts).
import { describe, expect, it } from 'vitest';
import { createReportJson } from '../../../src/report/report.ts';
import type { ReportHistory } from '../../../src/history/report-data.ts';
import { renderHtmlReport } from '../../../src/report/render/html.ts';
import { noBaselineVerdict } from '../../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/compare/rules.ts';
import { gateReport, jitteredTrials, REPORT_GENERATED_AT } from '../../helpers/report.ts';
import { syntheticRun, syntheticScenario } from '../../helpers/run-result.ts';

const HOSTILE = '"><script>alert(1)</script><img src=x>';

const trials = (ms: number, seed: number) => jitteredTrials(ms, seed);

/** A failed gate on one request; `history` is the base branch's, when the store keeps one. */
function quoteReport(history?: ReportHistory) {
  const run = (label: string, ms: number, seed: number) =>
    syntheticRun([syntheticScenario('shop', [{ name: 'quote', trialsMs: trials(ms, seed) }])], label);
  const baseline = run('baseline', 10, 1);
  const candidate = run('candidate', 16, 2);
  return gateReport(baseline, candidate, history ? { history } : {});
}

const HISTORY: ReportHistory = {
  runs: 14,
  changePoints: [
    {
      label: 'shop/quote p95',
      direction: 'regression',
      change: '+12.0 %',
      between: 'aaaaaaaaaaaa..bbbbbbbbbbbb',
      at: '2026-12-01T00:00:00Z',
    },
  ],
  creep: [
    { label: 'shop/quote p95', text: `shop/quote p95 crept up 9 % over 6 runs ${HOSTILE}`, commits: ['c1'] },
  ],
  trends: [
    {
      label: 'shop/quote p95',
      metric: 'p95',
      values: [10_000, 10_200, 10_500, 10_900, 11_000],
      commits: ['c1', 'c2', 'c3', 'c4', 'c5'],
      candidate: 16_000,
    },
    {
      label: HOSTILE,
      metric: 'errorRate',
      values: [0, 0.01, 0],
      commits: ['c3', 'c4', 'c5'],
      candidate: null,
    },
  ],
  notes: ['2 runs marked bad were left out'],
};

describe('HTML report', () => {
  it('is self-contained and shows hostile names as text', () => {
    const run = (label: string, ms: number, seed: number) =>
      syntheticRun([syntheticScenario('shop', [{ name: HOSTILE, trialsMs: trials(ms, seed) }])], label);
    const baseline = run('baseline', 10, 1);
    const candidate = run('candidate', 16, 2);
    const html = renderHtmlReport(gateReport(baseline, candidate));
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`default-src 'none'`);
    expect(html).not.toMatch(/<script|<img|<link|@import|url\(|src="http/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x&gt;');
    // Both sides' distributions were read from the stored histograms.
    expect(html).toMatch(/from 800 baseline and 800 candidate responses/);
  });

  it('renders a first run without a baseline: the verdict and the candidate alone', () => {
    const candidate = syntheticRun([syntheticScenario('shop', [{ name: 'a', trialsMs: trials(5, 3) }])]);
    const html = renderHtmlReport(
      createReportJson({
        verdict: noBaselineVerdict(DEFAULT_THRESHOLDS, 'no baseline stored for branch main'),
        comparison: null,
        candidate,
        baseline: null,
        context: {},
        generatedAt: REPORT_GENERATED_AT,
      }),
    );
    expect(html).toContain('<h1>perf-gate: No baseline yet</h1>');
    expect(html).toContain('no baseline stored for branch main');
    // Only the candidate's latency curve: nothing was compared.
    expect(html.match(/<svg/g)).toHaveLength(1);
    expect(html.match(/<polyline class="curve cand"/g)).toHaveLength(1);
    expect(html).not.toContain('curve base');
  });

  it('draws the base branch history: one circle per main value, a square for the candidate, a table', () => {
    const html = renderHtmlReport(quoteReport(HISTORY));
    expect(html).toContain('<h2 id="history">Base branch history</h2>');
    expect(html.match(/<circle class="hist base"/g)).toHaveLength(5 + 3);
    // Only the trend with a candidate value has its square.
    expect(html.match(/<rect class="hist cand"/g)).toHaveLength(1);
    expect(html.match(/<figure>/g)).toHaveLength(2);
    expect(html).toContain(
      '<desc>5 main-branch runs from c1 to c5, between 10.0 ms and 11.0 ms, the last 11.0 ms; candidate 16.0 ms.</desc>',
    );
    expect(html).toContain('<td class="num">candidate</td><td>this change</td><td class="num">16.0 ms</td>');
    expect(html).toContain('Slower: shop/quote p95 +12.0 % between aaaaaaaaaaaa..bbbbbbbbbbbb');
    expect(html).toContain('2 runs marked bad were left out');
    // Error rate is shown in percent; hostile labels and creep texts stay text.
    expect(html).toContain('<td class="num">1.00 %</td>');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('crept up 9 % over 6 runs &quot;&gt;&lt;script&gt;');
  });

  it('has no history section without a history', () => {
    const html = renderHtmlReport(quoteReport());
    expect(html).not.toContain('id="history"');
    expect(html).not.toContain('class="hist');
  });
});

describe('interval chart', () => {
  it('draws the minimum effect of every gating series from the rule the comparison carries', () => {
    const run = (label: string, quoteMs: number, seed: number) =>
      syntheticRun(
        [
          syntheticScenario('shop', [
            { name: 'quote', trialsMs: trials(quoteMs, seed) },
            { name: 'cart', trialsMs: trials(5, seed + 10) },
          ]),
        ],
        label,
      );
    const baseline = run('baseline', 10, 1);
    const candidate = run('candidate', 16, 2);
    const page = renderHtmlReport(gateReport(baseline, candidate));
    // quote p95 (a regression) and cart p95 (unchanged, so without a finding) both show their +10 %.
    expect(page.match(/<title>minimum effect \+10\.0 %<\/title>/g)?.length).toBe(2);
  });
});
