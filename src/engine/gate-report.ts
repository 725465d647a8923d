// After a gate: explain the regressions, build the JSON report (with rightsizing and attribution when
// there is data), render the comment and summary, and write them with the artifacts. Shared by the CLI's
// `gate` and the Action.
import path from 'node:path';
import type { ChangedFile } from '../attribution/diff.ts';
import type { ReportContext } from '../contracts/report.ts';
import { createReportJson, renderReport, type RenderedReport } from '../report/report.ts';
import { loadTemplates } from '../report/templates.ts';
import { writeReportFiles, type ReportFiles } from '../report/write-report.ts';
import { rightsizingForRun, type RightsizingSettings } from '../rightsizing/index.ts';
import type { Redactor } from '../util/redact.ts';
import { explainRegressions } from './attribution-input.ts';
import { attributionForReport, writeAttributionArtifacts } from './attribution-output.ts';
import type { GateResult } from './run-gate.ts';
import type { ReportJson } from '../report/model/report-json.ts';
import type { HistoryAnalysis } from '../history/analyze.ts';
import { historyForReport } from '../history/report-data.ts';

export interface GateReportOptions {
  result: GateResult;
  context: ReportContext;
  outDir: string;
  repoRoot: string;
  rightsizing?: RightsizingSettings;
  /** The change under test, or a revision to diff the checkout against, or why neither is known. */
  changes?: ChangedFile[];
  diffBase?: string;
  changesUnavailable?: string;
  /** Per-trial profile files the user provides (compare). */
  profileDirs?: { baseline: string; candidate: string };
  templateDir?: string;
  /** The artifact name the workflow uploads report.html under, so the comment can point at it. */
  reportArtifact?: string;
  redactor?: Redactor;
  /** The baseline branch's history analysis (stored mode with a history), for trends and creep alerts. */
  history?: HistoryAnalysis;
}

export async function writeGateReport(
  o: GateReportOptions,
): Promise<{ report: ReportJson; rendered: RenderedReport; files: ReportFiles; artifacts: string[] }> {
  const { result } = o;
  const explained =
    result.baseline &&
    explainRegressions({
      baseline: result.baseline,
      candidate: result.candidate,
      verdict: result.verdict,
      repoRoot: o.repoRoot,
      mode: result.mode,
      ...(o.changes ? { changes: o.changes } : {}),
      ...(o.diffBase ? { diffBase: o.diffBase } : {}),
      ...(o.changesUnavailable ? { changesUnavailable: o.changesUnavailable } : {}),
      ...(o.profileDirs ? { profileDirs: o.profileDirs } : {}),
    });
  const artifacts = explained ? await writeAttributionArtifacts(o.outDir, explained, o.repoRoot) : [];
  const rightsizing = rightsizingForRun(result.candidate, result.baseline ?? null, o.rightsizing);
  const report = createReportJson(
    {
      verdict: result.verdict,
      comparison: result.comparison ?? null,
      candidate: result.candidate,
      baseline: result.baseline ?? null,
      context: { ...o.context, ...(result.pairing ? { pairing: { seed: result.pairing.seed } } : {}) },
      generatedAt: new Date().toISOString(),
      ...(rightsizing.length ? { rightsizing } : {}),
      ...(explained ? { attribution: attributionForReport(explained) } : {}),
      ...(o.history ? { history: historyForReport(o.history, result.verdict) } : {}),
    },
    o.redactor,
  );
  const htmlReport = path.relative(o.repoRoot, path.join(o.outDir, 'report.html'));
  const rendered = renderReport(
    report,
    loadTemplates(o.templateDir),
    { htmlReport, ...(o.reportArtifact ? { reportArtifact: o.reportArtifact } : {}) },
    o.redactor,
  );
  const files = await writeReportFiles(o.outDir, report, rendered);
  return { report, rendered, files, artifacts };
}
