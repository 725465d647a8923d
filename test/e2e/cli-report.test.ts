// `perf-gate report` renders from a saved JSON report; `perf-gate publish` posts it as the sticky
// comment through the GitHub REST API (a loopback fake that the real Octokit talks to).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare.ts';
import { decide } from '../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { createReportJson } from '../../src/report/report.ts';
import { createRng } from '../../src/stats/index.ts';
import { FakeGitHub } from '../helpers/fake-github.ts';
import { runCli } from '../helpers/cli.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

function trials(ms: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: 8 }, () => Array.from({ length: 100 }, () => ms * (0.95 + 0.1 * rng())));
}

let github: FakeGitHub;
let dir: string;
beforeAll(async () => {
  github = await FakeGitHub.start();
  github.addPull('acme', 'shop', { number: 12, labels: [], files: [] });
  const baseline = syntheticRun([syntheticScenario('api', [{ name: 'a', trialsMs: trials(10, 1) }])]);
  const candidate = syntheticRun([syntheticScenario('api', [{ name: 'a', trialsMs: trials(16, 2) }])]);
  const comparison = compareRuns(baseline, candidate, { mode: 'stored' });
  const verdict = decide(comparison, { thresholds: DEFAULT_THRESHOLDS });
  const report = createReportJson({
    verdict,
    comparison,
    candidate,
    baseline,
    context: { repository: 'acme/shop', pullRequest: { number: 12, title: 'PR' } },
    generatedAt: '2026-11-22T00:00:00Z',
  });
  dir = mkdtempSync(path.join(os.tmpdir(), 'pg-report-'));
  writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report));
});
afterAll(async () => {
  await github?.close();
});

describe('perf-gate report and publish', () => {
  it('renders the comment from a saved report', async () => {
    const r = await runCli(
      ['report', '--from', 'report.json', '--summary', 'summary.md', '--html', 'out/report.html'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!-- perf-gate:default -->\n## ❌ perf-gate: performance regression/);
    expect(r.stdout).toContain('`out/report.html`');
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toMatch(/Regressions/);
    const html = readFileSync(path.join(dir, 'out/report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<h1>perf-gate: Failed: performance regression</h1>');
  });

  it('posts once and then updates the same comment', async () => {
    const env = { GITHUB_TOKEN: 'ghs_publish_token', GITHUB_API_URL: github.url };
    // --pr is the operator's word (trusted); the report alone never chooses the pull request.
    const args = ['publish', '--from', 'report.json', '--repo', 'acme/shop', '--pr', '12', '--json'];
    const first = await runCli(args, { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).action).toBe('created');
    const second = await runCli(args, { cwd: dir, env });
    expect(JSON.parse(second.stdout).action).toBe('updated');
    expect(github.issueComments('acme', 'shop', 12)).toHaveLength(1);
    expect(first.stderr + second.stderr).not.toContain('ghs_publish_token');
  });

  it('exits 2 without a token and 3 for a corrupt report', async () => {
    expect((await runCli(['publish', '--from', 'report.json'], { cwd: dir, env: {} })).code).toBe(2);
    writeFileSync(path.join(dir, 'bad.json'), '{"kind": "perf-gate/report", "schemaVersion": 9}');
    const bad = await runCli(['report', '--from', 'bad.json'], { cwd: dir });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/bad\.json: report schema version 9 is not supported/);
  });
});
