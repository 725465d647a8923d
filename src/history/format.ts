// The history analysis as plain text, for the terminal and logs: change points first (the newest first), then
// creep, then notes. Numbers are shown as the comparison table shows them: a signed percentage with its
// interval for ratio metrics, percentage points for error rates.
import type { HistoryAnalysis } from './analyze.ts';
import type { ChangePoint, RunRef } from './change-points.ts';
import type { Creep } from './creep.ts';

const at = (r: RunRef): string => r.commit?.slice(0, 12) ?? r.id;
const pct = (ratio: number): string => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)} %`;
const pp = (d: number): string => `${d >= 0 ? '+' : ''}${(d * 100).toFixed(2)} pp`;

/** "checkout/get p95" from a series key `<scenario>/<request or *>/<metric>@<fingerprint>`. */
export function seriesLabel(key: string): string {
  const [path] = key.split('@');
  const parts = path!.split('/');
  const metric = parts.pop()!;
  const request = parts.pop()!;
  const scenario = parts.join('/');
  return request === '*' ? `${scenario} ${metric}` : `${scenario}/${request} ${metric}`;
}

export function formatChange(c: Pick<ChangePoint, 'scale' | 'estimate' | 'lower' | 'upper'>): string {
  const f = c.scale === 'ratio' ? pct : pp;
  return `${f(c.estimate)} [${f(c.lower)}, ${f(c.upper)}]`;
}

export function formatCreep(c: Creep): string {
  const size = c.scale === 'ratio' ? pct(c.change) : pp(c.change);
  const first = c.runs[0]!;
  const last = c.runs.at(-1)!;
  return (
    `${seriesLabel(c.series)} crept ${size} over ${c.runs.length} merges (${at(first)}..${at(last)}, ` +
    `trend p = ${c.trendP.toPrecision(2)}) without a single step; commits: ${c.runs.map(at).join(' ')}`
  );
}

export function historyText(a: HistoryAnalysis): string {
  const lines: string[] = [`${a.runs} run(s) in the history, ${a.series.length} series analysed`];
  const changes = [...a.changePoints].sort(
    (x, y) => Date.parse(y.after.finishedAt) - Date.parse(x.after.finishedAt),
  );
  if (changes.length === 0) lines.push('no change points');
  else lines.push('', 'change points (newest first):');
  for (const c of changes) {
    lines.push(
      `  ${c.direction === 'regression' ? 'REGRESSION ' : 'improvement'} ${seriesLabel(c.series)} ` +
        `${formatChange(c)} between ${at(c.before)} and ${at(c.after)} (${c.after.finishedAt}, p = ${c.pValue.toPrecision(2)})` +
        (c.runnerChanged ? ' - the runner changed here too' : ''),
    );
  }
  if (a.creep.length > 0) {
    lines.push('', 'creep (no single step, but a drift past the minimum effect):');
    for (const c of a.creep) lines.push(`  ${formatCreep(c)}`);
  }
  if (a.notes.length > 0) {
    lines.push('', 'notes:');
    for (const n of a.notes) lines.push(`  ${n}`);
  }
  return lines.join('\n');
}
