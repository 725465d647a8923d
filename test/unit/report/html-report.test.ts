// The HTML report as text: one file that needs nothing from the network, with every name escaped, for
// a failed gate and for a first run without a baseline (no comparison, no charts).
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../../src/compare/compare.ts';
import { createReportJson } from '../../../src/report/report.ts';
import { renderHtmlReport } from '../../../src/report/render/html.ts';
import { createRng } from '../../../src/stats/index.ts';
import { decide, noBaselineVerdict } from '../../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/verdict/thresholds.ts';
import { syntheticRun, syntheticScenario } from '../../helpers/run-result.ts';

const HOSTILE = '"><script>alert(1)</script><img src=x>';

function trials(ms: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: 8 }, () => Array.from({ length: 100 }, () => ms * (0.95 + 0.1 * rng())));
}

describe('HTML report', () => {
  it('is self-contained and shows hostile names as text', () => {
    const run = (label: string, ms: number, seed: number) =>
      syntheticRun([syntheticScenario('shop', [{ name: HOSTILE, trialsMs: trials(ms, seed) }])], label);
    const baseline = run('baseline', 10, 1);
    const candidate = run('candidate', 16, 2);
    const comparison = compareRuns(baseline, candidate, { mode: 'stored' });
    const html = renderHtmlReport(
      createReportJson({
        verdict: decide(comparison, { thresholds: DEFAULT_THRESHOLDS }),
        comparison,
        candidate,
        baseline,
        context: {},
        generatedAt: '2026-12-07T00:00:00Z',
      }),
    );
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
        generatedAt: '2026-12-07T00:00:00Z',
      }),
    );
    expect(html).toContain('<h1>perf-gate: No baseline yet</h1>');
    expect(html).toContain('no baseline stored for branch main');
    // Only the candidate's latency curve: nothing was compared.
    expect(html.match(/<svg/g)).toHaveLength(1);
    expect(html.match(/<polyline class="curve cand"/g)).toHaveLength(1);
    expect(html).not.toContain('curve base');
  });
});
