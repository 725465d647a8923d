// From a decided gate to the JSON report and its Markdown renderings (comment and job summary). Pure:
// templates come in as text, the clock as a value.
import type { Comparison } from '../compare/types.ts';
import type { RunResult } from '../contracts/run-result.ts';
import type { Verdict } from '../verdict/types.ts';
import type { Redactor } from '../util/redact.ts';
import { buildReportModel, type ModelOptions } from './model/build-model.ts';
import { REPORT_SCHEMA_VERSION, type ReportContext } from '../contracts/report.ts';
import { summarizeRunForReport, type ReportJson } from './model/report-json.ts';
import { latencyDistributions } from './distributions.ts';
import { renderHtmlReport } from './render/html.ts';
import { compileTemplates, renderWithinLimit, type TemplateSet } from './render/render.ts';

export interface ReportInput {
  verdict: Verdict;
  comparison: Comparison | null;
  candidate: RunResult;
  baseline: RunResult | null;
  context: ReportContext;
  generatedAt: string;
  rightsizing?: unknown;
  attribution?: unknown;
  /** The main branch's history (src/history/report-data.ts), when the store keeps one. */
  history?: unknown;
}

/** The JSON report; secrets are masked once more here because it is written and published. */
export function createReportJson(input: ReportInput, redactor?: Redactor): ReportJson {
  const report: ReportJson = {
    kind: 'perf-gate/report',
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: input.generatedAt,
    context: input.context,
    verdict: input.verdict,
    comparison: input.comparison,
    candidate: summarizeRunForReport(input.candidate),
    baseline: input.baseline ? summarizeRunForReport(input.baseline) : null,
    distributions: {
      baseline: input.baseline ? latencyDistributions(input.baseline) : [],
      candidate: latencyDistributions(input.candidate),
    },
    ...(input.rightsizing !== undefined ? { rightsizing: input.rightsizing } : {}),
    ...(input.attribution !== undefined ? { attribution: input.attribution } : {}),
    ...(input.history !== undefined ? { history: input.history } : {}),
  };
  return redactor ? redactor.redactDeep(report) : report;
}

export interface RenderedReport {
  comment: string;
  summary: string;
  /** The self-contained HTML report (report.html). */
  html: string;
}

export function renderReport(
  report: ReportJson,
  templates: TemplateSet,
  options: ModelOptions = {},
  redactor?: Redactor,
): RenderedReport {
  const model = buildReportModel(redactor ? redactor.redactDeep(report) : report, options);
  const compiled = compileTemplates(templates);
  const mask = (s: string) => (redactor ? redactor.redact(s) : s);
  return {
    comment: mask(renderWithinLimit(compiled.comment, model)),
    // The job summary has a 1 MiB limit; the same bound keeps it readable.
    summary: mask(renderWithinLimit(compiled.summary, model, 200_000)),
    html: mask(renderHtmlReport(redactor ? redactor.redactDeep(report) : report)),
  };
}
