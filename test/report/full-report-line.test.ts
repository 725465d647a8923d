// Where the HTML report is, said truthfully: perf-gate writes the file and the workflow uploads it, so
// the comment and the job summary link "the artifact of this run" only when the workflow names the
// artifact it uploads (the Action's `report-artifact`); otherwise they say where the file was written.
import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../src/report/model/build-model.ts';
import { renderReport } from '../../src/report/report.ts';
import { loadTemplates } from '../../src/report/templates.ts';
import { gateReport } from '../helpers/report.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

const RUN_URL = 'https://github.com/o/r/actions/runs/7';

function report(runUrl?: string) {
  const side = (label: string, ms: number) =>
    syntheticRun(
      [syntheticScenario('shop', [{ name: 'quote', trialsMs: Array.from({ length: 4 }, () => [ms, ms]) }])],
      label,
    );
  const baseline = side('baseline', 10);
  const candidate = side('candidate', 10);
  return gateReport(baseline, candidate, { context: runUrl ? { runUrl } : {} });
}

const line = (runUrl: string | undefined, opts: { htmlReport?: string; reportArtifact?: string }) =>
  buildReportModel(report(runUrl), opts).fullReport;

describe('the line that says where the HTML report is', () => {
  it('links the artifact of this run only when the workflow names the artifact it uploads', () => {
    const opts = { htmlReport: '.perf-gate/report.html', reportArtifact: 'perf-gate-report' };
    expect(line(RUN_URL, opts)).toBe(
      `📄 Charts, latency distributions and per-trial plots: \`.perf-gate/report.html\` in the artifact \`perf-gate-report\` of [this run](${RUN_URL}).`,
    );
    // Both the comment and the job summary carry it.
    const rendered = renderReport(report(RUN_URL), loadTemplates(), opts);
    expect(rendered.comment).toContain(`in the artifact \`perf-gate-report\` of [this run](${RUN_URL})`);
    expect(rendered.summary).toContain(`in the artifact \`perf-gate-report\` of [this run](${RUN_URL})`);
  });

  it('otherwise says where the file was written, never that the run has it', () => {
    const opts = { htmlReport: '.perf-gate/report.html' };
    expect(line(RUN_URL, opts)).toBe(
      '📄 Charts, latency distributions and per-trial plots: written to `.perf-gate/report.html` (upload it with actions/upload-artifact to read it from the run page).',
    );
    // Outside CI there is no run page to upload to.
    expect(line(undefined, opts)).toBe(
      '📄 Charts, latency distributions and per-trial plots: written to `.perf-gate/report.html`.',
    );
    const { comment } = renderReport(report(RUN_URL), loadTemplates(), opts);
    expect(comment).toContain('written to `.perf-gate/report.html`');
    expect(comment).not.toContain('artifact `');
    expect(comment).not.toContain('artifacts of');
  });

  it('keeps a backtick in a path or name from ending its code span', () => {
    expect(line(undefined, { htmlReport: 'a`b/report.html', reportArtifact: 'x`y' })).toBe(
      '📄 Charts, latency distributions and per-trial plots: `a_b/report.html` in the artifact `x_y`.',
    );
  });
});
