// The self-contained HTML report: one file with inline CSS and SVG, no script and no network, readable
// offline, in light and dark themes, with headings, table semantics and shapes as well as colours.
// It is drawn from the JSON report alone, so `perf-gate report` can write it again. Pure.
import { METRICS, type MetricDef } from '../../compare/metrics.ts';
import type { MetricComparison } from '../../compare/types.ts';
import type { SeriesRule } from '../../compare/rules.ts';
import { formatChange, formatP, formatValue } from '../../compare/format.ts';
import type { AttributionResult } from '../../attribution/attribute.ts';
import type { ReportHistory } from '../../history/report-data.ts';
import type { ScenarioRightsizing } from '../../rightsizing/index.ts';
import { latencyBars } from '../model/chart.ts';
import { html } from '../../util/markdown.ts';
import type { LatencyDistribution, RunSummary } from '../../contracts/report.ts';
import type { ReportJson } from '../model/report-json.ts';
import { barsChart, curveChart, intervalChart, stripChart, trendChart, type IntervalRow } from './svg.ts';

const TITLE: Record<ReportJson['verdict']['outcome'], string> = {
  pass: 'Passed: no performance regression',
  warn: 'Passed with warnings',
  fail: 'Failed: performance regression',
  inconclusive: 'Inconclusive',
  'no-baseline': 'No baseline yet',
};

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0;
  --base: #0969da; --cand: #bc4c00; --bad: #cf222e; --good: #1a7f37; --panel: #f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117;
  --line: #3d444d; --base: #4493f8; --cand: #f0883e; --bad: #f85149; --good: #3fb950; --panel: #151b23; } }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
  max-width: 980px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.6em; margin: 0.4em 0; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05em; }
.verdict { padding: 12px 16px; border-left: 6px solid var(--muted); background: var(--panel); }
.verdict.fail { border-color: var(--bad); } .verdict.pass { border-color: var(--good); }
dl.context { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
dl.context dt { color: var(--muted); } dl.context dd { margin: 0; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.92em; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
.muted { color: var(--muted); }
svg.chart { max-width: 100%; height: auto; display: block; margin: 8px 0; }
svg text { fill: var(--fg); font-size: 12px; } svg .tick { fill: var(--muted); font-size: 11px; }
svg .grid { stroke: var(--line); stroke-width: 1; } svg .zero { stroke: var(--fg); stroke-width: 1; }
svg .bar.base { fill: var(--base); opacity: 0.55; } svg .bar.cand { fill: var(--cand); opacity: 0.55; }
svg .range { stroke: var(--fg); stroke-width: 2; }
svg .base:not(.bar):not(.curve) { fill: var(--base); } svg .cand:not(.bar):not(.curve) { fill: var(--cand); }
svg .curve { stroke-width: 2; } svg .curve.base { stroke: var(--base); } svg .curve.cand { stroke: var(--cand); stroke-dasharray: 6 3; }
svg .ci { stroke: var(--muted); stroke-width: 4; } svg .ci.failing { stroke: var(--bad); }
svg .trend-line { stroke: var(--base); stroke-width: 2; } svg .trend-link { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 4 3; }
figure { margin: 8px 0 16px; } figcaption { color: var(--muted); }
svg .estimate { fill: var(--fg); } svg .min-effect { stroke: var(--bad); stroke-width: 2; stroke-dasharray: 3 2; }
.legend span { margin-right: 16px; }
`;

const LEGEND =
  '<p class="legend"><span>● baseline (circles, blue)</span><span>■ candidate (squares, orange; dashed curve)</span></p>';

function table(caption: string, head: string[], rows: string[][], numeric: number[] = []): string {
  const cell = (tag: 'th' | 'td', c: string, i: number) =>
    `<${tag}${tag === 'th' ? ' scope="col"' : ''}${numeric.includes(i) ? ' class="num"' : ''}>${c}</${tag}>`;
  return [
    '<table>',
    `<caption>${html(caption)}</caption>`,
    `<thead><tr>${head.map((h, i) => cell('th', html(h), i)).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map((r) => `<tr>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`),
    '</tbody></table>',
  ].join('\n');
}

function series(m: { scenario: string; request: string | null }): string {
  return `${m.scenario} / ${m.request ?? 'all requests'}`;
}

function sideText(s: RunSummary | null, role: string): string {
  if (!s) return 'none';
  const git = s.meta.git;
  const target = [...new Set(s.scenarios.map((x) => x.target).filter(Boolean))].join(', ');
  const rev = git
    ? `${git.ref ? `${git.ref} @ ` : ''}${git.sha.slice(0, 7)}${git.dirty ? ' (uncommitted changes)' : ''}`
    : '';
  return [rev || (s.meta.label && s.meta.label !== role ? s.meta.label : ''), target, s.meta.startedAt]
    .filter(Boolean)
    .join(' · ');
}

/** "+10%" / "-5%" as a signed fraction, or null. */
function parseMinEffect(text: string | undefined): number | null {
  const m = text?.match(/^([+-]?\d+(?:\.\d+)?)\s*%$/);
  return m ? Number(m[1]) / 100 : null;
}

function metricsTable(report: ReportJson): string {
  const metrics = report.comparison?.metrics ?? [];
  const rows = metrics.map((m, i) => {
    const { change, ci } = formatChange(m.change);
    const status = report.verdict.statuses[i] ?? 'unchanged';
    return [
      html(series(m)),
      html(METRICS[m.metric].id + (m.gating ? '' : ' (info)')),
      html(formatValue(m.unit, m.baselineMedian)),
      html(formatValue(m.unit, m.candidateMedian)),
      status === 'regression'
        ? `<strong>${html(change)}</strong> ${html(ci)}`
        : `${html(change)} ${html(ci)}`,
      html(formatP(m.pHolm ?? m.p)),
      html(status),
    ];
  });
  return table(
    'Every compared series: medians over the trials, the change with its 95 % interval, Holm-adjusted p.',
    ['Series', 'Metric', 'Baseline', 'Candidate', 'Change [95 % CI]', 'p', 'Status'],
    rows,
    [2, 3, 5],
  );
}

function intervalRows(report: ReportJson): IntervalRow[] {
  const metrics = report.comparison?.metrics ?? [];
  return metrics
    .map((m, i) => ({ m, status: report.verdict.statuses[i] ?? 'unchanged' }))
    .filter(({ m }) => m.gating && m.change !== null && m.change.scale === 'ratio')
    .map(({ m, status }) => {
      const finding = report.verdict.findings.find(
        (f) => f.scenario === m.scenario && f.request === m.request && f.metric === m.metric,
      );
      // The rule compare carried; reports written before rules were carried name it on the finding only.
      const rule = m.rule as SeriesRule | undefined;
      const min = rule ? rule.minEffect.value : parseMinEffect(finding?.minEffect);
      return {
        label: `${m.request ?? 'all requests'} ${METRICS[m.metric].id}`,
        estimate: m.change!.estimate,
        lower: m.change!.lower,
        upper: m.change!.upper,
        minEffect: min === null ? null : m.worse === 'higher' ? Math.abs(min) : -Math.abs(min),
        // What fails the gate: not an approved regression, nor one within the run's own noise.
        failing: status === 'regression' && !finding?.approved && !finding?.withinNoise,
      };
    });
}

/** Per-request sections show this many requests at most, the most changed p95 first. */
const MAX_REQUESTS = 30;

/** Requests ordered by how much their p95 changed (unknown last). */
function byChange(metrics: MetricComparison[]): MetricComparison[] {
  return metrics
    .filter((m) => m.metric === 'p95' && m.request !== null)
    .sort((a, b) => Math.abs(b.change?.estimate ?? -1) - Math.abs(a.change?.estimate ?? -1));
}

function trialRows(metrics: MetricComparison[]) {
  return byChange(metrics)
    .filter((m) => m.baseline.length || m.candidate.length)
    .slice(0, MAX_REQUESTS)
    .map((m) => ({
      label: m.request!,
      baseline: m.baseline.map((v) => v / 1000),
      candidate: m.candidate.map((v) => v / 1000),
    }));
}

function distributionsSection(report: ReportJson): string {
  const d = report.distributions;
  if (!d || d.candidate.length === 0) return '';
  const key = (x: LatencyDistribution) => `${x.scenario}\u0000${x.request}`;
  const base = new Map(d.baseline.map((x) => [key(x), x]));
  const ms = (x: LatencyDistribution | undefined) =>
    x ? x.percentilesUs.map(([p, us]): [number, number] => [p, us / 1000]) : [];
  // The most changed requests first (the order of the comparison's p95 rows), at most MAX_REQUESTS.
  const order = byChange(report.comparison?.metrics ?? []).map((m) => `${m.scenario}\u0000${m.request}`);
  const rank = (x: LatencyDistribution) => {
    const i = order.indexOf(key(x));
    return i < 0 ? order.length : i;
  };
  const shown = [...d.candidate].sort((a, b) => rank(a) - rank(b)).slice(0, MAX_REQUESTS);
  const omitted = d.candidate.length - shown.length;
  const parts = shown.map((c) => {
    const b = base.get(key(c));
    return [
      `<h3>${html(`${c.scenario} / ${c.request}`)}</h3>`,
      curveChart(`Latency by percentile for ${c.request}: baseline and candidate`, {
        label: c.request,
        baseline: ms(b),
        candidate: ms(c),
      }),
      '<details><summary>The percentiles as a table</summary>',
      table(
        `Latency percentiles of ${c.request} (ms), from ${b?.count ?? 0} baseline and ${c.count} candidate responses`,
        ['Percentile', 'Baseline', 'Candidate'],
        c.percentilesUs.map(([p, us], i) => [
          p === 0 ? 'min' : p === 100 ? 'max' : `p${p}`,
          // A report from elsewhere may list the sides' percentiles differently: a missing one is n/a.
          b?.percentilesUs[i] ? (b.percentilesUs[i][1] / 1000).toFixed(2) : 'n/a',
          (us / 1000).toFixed(2),
        ]),
        [1, 2],
      ),
      '</details>',
    ].join('\n');
  });
  if (omitted > 0) {
    parts.push(
      `<p class="muted">${omitted} more requests changed less; their percentiles are in report.json.</p>`,
    );
  }
  return ['<h2 id="distributions">Latency distributions</h2>', LEGEND, ...parts].join('\n');
}

/** A metric's values as the charts show them: latency in ms, error rate in %, memory in MiB. */
function displayScale(metric: string): { factor: number; unit: string; def: MetricDef | undefined } {
  const def = (METRICS as Record<string, MetricDef | undefined>)[metric];
  switch (def?.unit) {
    case 'us':
      return { factor: 1 / 1000, unit: 'ms', def };
    case 'fraction':
      return { factor: 100, unit: '%', def };
    case 'bytes':
      return { factor: 1 / 1024 ** 2, unit: 'MiB', def };
    default:
      return { factor: 1, unit: def?.unit ?? '', def };
  }
}

/** The base branch's history: creep and change points as text, and per trend a chart with a table. */
function historySection(raw: unknown): string {
  const h = raw as ReportHistory | undefined;
  if (!h) return '';
  const out = [
    '<h2 id="history">Base branch history</h2>',
    `<p>From the last ${html(String(h.runs))} runs stored for the base branch (docs/history.md).</p>`,
  ];
  const list = (heading: string, items: string[]) =>
    items.length
      ? [`<h3>${html(heading)}</h3>`, `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`]
      : [];
  out.push(
    ...list(
      'Slow creep',
      h.creep.map(
        (c) =>
          `${html(c.text)}${c.commits.length ? ` <span class="muted">(${html(c.commits.join(', '))})</span>` : ''}`,
      ),
    ),
    ...list(
      'Change points',
      h.changePoints.map(
        (c) =>
          `${c.direction === 'regression' ? 'Slower' : 'Faster'}: ${html(c.label)} ${html(c.change)} between ${html(c.between)} <span class="muted">(${html(c.at)})</span>`,
      ),
    ),
  );
  for (const t of h.trends) {
    const { factor, unit, def } = displayScale(t.metric);
    const values = t.values.map((v) => v * factor);
    const cand = t.candidate === null ? null : t.candidate * factor;
    const show = (v: number | null) => (def ? formatValue(def.unit, v) : String(v ?? 'n/a'));
    const range = values.length
      ? `${values.length} main-branch runs from ${t.commits[0]?.slice(0, 7) ?? '?'} to ${t.commits.at(-1)?.slice(0, 7) ?? '?'}, between ${show(Math.min(...t.values))} and ${show(Math.max(...t.values))}, the last ${show(t.values.at(-1)!)}`
      : 'no main-branch runs';
    const desc = `${range}; ${t.candidate === null ? 'no candidate value' : `candidate ${show(t.candidate)}`}.`;
    out.push(
      `<h3>${html(t.label)}</h3>`,
      '<figure>',
      trendChart(`${t.label}: the base branch's last values (circles), then the candidate (square)`, desc, {
        values,
        labels: t.commits,
        candidate: cand,
        unit,
      }),
      `<figcaption>${html(desc)}</figcaption>`,
      '</figure>',
      '<details><summary>The values as a table</summary>',
      table(
        `${t.label}: base branch runs, oldest first, then the candidate`,
        ['Run', 'Commit', 'Value'],
        [
          ...t.values.map((v, i) => [String(i + 1), html(t.commits[i] ?? ''), html(show(v))]),
          ...(t.candidate === null ? [] : [['candidate', 'this change', html(show(t.candidate))]]),
        ],
        [0, 2],
      ),
      '</details>',
    );
  }
  for (const n of h.notes) out.push(`<p class="muted">${html(n)}</p>`);
  return out.join('\n');
}

type Reported = Omit<AttributionResult, 'diff'>;

function attributionSection(raw: unknown): string {
  const a = raw as Reported | undefined;
  if (!a || a.status === 'unavailable') return '';
  const out: string[] = ['<h2 id="attribution">Where the time went</h2>'];
  if (a.cpu) {
    out.push(
      `<p>CPU per request in the profiles: ${a.cpu.baselineMs.toFixed(3)} → ${a.cpu.candidateMs.toFixed(3)} ms (${a.cpu.significant ? `p=${html(formatP(a.cpu.p))}` : 'not significant'}).</p>`,
    );
  }
  const phases = (a.phases ?? []).filter((r) => r.phases.length > 0);
  if (phases.length) {
    out.push(
      '<h3>Server-Timing phases</h3>',
      table(
        'Mean time per phase and request (ms), baseline and candidate',
        ['Request', 'Phase', 'Baseline', 'Candidate', 'Shift', 'Share of the latency shift'],
        phases.flatMap((r) =>
          r.phases.map((p) => [
            html(r.requestName),
            html(p.phase),
            p.baselineMs.toFixed(2),
            p.candidateMs.toFixed(2),
            `${p.shiftMs >= 0 ? '+' : '−'}${Math.abs(p.shiftMs).toFixed(2)}`,
            p.explainsShare === null ? '' : `${(p.explainsShare * 100).toFixed(0)} %`,
          ]),
        ),
        [2, 3, 4, 5],
      ),
    );
  }
  if (a.suspects.length) {
    out.push(
      '<h3>Profile diff: suspects in the changed code</h3>',
      table(
        'Functions and files whose CPU grew, credited to this change',
        ['#', 'Suspect', 'Where', 'Extra CPU per request', 'Share', 'Confidence'],
        a.suspects.map((x, i) => [
          String(i + 1),
          html(x.name + (x.kind === 'function' ? '()' : '')),
          html(x.file ? `${x.file}${x.line ? `:${x.line}` : ''}` : ''),
          `+${x.creditMs.toFixed(3)} ms`,
          `${(x.share * 100).toFixed(0)} %`,
          html(x.confidence),
        ]),
        [0, 3, 4],
      ),
      '<p class="muted">The whole profile diff is next to this file: <a href="profile.speedscope.json">profile.speedscope.json</a> (open it in speedscope) and <a href="diff.folded">diff.folded</a> (input for a differential flame graph, flamegraph.pl).</p>',
    );
  }
  for (const n of a.notes) out.push(`<p>${html(n)}</p>`);
  return out.join('\n');
}

function rightsizingSection(raw: unknown): string {
  const items = Array.isArray(raw) ? (raw as ScenarioRightsizing[]) : [];
  if (!items.length) return '';
  const out = ['<h2 id="rightsizing">Resources and rightsizing (advisory)</h2>'];
  for (const { scenario, report: r } of items) {
    out.push(
      `<h3>${html(scenario)}</h3>`,
      `<p>${html(r.headline)} <span class="muted">(${html(r.label)})</span></p>`,
    );
    const m = r.measured;
    const facts: Array<[string, string]> = [];
    if (m.cpuCoresP95 !== undefined) facts.push(['CPU at p95', `${m.cpuCoresP95.toFixed(2)} cores`]);
    if (m.cpuMsPerRequest !== undefined)
      facts.push(['CPU per request', `${m.cpuMsPerRequest.toFixed(3)} ms`]);
    if (m.memoryPeakBytes !== undefined)
      facts.push(['Memory peak', `${(m.memoryPeakBytes / 1024 ** 2).toFixed(0)} MiB`]);
    if (r.instance)
      facts.push(['Cheapest fit', `${r.instance.type}, $${r.instance.monthlyUsd.toFixed(2)}/month`]);
    if (facts.length)
      out.push(
        table(
          'Measured and needed',
          ['Figure', 'Value'],
          facts.map(([k, v]) => [html(k), html(v)]),
        ),
      );
    for (const f of r.findings) out.push(`<p>${html(f.message)}</p>`);
  }
  return out.join('\n');
}

export function renderHtmlReport(report: ReportJson): string {
  const { verdict, comparison } = report;
  const bars = comparison ? latencyBars(comparison.metrics) : [];
  const intervals = intervalRows(report);
  const trials = comparison ? trialRows(comparison.metrics) : [];
  const failing = verdict.findings.filter(
    (f) => (f.status === 'regression' || f.status === 'budget-exceeded') && !f.withinNoise,
  );
  // The failing findings are the table above; the reasons list keeps only what it does not say.
  const shown = new Set(failing.map((f) => f.message));
  const reasons = verdict.reasons.filter((r) => !shown.has(r));
  const sections = [
    `<header class="verdict ${html(verdict.outcome)}">`,
    `<h1>perf-gate: ${html(TITLE[verdict.outcome])}</h1>`,
    `<p>${html(verdict.headline)}</p>`,
    '</header>',
    '<dl class="context">',
    `<dt>Baseline</dt><dd>${html(sideText(report.baseline, 'baseline'))}</dd>`,
    `<dt>Candidate</dt><dd>${html(sideText(report.candidate, 'candidate'))}</dd>`,
    `<dt>Mode</dt><dd>${comparison?.mode === 'paired' ? 'paired (baseline re-measured in the same job, interleaved)' : 'stored baseline'}</dd>`,
    comparison?.trials.length
      ? `<dt>Trials</dt><dd>${html(comparison.trials.map((t) => `${t.scenario}: ${comparison.mode === 'paired' ? `${Math.min(t.baseline, t.candidate)} pairs` : `${t.baseline} vs ${t.candidate}`}`).join(', '))}</dd>`
      : '',
    `<dt>Generated</dt><dd>${html(report.generatedAt)}</dd>`,
    '</dl>',
    failing.length
      ? [
          '<h2 id="failing">What fails the gate</h2>',
          table(
            'Regressions and exceeded budgets, the worst first',
            ['Finding', 'Approved'],
            failing.map((f) => [
              html(f.message),
              html(f.approved ? `${f.approved.source}: ${f.approved.reason}` : 'no'),
            ]),
          ),
        ].join('\n')
      : '',
    reasons.length
      ? `<h2 id="reasons">Why this verdict</h2>\n<ul>${reasons.map((r) => `<li>${html(r)}</li>`).join('')}</ul>`
      : '',
    bars.length
      ? [
          '<h2 id="latency">p95 latency per request</h2>',
          LEGEND,
          barsChart(
            'p95 latency per request: baseline and candidate bars (median of the trials) with the trials’ range',
            bars,
          ),
        ].join('\n')
      : '',
    intervals.length
      ? [
          '<h2 id="intervals">Changes against the minimum effect</h2>',
          '<p class="muted">Each bar is a 95 % interval of the relative change; the dashed mark is the minimum effect that counts as a regression. A regression (✗) has its whole interval beyond it.</p>',
          intervalChart(
            'Relative change of each gating metric with its 95 % interval and minimum effect',
            intervals,
          ),
        ].join('\n')
      : '',
    trials.length
      ? [
          '<h2 id="trials">p95 of every trial</h2>',
          trials.length === MAX_REQUESTS
            ? `<p class="muted">The ${MAX_REQUESTS} most changed requests.</p>`
            : '',
          LEGEND,
          stripChart(
            'p95 latency of each trial, per request: baseline circles, candidate squares',
            trials,
            'ms',
          ),
        ].join('\n')
      : '',
    historySection(report.history),
    distributionsSection(report),
    attributionSection(report.attribution),
    rightsizingSection(report.rightsizing),
    comparison?.metrics.length ? `<h2 id="metrics">All metrics</h2>\n${metricsTable(report)}` : '',
  ].filter(Boolean);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No script, no remote resource: the report works offline and from an artifact.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>perf-gate: ${html(TITLE[verdict.outcome])}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...sections,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
