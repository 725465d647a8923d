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
import { attribute, type AttributionResult } from '../attribution/attribute.ts';
import { explainRegressions, gatherAttributionInput } from './attribution-input.ts';
import { attributionForReport, writeAttributionArtifacts } from './attribution-output.ts';
import type { GateResult } from './measure-and-decide.ts';
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
  /**
   * Whole-process CPU profiles (`--cpu-prof` of a started service, cut into trials): the demo's. The first
   * scenario is explained even without a regression, so an identical candidate shows it has no suspects.
   */
  processProfiles?: { baselineDir: string; candidateDir: string };
  /** Links in the comment are relative to this directory (default: repoRoot). */
  linkBase?: string;
  /** When the report was made (default: now). */
  generatedAt?: string;
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
  const explained = explain(o);
  const artifacts = explained ? await writeAttributionArtifacts(o.outDir, explained, o.repoRoot) : [];
  const rightsizing = rightsizingForRun(result.candidate, result.baseline ?? null, o.rightsizing);
  const report = createReportJson(
    {
      verdict: result.verdict,
      comparison: result.comparison ?? null,
      candidate: result.candidate,
      baseline: result.baseline ?? null,
      context: { ...o.context, ...(result.pairing ? { pairing: { seed: result.pairing.seed } } : {}) },
      generatedAt: o.generatedAt ?? new Date().toISOString(),
      ...(rightsizing.length ? { rightsizing } : {}),
      ...(explained ? { attribution: attributionForReport(explained) } : {}),
      ...(o.history ? { history: historyForReport(o.history, result.verdict) } : {}),
    },
    o.redactor,
  );
  const htmlReport = path.relative(o.linkBase ?? o.repoRoot, path.join(o.outDir, 'report.html'));
  const rendered = renderReport(
    report,
    loadTemplates(o.templateDir),
    { htmlReport, ...(o.reportArtifact ? { reportArtifact: o.reportArtifact } : {}) },
    o.redactor,
  );
  const files = await writeReportFiles(o.outDir, report, rendered);
  return { report, rendered, files, artifacts };
}

/** Attribution of the worst regression, or of the first scenario with whole-process profiles. */
function explain(o: GateReportOptions): AttributionResult | undefined {
  const { result } = o;
  if (!result.baseline) return undefined;
  if (o.processProfiles) {
    const worst = result.verdict.findings.find((f) => f.status === 'regression' || f.status === 'warning');
    const scenario = worst?.scenario ?? result.candidate.scenarios[0]?.name;
    if (!scenario) return undefined;
    return attribute(
      gatherAttributionInput({
        baseline: result.baseline,
        candidate: result.candidate,
        scenario,
        profiles: o.processProfiles,
        repoRoot: o.repoRoot,
        ...(o.changes ? { changes: o.changes } : {}),
        ...(o.diffBase ? { diffBase: o.diffBase } : {}),
      }),
    );
  }
  return explainRegressions({
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
}
