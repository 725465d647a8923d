// The base branch's history as a job-summary section for the push (baseline) run: creep alerts with their
// commits first, then change points. Escaped for Markdown. Pure.
import { mdText } from '../util/markdown.ts';
import type { ReportHistory } from './report-data.ts';

export function historySummaryMarkdown(branch: string, h: ReportHistory): string {
  const lines = [`### 📈 History of ${mdText(branch)} (${h.runs} runs)`, ''];
  if (h.creep.length > 0) {
    lines.push('**Creep**: every merge passed, but together they moved past the minimum effect:', '');
    for (const c of h.creep) lines.push(`- ${mdText(c.text)}`);
    lines.push('');
  }
  if (h.changePoints.length > 0) {
    lines.push('**Change points** (newest first):', '');
    for (const c of h.changePoints) {
      lines.push(
        `- ${c.direction}: ${mdText(c.label)} ${mdText(c.change)} between ${mdText(c.between)} (${mdText(c.at)})`,
      );
    }
    lines.push('');
  }
  if (h.creep.length === 0 && h.changePoints.length === 0) lines.push('No change point and no creep.', '');
  for (const n of h.notes) lines.push(`- ${mdText(n)}`);
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The job summary of a `mark-bad` run: what was excluded, by whom, why. */
export function markBadSummary(branch: string, runId: string, by: string, reason: string): string {
  return (
    `## perf-gate: run excluded from ${mdText(branch)}\n\n` +
    `Run \`${mdText(runId)}\` no longer counts in the baseline or the history of ${mdText(branch)}.\n\n` +
    `- by: ${mdText(by)}\n- reason: ${mdText(reason)}\n`
  );
}
