// Honest silence (issue 16): when one side has no CPU profiles, the comment says why and which setting
// fixes it, in one line, instead of "No changed code stands out in the CPU profiles".
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare.ts';
import { decide } from '../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { createReportJson, renderReport } from '../../src/report/report.ts';
import { loadTemplates } from '../../src/report/templates.ts';
import { explainRegressions } from '../../src/usecases/attribution-input.ts';
import { attributionForReport } from '../../src/usecases/attribution-output.ts';
import { encodeProfile } from '../../src/attribution/profile-codec.ts';
import { parseCpuProfile } from '../../src/attribution/cpuprofile.ts';
import { createRng } from '../../src/stats/index.ts';
import type { RunResult } from '../../src/contracts/run-result.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';
import { makeCpuProfile } from '../attribution/synthetic.ts';

function trials(ms: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: 8 }, () => Array.from({ length: 100 }, () => ms * (0.95 + 0.1 * rng())));
}

const profiled = (run: RunResult): RunResult => ({
  ...run,
  scenarios: run.scenarios.map((s) => ({
    ...s,
    profiles: s.trials.map(() =>
      encodeProfile(parseCpuProfile(makeCpuProfile([{ frames: ['main', 'work'], samples: 50 }]).json)),
    ),
  })),
});

function comment(mode: 'stored' | 'paired', profile: { baseline: boolean; candidate: boolean }): string {
  let baseline = syntheticRun([syntheticScenario('api', [{ name: 'home', trialsMs: trials(10, 1) }])], 'b');
  let candidate = syntheticRun([syntheticScenario('api', [{ name: 'home', trialsMs: trials(25, 2) }])], 'c');
  if (profile.baseline) baseline = profiled(baseline);
  if (profile.candidate) candidate = profiled(candidate);
  const comparison = compareRuns(baseline, candidate, { mode: 'stored' });
  const verdict = decide(comparison, { thresholds: DEFAULT_THRESHOLDS });
  const explained = explainRegressions({
    baseline,
    candidate,
    verdict,
    repoRoot: '/nonexistent',
    mode,
    changesUnavailable: 'no --diff-base given',
  });
  expect(explained).toBeDefined();
  const json = createReportJson({
    verdict,
    comparison,
    candidate,
    baseline,
    context: {},
    generatedAt: '2026-12-07T00:00:00Z',
    attribution: attributionForReport(explained!),
  });
  // Markdown escapes (`profile\.inspector`) removed: the assertions read the text as GitHub shows it.
  return renderReport(json, loadTemplates()).comment.replace(/\\(.)/g, '$1');
}

describe('a comment without CPU profiles on a side', () => {
  it('with profiles on both sides but no diff: says suspects need the change under test', () => {
    const body = comment('stored', { baseline: true, candidate: true });
    expect(body).toMatch(/No suspects: the change under test is unknown \(no --diff-base given\)/);
    expect(body).not.toContain('No CPU profiles to compare');
  });

  it('stored mode: says the stored baseline has none and to save it again with profiling on', () => {
    const body = comment('stored', { baseline: false, candidate: true });
    expect(body).not.toContain('No changed code stands out');
    const line = body.split('\n').find((l) => l.startsWith('No CPU profiles to compare'));
    expect(line).toMatch(/baseline: the stored baseline has no CPU profiles.*save the baseline again/);
    expect(line).toMatch(/service\.cpuProfile: true/);
    expect(line).not.toMatch(/candidate:/);
  });

  it('paired mode: names the baseline deployment settings; neither side: both reasons in one line', () => {
    expect(comment('paired', { baseline: false, candidate: true })).toMatch(
      /No CPU profiles to compare \(baseline: the baseline deployment was not profiled: set profile\.baselineInspector/,
    );
    const line = comment('paired', { baseline: false, candidate: false })
      .split('\n')
      .find((l) => l.startsWith('No CPU profiles to compare'));
    expect(line).toMatch(
      /baseline: .*profile\.baselineInspector.*; candidate: this run was not profiled: set service\.cpuProfile/,
    );
  });
});
