// Rendering the report with the real handlebars templates: hostile names stay inert, secrets never
// appear, the body stays under GitHub's limit, and the sections follow the verdict.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/report.ts';
import { loadTemplates } from '../../src/report/templates.ts';
import { mdCell, mdText } from '../../src/util/markdown.ts';
import { Redactor } from '../../src/util/redact.ts';
import { gateReport, jitteredTrials } from '../helpers/report.ts';
import { syntheticRun, syntheticScenario, type SyntheticRequest } from '../helpers/run-result.ts';

const HOSTILE_REQUEST = '| @everyone <img src=x onerror=alert(1)> ${{ secrets.X }}';
const HOSTILE_BRANCH = 'x](javascript:alert(1))';

const trials = (ms: number, n: number, seed: number) => jitteredTrials(ms, seed, n);

function report(requests: (seed: number) => SyntheticRequest[], context = {}) {
  const baseline = syntheticRun([syntheticScenario('api', requests(1))], 'baseline');
  const candidate = syntheticRun(
    [
      syntheticScenario(
        'api',
        requests(2).map((r, i) =>
          i === 0 ? { ...r, trialsMs: r.trialsMs.map((t) => t.map((v) => v * 1.6)) } : r,
        ),
      ),
    ],
    'candidate',
  );
  return gateReport(baseline, candidate, { context });
}

describe('report rendering', () => {
  it('renders hostile request and branch names as inert text', () => {
    const json = report((seed) => [{ name: HOSTILE_REQUEST, trialsMs: trials(10, 8, seed) }], {
      branch: HOSTILE_BRANCH,
      baseBranch: 'main',
      pullRequest: { number: 7, title: '<script>alert(1)</script> [x](http://evil)' },
    });
    const { comment, summary } = renderReport(json, loadTemplates());
    for (const body of [comment, summary]) {
      expect(body).not.toContain('<img');
      expect(body).not.toContain('<script');
      expect(body).not.toMatch(/@everyone/);
      expect(body).not.toContain('${{');
      expect(body).not.toMatch(/(?<!\\)\]\(javascript/);
      expect(body).not.toContain('[x](http://evil)');
    }
    expect(comment).toContain(mdCell(HOSTILE_REQUEST));
    expect(comment).toContain(mdText(HOSTILE_BRANCH));
    // every table row keeps its column count: the | in the name is escaped
    const rows = comment.split('\n').filter((l) => l.startsWith('| api'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(10);
    expect(comment).toMatchSnapshot();
  });

  it('leads with the verdict and the regressions, and tells how to approve', () => {
    const json = report(
      (seed) => [
        { name: 'slow', trialsMs: trials(10, 8, seed) },
        { name: 'fine', trialsMs: trials(3, 8, seed + 10) },
      ],
      { approveLabel: 'perf-gate:approve' },
    );
    const { comment } = renderReport(json, loadTemplates(), { markerId: 'cfg' });
    expect(comment.startsWith('<!-- perf-gate:cfg -->\n## ❌ perf-gate: performance regression')).toBe(true);
    expect(comment.indexOf('### Regressions')).toBeLessThan(comment.indexOf('All metrics'));
    expect(comment).toMatch(/\| api \/ slow \| p95 \|/);
    expect(comment).not.toMatch(/\| api \/ fine \| p95 \|[^\n]*regression/);
    expect(comment).toContain('perf-gate:approve');
    expect(comment).toContain('```mermaid');
  });

  it('never shows a secret, even one that reached a name', () => {
    const json = report((seed) => [{ name: 'token-tok_SECRET_123', trialsMs: trials(10, 8, seed) }]);
    const redactor = new Redactor(['tok_SECRET_123']);
    const { comment, summary } = renderReport(json, loadTemplates(), {}, redactor);
    expect(comment + summary).not.toContain('tok_SECRET_123');
    expect(comment).not.toContain(mdText('tok_SECRET_123'));
  });

  it('stays under the size limit with a note when there are thousands of series', () => {
    const many = (seed: number) =>
      Array.from({ length: 250 }, (_, i) => ({
        name: `request-number-${i}-with-a-long-name`,
        trialsMs: trials(5 + (i % 7), 6, seed + i),
      }));
    const json = report(many);
    const { comment } = renderReport(json, loadTemplates());
    expect(comment.length).toBeLessThanOrEqual(60_000);
    expect(comment).toMatch(/JSON report/);
    // What matters survives the cut, in front: the verdict and why, before anything collapsed.
    expect(comment.indexOf('## ')).toBe(comment.indexOf('\n') + 1);
    const headline = comment.split('\n')[3]!;
    expect(headline.length).toBeGreaterThan(0);
    expect(comment.indexOf(headline)).toBeLessThan(comment.indexOf('<details>'));
  });
});
