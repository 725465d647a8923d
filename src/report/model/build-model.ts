// ReportModel: what the templates render. Every user-controlled string is escaped here (md()), and
// every number formatted, so templates only place pre-escaped text. Pure.
import { METRICS } from '../../compare/metrics.ts';
import type { MetricComparison } from '../../compare/types.ts';
import type { Finding, Outcome } from '../../verdict/types.ts';
import { formatChange, formatP, formatValue } from '../../compare/format.ts';
import { md, mermaidLabel } from './markdown.ts';
import type { ReportJson, RunSummary } from './report-json.ts';
import type { ScenarioRightsizing } from '../../rightsizing/index.ts';
import type { ReportContext } from './report-json.ts';
import type { AttributionResult, Evidence } from '../../attribution/attribute.ts';
import type { ReportHistory } from '../../history/report-data.ts';

type ReportedAttribution = Omit<AttributionResult, 'diff'>;

export const COMMENT_MARKER_PREFIX = '<!-- perf-gate:';

export interface Row {
  series: string;
  metric: string;
  baseline: string;
  candidate: string;
  change: string;
  ci: string;
  p: string;
  pHolm: string;
  status: string;
  note: string;
  approved: string;
}

export interface RightsizingSection {
  scenario: string;
  headline: string;
  label: string;
  lines: string[];
  findings: string[];
}

export interface SuspectRow {
  rank: number;
  name: string;
  where: string;
  evidence: string;
  share: string;
  creditMs: string;
  confidence: string;
}

export interface AttributionSection {
  top: SuspectRow[];
  more: SuspectRow[];
  cpu: string;
  phases: string[];
  notes: string[];
  missing: string[];
  dependencies: string[];
}

export interface ReportModel {
  marker: string;
  outcome: Outcome;
  emoji: string;
  title: string;
  headline: string;
  reasons: string[];
  counts: ReportJson['verdict']['counts'];
  mode: string;
  alpha: string;
  context: { base: string; head: string; pr: string; runUrl: string; trials: string };
  regressions: Row[];
  budgets: Array<{ series: string; metric: string; budget: string; value: string; approved: string }>;
  warnings: Row[];
  improvements: Row[];
  inconclusive: Row[];
  details: Row[];
  detailsOmitted: number;
  chart: string;
  environment: string[];
  unmatched: Array<{ scenario: string; detail: string }>;
  approval: string;
  approveHint: string;
  /** One line near the top ("💰 ..."), empty without resource data. */
  rightsizingHeadline: string;
  rightsizing: RightsizingSection[];
  /** One line near the top ("🔎 ..."), empty without attribution data. */
  attributionHeadline: string;
  attribution: AttributionSection | null;
  /** One line near the top ("📈 ..."): creep or a change point on the base branch; empty otherwise. */
  historyHeadline: string;
  history: HistorySection | null;
  truncated: boolean;
}

/** The base branch's history, escaped and charted (minimal rendering; data from src/history/report-data.ts). */
export interface HistorySection {
  runs: number;
  changePoints: string[];
  creep: string[];
  trends: Array<{ label: string; chart: string }>;
  notes: string[];
}

const EMOJI: Record<Outcome, string> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  inconclusive: '❔',
  'no-baseline': 'ℹ️',
};

const TITLE: Record<Outcome, string> = {
  pass: 'no performance regression',
  warn: 'passed with warnings',
  fail: 'performance regression',
  inconclusive: 'inconclusive',
  'no-baseline': 'no baseline yet',
};

export interface ModelOptions {
  /** Distinguishes several perf-gate comments on one PR (e.g. one per config). */
  markerId?: string;
  /** Rows of the collapsed details table at most (the comment must stay under GitHub's size limit). */
  maxDetailRows?: number;
}

function seriesLabel(scenario: string, request: string | null): string {
  return `${md(scenario)} / ${request === null ? '_all requests_' : md(request)}`;
}

function rowOf(m: MetricComparison, status: string, finding?: Finding): Row {
  const { change, ci } = formatChange(m.change);
  return {
    series: seriesLabel(m.scenario, m.request),
    metric: METRICS[m.metric].id + (m.gating ? '' : '¹'),
    baseline: formatValue(m.unit, m.baselineMedian),
    candidate: formatValue(m.unit, m.candidateMedian),
    change,
    ci,
    p: formatP(m.p),
    pHolm: formatP(m.pHolm),
    status,
    note: m.note ? md(m.note) : '',
    approved: finding?.approved
      ? `approved (${finding.approved.source}): ${md(finding.approved.reason)}`
      : '',
  };
}

function describeSide(s: RunSummary | null, ref?: string): string {
  if (!s) return 'none';
  const git = s.meta.git;
  const parts = [ref ?? git?.ref, git ? git.sha.slice(0, 7) : undefined].filter((x): x is string => !!x);
  return parts.length ? parts.map(md).join(' @ ') : md(s.meta.label ?? 'run');
}

/** Environment differences between the two runs that make numbers less comparable. */
function environmentNotes(report: ReportJson): string[] {
  const notes: string[] = [];
  const b = report.baseline?.meta;
  const c = report.candidate.meta;
  if (b) {
    if (b.host.cpuModel !== c.host.cpuModel || b.host.cores !== c.host.cores) {
      notes.push(
        `Different hosts: baseline ${md(b.host.cpuModel)} × ${b.host.cores}, candidate ${md(c.host.cpuModel)} × ${c.host.cores}. Stored baselines from other machines are less comparable; paired mode avoids this.`,
      );
    }
    if (b.tool.node !== c.tool.node || b.tool.autocannon !== c.tool.autocannon) {
      notes.push(
        `Different tool versions: Node ${md(b.tool.node)} → ${md(c.tool.node)}, autocannon ${md(b.tool.autocannon)} → ${md(c.tool.autocannon)}.`,
      );
    }
  }
  const noise = report.verdict.noise;
  if (noise.drifted && noise.reason) notes.push(`Noisy run: ${md(noise.reason)}.`);
  for (const side of [report.baseline, report.candidate]) {
    if (!side) continue;
    for (const s of side.scenarios) {
      if (s.validTrials < s.trials) {
        notes.push(
          `${md(side.meta.label ?? 'run')} ${md(s.name)}: ${s.trials - s.validTrials} of ${s.trials} trials invalid (${s.invalidReasons.map(md).join('; ')}).`,
        );
      }
    }
  }
  return notes;
}

/** Mermaid bar chart of p95 per request, baseline vs candidate (xychart-beta renders in GitHub comments). */
function p95Chart(metrics: MetricComparison[]): string {
  const rows = metrics
    .filter((m) => m.metric === 'p95' && m.baselineMedian !== null && m.candidateMedian !== null)
    .slice(0, 12);
  if (rows.length < 1) return '';
  const labels = rows.map((m) => `"${mermaidLabel(`${m.request ?? m.scenario}`)}"`).join(', ');
  const ms = (us: number) => (us / 1000).toFixed(2);
  const max = Math.max(...rows.flatMap((m) => [m.baselineMedian!, m.candidateMedian!])) / 1000;
  return [
    '```mermaid',
    'xychart-beta',
    '  title "p95 latency per request (ms): baseline, then candidate"',
    `  x-axis [${labels}]`,
    `  y-axis "ms" 0 --> ${Math.ceil(max * 1.1 * 100) / 100}`,
    `  bar [${rows.map((m) => ms(m.baselineMedian!)).join(', ')}]`,
    `  bar [${rows.map((m) => ms(m.candidateMedian!)).join(', ')}]`,
    '```',
  ].join('\n');
}

const usd = (x: number) => `\\$${Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2)}`;
const mib = (b: number) =>
  b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(2)} GiB` : `${(b / 1024 ** 2).toFixed(0)} MiB`;

/** The rightsizing part of the model: every string escaped, every figure formatted. */
function rightsizingModel(raw: unknown): Pick<ReportModel, 'rightsizing' | 'rightsizingHeadline'> {
  const items = Array.isArray(raw) ? (raw as ScenarioRightsizing[]) : [];
  const sections = items.map(({ scenario, report: r }): RightsizingSection => {
    const lines: string[] = [];
    const m = r.measured;
    if (r.status !== 'absent') {
      const parts = [
        m.cpuCoresP95 !== undefined
          ? `CPU p95 ${m.cpuCoresP95.toFixed(2)} cores (mean ${(m.cpuCoresMean ?? 0).toFixed(2)})`
          : '',
        m.cpuMsPerRequest !== undefined ? `${m.cpuMsPerRequest.toFixed(3)} CPU-ms per request` : '',
        m.memoryPeakBytes !== undefined ? `memory peak ${mib(m.memoryPeakBytes)}` : '',
      ].filter(Boolean);
      lines.push(`Measured: ${parts.join(', ')}; ${md(r.window.description)}.`);
      const need = [
        r.need.cpuCores !== undefined ? `${r.need.cpuCores} cores` : '',
        r.need.memoryBytes !== undefined ? mib(r.need.memoryBytes) : '',
        r.need.replicas > 1 ? `${r.need.replicas} processes/replicas` : '',
      ].filter(Boolean);
      if (need.length) {
        lines.push(
          `Needed at ${r.window.targetRps.toFixed(0)} req/s: ${need.join(', ')} (${md(r.need.cpuFormula)}; ${md(r.need.memoryFormula)}).`,
        );
      }
      if (r.instance) {
        lines.push(
          `Cheapest fit: **${md(r.instance.type)}** (${r.instance.vcpu} vCPU, ${r.instance.memoryGiB} GiB) at ${usd(r.instance.monthlyUsd)}/month (${md(r.prices.provider)} ${md(r.prices.region)}, ${md(r.prices.pricing)}, prices of ${md(r.instance.date)}).`,
        );
      } else if (r.instanceNote) {
        lines.push(md(r.instanceNote));
      }
      if (r.current) {
        const delta = r.current.deltaMonthlyUsd;
        lines.push(
          `Today: ${md(r.current.description)} at ${usd(r.current.monthlyUsd)}/month` +
            (r.current.cpuUtilisationP95 !== undefined
              ? `, ${(r.current.cpuUtilisationP95 * 100).toFixed(0)} % CPU at p95`
              : '') +
            (delta !== undefined
              ? delta >= 0
                ? `: **${usd(delta)}/month could be saved**`
                : `: **${usd(-delta)}/month more is needed**`
              : '') +
            ` (${md(r.allocation)}).`,
        );
      }
      if (r.regressionCost && Math.abs(r.regressionCost.deltaCpuMsPerRequest) > 0) {
        const c = r.regressionCost;
        lines.push(
          `CPU per request ${c.baselineCpuMsPerRequest.toFixed(3)} → ${c.candidateCpuMsPerRequest.toFixed(3)} ms ` +
            `(${c.deltaCpuMsPerRequest >= 0 ? '+' : '−'}${Math.abs(c.deltaCpuMsPerRequest).toFixed(3)} ms): ` +
            `${c.extraCores >= 0 ? '+' : '−'}${Math.abs(c.extraCores).toFixed(2)} cores at ${r.window.targetRps.toFixed(0)} req/s, ` +
            `about **${c.monthlyUsd >= 0 ? '+' : '−'}${usd(Math.abs(c.monthlyUsd))}/month** (priced at ${md(c.pricedAt.type)}).`,
        );
      }
    }
    if (r.missing.length) lines.push(`Not measured: ${r.missing.map(md).join('; ')}.`);
    return {
      scenario: md(scenario),
      headline: md(r.headline),
      label: md(r.label),
      lines,
      findings: r.findings.filter((f) => f.severity === 'warning').map((f) => md(f.message)),
    };
  });
  const headline = sections.length
    ? sections.length === 1
      ? `💰 ${sections[0]!.headline}`
      : `💰 ${sections.length} scenarios with resource data: ${sections.map((x) => `${x.scenario}: ${x.headline}`).join('; ')}`
    : '';
  return { rightsizing: sections, rightsizingHeadline: headline };
}

const EVIDENCE: Record<Evidence, string> = {
  'changed-lines-hot': 'its changed lines are hot in the profile',
  self: 'changed in this PR and slower itself',
  dependency: 'a dependency upgraded in this PR',
  caller: 'changed in this PR, calls the slower code',
  'distant-caller': 'changed in this PR, further up the stack',
  file: 'in a changed file',
};

const pct0 = (x: number) => `${(x * 100).toFixed(0)} %`;

/** file:line, linked to the head commit when the repository and commit are known (GitHub blob URLs). */
function codeLink(
  file: string,
  line: number | undefined,
  ctx: ReportContext,
  sha: string | undefined,
): string {
  const label = `${md(file)}${line ? `:${line}` : ''}`;
  if (!ctx.repository || !sha || !/^[0-9a-f]{7,40}$/.test(sha) || !/^[\w.-]+\/[\w.-]+$/.test(ctx.repository))
    return label;
  const url = `https://github.com/${ctx.repository}/blob/${sha}/${file.split('/').map(encodeURIComponent).join('/')}${line ? `#L${line}` : ''}`;
  return `[${label}](${url})`;
}

function attributionModel(
  a: ReportedAttribution | undefined,
  ctx: ReportContext,
  sha: string | undefined,
): Pick<ReportModel, 'attribution' | 'attributionHeadline'> {
  if (!a || a.status === 'unavailable') {
    return {
      attributionHeadline: '',
      attribution: a
        ? {
            top: [],
            more: [],
            cpu: '',
            phases: [],
            notes: [],
            dependencies: [],
            missing: a.missing.map((m) => `${md(m.input)}: ${md(m.detail)}`),
          }
        : null,
    };
  }
  const rows = a.suspects.map((x, i): SuspectRow => ({
    rank: i + 1,
    name: x.kind === 'function' ? `**${md(x.name)}()**` : `**${md(x.name)}**`,
    where: x.file ? codeLink(x.file, x.line, ctx, sha) : '',
    evidence:
      EVIDENCE[x.evidence] +
      (x.upgrades?.length
        ? ` (${x.upgrades.map((u) => md(`${u.name} ${u.from ?? '?'} → ${u.to ?? '?'}`)).join(', ')})`
        : ''),
    share: pct0(x.share),
    creditMs: `+${x.creditMs.toFixed(3)} ms`,
    confidence: x.confidence,
  }));
  const cpu = a.cpu
    ? `CPU per request ${a.cpu.baselineMs.toFixed(3)} → ${a.cpu.candidateMs.toFixed(3)} ms (${a.cpu.deltaMs >= 0 ? '+' : '−'}${Math.abs(a.cpu.deltaMs).toFixed(3)} ms${a.cpu.significant ? `, p=${formatP(a.cpu.p)}` : ', not significant'}), over ${a.profileTrials?.baseline ?? 0} vs ${a.profileTrials?.candidate ?? 0} profiled trials.`
    : '';
  const phases = (a.phases ?? [])
    .filter((r) => r.latencyShiftMs > 0 && r.phases.some((p) => p.shiftMs > 0.05))
    .map((r) => {
      const grown = r.phases.filter((p) => !p.envelope && p.shiftMs > 0.05).slice(0, 3);
      const parts = grown.map(
        (p) =>
          `**${md(p.phase)}** ${p.baselineMs.toFixed(2)} → ${p.candidateMs.toFixed(2)} ms (+${p.shiftMs.toFixed(2)} ms${p.explainsShare !== null ? `, explains ~${pct0(p.explainsShare)} of the shift` : ''})`,
      );
      const rest =
        r.unexplainedShare !== null && r.unexplainedMs > 0.05
          ? `; unexplained ${r.unexplainedMs.toFixed(2)} ms (${pct0(r.unexplainedShare)})`
          : '';
      return `${md(r.requestName)}: mean latency +${r.latencyShiftMs.toFixed(2)} ms: ${parts.join(', ')}${rest}`;
    });
  const notes = [...a.notes.map(md)];
  if (a.offCpu) {
    notes.unshift(
      'Latency grew but CPU per request did not: the time went off the CPU (I/O, locks, queues). Look at the Server-Timing phases above, not at the profile.',
    );
  }
  if (a.unattributed.share !== null && a.unattributed.share > 0.05) {
    notes.push(
      `Not attributed to changed code: ${pct0(a.unattributed.share)} of the CPU increase (+${a.unattributed.ms.toFixed(3)} ms per request).`,
    );
  }
  const sure = rows.filter((r) => r.confidence !== 'low');
  const firstSure = a.suspects.findIndex((x) => x.confidence !== 'low');
  const top = firstSure >= 0 ? rows[firstSure] : undefined;
  const first = firstSure >= 0 ? a.suspects[firstSure] : undefined;
  const headline =
    top && first
      ? `🔎 Likely cause: ${top.name} in ${top.where} (${top.creditMs} CPU per request, ${top.share} of the increase, ${top.confidence} confidence)`
      : a.offCpu && phases.length
        ? `🔎 Off-CPU slowdown: ${phases[0]}`
        : '';
  return {
    attributionHeadline: headline,
    attribution: {
      // Low-confidence suspects are collapsed: correlated noise between processes can produce them.
      top: sure.slice(0, 3),
      more: [...sure.slice(3), ...rows.filter((r) => r.confidence === 'low')],
      cpu,
      phases,
      notes,
      missing: a.missing.map((m) => `${md(m.input)}: ${md(m.detail)}`),
      dependencies: a.dependencyUpgrades.map((u) => md(`${u.name} ${u.from ?? '?'} → ${u.to ?? '?'}`)),
    },
  };
}

export function buildReportModel(report: ReportJson, options: ModelOptions = {}): ReportModel {
  const { verdict, comparison } = report;
  const maxDetailRows = options.maxDetailRows ?? 200;
  const markerId = (options.markerId ?? 'default').replace(/[^A-Za-z0-9_.-]/g, '_');
  const statusOf = (i: number) => verdict.statuses[i] ?? 'unchanged';
  const findingFor = (m: MetricComparison) =>
    verdict.findings.find(
      (f) =>
        f.scenario === m.scenario &&
        f.request === m.request &&
        f.metric === m.metric &&
        f.status !== 'budget-exceeded',
    );

  const rows = (comparison?.metrics ?? []).map((m, i) => ({
    m,
    status: statusOf(i),
    finding: findingFor(m),
  }));
  const pick = (status: string) =>
    rows.filter((r) => r.status === status).map((r) => rowOf(r.m, status, r.finding));
  const regressions = rows
    .filter((r) => r.status === 'regression')
    .sort((a, b) => Math.abs(b.m.change?.estimate ?? 0) - Math.abs(a.m.change?.estimate ?? 0))
    .map((r) => rowOf(r.m, r.finding?.withinNoise ? 'within noise' : 'regression', r.finding));
  const regressedRequests = new Set(
    rows.filter((r) => r.status === 'regression').map((r) => `${r.m.scenario}\u0000${r.m.request}`),
  );
  const detailRows = rows.map((r) => rowOf(r.m, r.status === 'unchanged' ? '~' : r.status, r.finding));

  const ctx = report.context;
  const approveHint = ctx.approveLabel
    ? `To approve an intended regression, add the label **${md(ctx.approveLabel)}** to this pull request and re-run the job (or add an \`approve\` entry to the thresholds).`
    : 'To approve an intended regression, re-run with `perf-gate gate --approve "<reason>"` or add an `approve` entry to the thresholds.';
  const trials = comparison?.trials
    .map(
      (t) =>
        `${md(t.scenario)}: ${t.baseline} vs ${t.candidate} ${comparison.mode === 'paired' ? 'pairs' : 'trials'}`,
    )
    .join(', ');
  return {
    marker: `${COMMENT_MARKER_PREFIX}${markerId} -->`,
    outcome: verdict.outcome,
    emoji: EMOJI[verdict.outcome],
    title: TITLE[verdict.outcome],
    headline: md(verdict.headline),
    reasons: verdict.reasons.map(md),
    counts: verdict.counts,
    mode:
      comparison?.mode === 'paired'
        ? 'paired (baseline re-measured in this job, interleaved)'
        : 'stored baseline',
    alpha: String(verdict.alpha),
    context: {
      base: describeSide(report.baseline, ctx.baseBranch),
      head: describeSide(report.candidate, ctx.branch),
      pr: ctx.pullRequest
        ? `#${ctx.pullRequest.number}${ctx.pullRequest.title ? ` ${md(ctx.pullRequest.title)}` : ''}`
        : '',
      runUrl:
        ctx.runUrl && /^https?:\/\//.test(ctx.runUrl)
          ? encodeURI(ctx.runUrl).replace(/[()]/g, encodeURIComponent)
          : '',
      trials: trials ?? '',
    },
    regressions,
    budgets: verdict.budgets
      .filter((b) => !b.passed)
      .map((b) => ({
        series: seriesLabel(b.scenario, b.request),
        metric: b.metric,
        budget: md(b.budget),
        value: formatValue(METRICS[b.metric].unit, b.value),
        approved: b.approved ? `approved (${b.approved.source}): ${md(b.approved.reason)}` : '',
      })),
    // A request that already regressed needs no second line per percentile: those stay in the details.
    warnings: rows
      .filter((r) => r.status === 'warning' && !regressedRequests.has(`${r.m.scenario}\u0000${r.m.request}`))
      .map((r) => rowOf(r.m, 'warning', r.finding)),
    improvements: pick('improvement'),
    inconclusive: rows
      .filter((r) => r.status === 'inconclusive' && r.m.gating)
      .map((r) => rowOf(r.m, 'inconclusive', r.finding)),
    details: detailRows.slice(0, maxDetailRows),
    detailsOmitted: Math.max(0, detailRows.length - maxDetailRows),
    chart: comparison ? p95Chart(comparison.metrics) : '',
    environment: environmentNotes(report),
    unmatched: (comparison?.unmatched ?? []).map((u) => ({ scenario: md(u.scenario), detail: md(u.detail) })),
    approval: verdict.approval
      ? `Approved via ${verdict.approval.source}${verdict.approval.by ? ` by ${md(verdict.approval.by)}` : ''}: ${md(verdict.approval.reason)}`
      : '',
    approveHint,
    ...rightsizingModel(report.rightsizing),
    ...attributionModel(
      report.attribution as ReportedAttribution | undefined,
      report.context,
      report.candidate.meta.git?.sha,
    ),
    ...historyModel(report.history as ReportHistory | undefined),
    truncated: false,
  };
}

/** Line chart of a series' last main-branch values, then the candidate as a separate point set. */
function trendChart(t: ReportHistory['trends'][number]): string {
  const latency = ['p50', 'p90', 'p95', 'p99'].includes(t.metric);
  const scale = (v: number) => (latency ? v / 1000 : t.metric === 'errorRate' ? v * 100 : v);
  const unit = latency ? 'ms' : t.metric === 'errorRate' ? '%' : t.metric === 'throughput' ? 'req/s' : '';
  const main = t.values.map(scale);
  const all = t.candidate === null ? main : [...main, scale(t.candidate)];
  const max = Math.max(...all, 0);
  const labels = [
    ...t.commits.map((c) => `"${mermaidLabel(c.slice(0, 7), 8)}"`),
    ...(t.candidate === null ? [] : ['"PR"']),
  ];
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${mermaidLabel(t.label, 48)} (${unit}): main, then this PR"`,
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "${unit}" 0 --> ${Math.ceil(max * 1.1 * 100) / 100 || 1}`,
    `  line [${all.map((v) => v.toFixed(2)).join(', ')}]`,
    '```',
  ].join('\n');
}

function historyModel(h: ReportHistory | undefined): Pick<ReportModel, 'history' | 'historyHeadline'> {
  if (!h) return { history: null, historyHeadline: '' };
  const creep = h.creep.map((c) => md(c.text));
  const changePoints = h.changePoints.map(
    (c) =>
      `${c.direction === 'regression' ? 'regression' : 'improvement'}: ${md(c.label)} ${md(c.change)} between ${md(c.between)} (${md(c.at)})`,
  );
  const regressions = h.changePoints.filter((c) => c.direction === 'regression').length;
  const headline =
    creep.length > 0
      ? `📈 Slow creep on the base branch: ${md(h.creep.map((c) => c.label).join(', '))} (see History)`
      : regressions > 0
        ? `📈 The base branch has ${regressions} change point(s) that made things slower (see History)`
        : '';
  return {
    historyHeadline: headline,
    history: {
      runs: h.runs,
      changePoints,
      creep,
      trends: h.trends
        .filter((t) => t.values.length >= 2)
        .map((t) => ({ label: md(t.label), chart: trendChart(t) })),
      notes: h.notes.map(md),
    },
  };
}
