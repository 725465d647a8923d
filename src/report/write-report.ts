// Writes the JSON report and its renderings (comment, summary, self-contained HTML) into the output directory (CLI and Action alike).
import path from 'node:path';
import { atomicWrite } from '../util/atomic-write.ts';
import type { ReportJson } from './model/report-json.ts';
import type { RenderedReport } from './report.ts';

export interface ReportFiles {
  report: string;
  comment: string;
  summary: string;
  html: string;
}

export async function writeReportFiles(
  outDir: string,
  report: ReportJson,
  rendered: RenderedReport,
): Promise<ReportFiles> {
  const files = {
    report: path.join(outDir, 'report.json'),
    comment: path.join(outDir, 'comment.md'),
    summary: path.join(outDir, 'summary.md'),
    html: path.join(outDir, 'report.html'),
  };
  await atomicWrite(files.report, `${JSON.stringify(report, null, 2)}\n`);
  await atomicWrite(files.comment, rendered.comment);
  await atomicWrite(files.summary, rendered.summary);
  await atomicWrite(files.html, rendered.html);
  return files;
}
