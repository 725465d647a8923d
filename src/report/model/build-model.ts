// ReportModel: what the templates render. Every user-controlled string is escaped here for the Markdown
// context it lands in (markdown.ts: mdText inline, mdCell in table cells; names cut shorter), and every
// number and enum formatted from its type (mdInt, mdNumber, mdEnum), so templates only place pre-escaped
// text, even for a report a fork wrote. Pure.
import { METRICS } from '../../compare/metrics.ts';
import type { MetricComparison } from '../../compare/types.ts';
import type { ApprovalRecord, Finding, Outcome } from '../../verdict/types.ts';
import { formatChange, formatP, formatValue } from '../../compare/format.ts';
import {
  mdCell,
  mdCellName,
  mdEnum,
  mdInt,
  mdName,
  mdNumber,
  mdText,
  mdTextBounded,
  mdUrl,
  mermaidLabel,
} from '../../util/markdown.ts';
import { METRIC_IDS } from '../../contracts/metric-ids.ts';
import { comparisonChart } from './chart.ts';
import type { ReportJson } from './report-json.ts';
import type { RunSummary } from '../../contracts/report.ts';
import type { ScenarioRightsizing } from '../../rightsizing/index.ts';
import type { ReportContext } from '../../contracts/report.ts';
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
  /** When no profiles could be compared: one line saying why and which setting fixes it. */
  silence: string;
}

export interface ReportModel {
  marker: string;
  outcome: Outcome;
  emoji: string;
  title: string;
  headline: string;
  /** Reasons shown right under the headline (an inconclusive verdict's whole point). */
  headlineReasons: string[];
  /** How the verdict was reached: trials used and why it stopped, the level, achieved confidence. */
  decision: string;
  /** The remaining reasons, collapsed under "Why this verdict". */
  reasons: string[];
  counts: ReportJson['verdict']['counts'];
  mode: string;
  alpha: string;
  context: { base: string; head: string; pr: string; runUrl: string; trials: string };
  regressions: Row[];
  budgets: Array<{
    series: string;
    metric: string;
    budget: string;
    baseline: string;
    value: string;
    status: string;
  }>;
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
  /** Where to find the HTML report (charts, distributions, per-trial plots), empty when none. */
  fullReport: string;
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
  /** Where the HTML report was written (relative to the workspace), to point readers at it. */
  htmlReport?: string;
  /** The artifact name the workflow uploads the HTML report under (the Action's `report-artifact`). */
  reportArtifact?: string;
}

/** A series in a table cell: "scenario / request", or the scenario's whole-run metrics. */
function seriesLabel(scenario: string, request: string | null): string {
  return `${mdCellName(scenario)} / ${request === null ? '_all requests_' : mdCellName(request)}`;
}

function rowOf(m: MetricComparison, status: string, finding?: Finding): Row {
  const { change, ci } = formatChange(m.change);
  return {
    series: seriesLabel(m.scenario, m.request),
    metric: METRICS[m.metric].id + (m.gating ? '' : '¹'),
    baseline: formatValue(m.unit, m.baselineMedian),
    candidate: formatValue(m.unit, m.candidateMedian),
    // Bold marks what fails the gate, nothing else (an unchanged +0.00 pp is not news).
    change: status === 'regression' && change ? `**${change}**` : change,
    ci,
    p: formatP(m.p),
    pHolm: formatP(m.pHolm),
    status,
    note: m.note ? mdCell(m.note) : '',
    approved: finding?.approved ? approvedNote(finding.approved) : '',
  };
}

const APPROVAL_SOURCES = ['config', 'flag', 'label'] as const;

/** "approved (label): reason" in a table cell. */
function approvedNote(a: ApprovalRecord): string {
  return `approved (${mdEnum(a.source, APPROVAL_SOURCES)}): ${mdCell(a.reason)}`;
}

/** "Approved via label by alice (write) at 2026-…: reason": the audit record, every part typed or escaped. */
function approvalLine(a: ApprovalRecord): string {
  const by = a.by ? ` by ${mdTextBounded(a.by, 100)}` : '';
  const permission = a.permission ? ` (${mdTextBounded(a.permission, 20)})` : '';
  const at = a.at ? ` at ${mdTextBounded(a.at, 40)}` : '';
  return `Approved via ${mdEnum(a.source, APPROVAL_SOURCES)}${by}${permission}${at}: ${mdText(a.reason)}`;
}

/** "Adaptive trials: stopped at a clear pass after 3 of 10 trials (look 1 of 4), 38 s; judged at alpha 0.015." */
export function decisionLine(verdict: ReportJson['verdict']): string {
  const d = verdict.decision;
  if (!d) return '';
  const parts: string[] = [];
  if (d.sequential && d.sequential.looksPlanned > 1) parts.push(`Adaptive trials: ${d.sequential.text}`);
  if (d.lookAlpha < verdict.alpha) parts.push(`judged at this look's alpha ${d.lookAlpha.toPrecision(2)}`);
  if (d.achievedConfidence !== undefined) {
    parts.push(`some intervals reach only ${(d.achievedConfidence * 100).toFixed(1)} % confidence`);
  }
  return parts.length ? `${parts.join('; ')}.` : '';
}

/**
 * One side of the comparison in the header line: its branch and commit; in paired mode the baseline is
 * the URL re-measured in this job; outside git, the run's label or time (never the role's own name).
 */
function describeSide(
  s: RunSummary | null,
  role: 'baseline' | 'candidate',
  mode: string | undefined,
  ref?: string,
): string {
  if (!s) return 'none';
  if (role === 'baseline' && mode === 'paired') {
    const targets = [...new Set(s.scenarios.map((x) => x.target).filter((t): t is string => !!t))];
    if (targets.length) return `${targets.map(mdText).join(', ')} (re-measured in this job)`;
  }
  const git = s.meta.git;
  const parts = [ref ?? git?.ref, git ? git.sha.slice(0, 7) : undefined].filter((x): x is string => !!x);
  if (parts.length) return parts.map(mdText).join(' @ ');
  if (s.meta.label && s.meta.label.toLowerCase() !== role) return mdText(s.meta.label);
  return role === 'candidate' ? 'this run (no git revision)' : `the run of ${mdText(s.meta.startedAt)}`;
}

/** Environment differences between the two runs that make numbers less comparable. */
function environmentNotes(report: ReportJson): string[] {
  const notes: string[] = [];
  const b = report.baseline?.meta;
  const c = report.candidate.meta;
  if (b) {
    if (b.host.cpuModel !== c.host.cpuModel || b.host.cores !== c.host.cores) {
      notes.push(
        `Different hosts: baseline ${mdText(b.host.cpuModel)} × ${mdInt(b.host.cores)}, candidate ${mdText(c.host.cpuModel)} × ${mdInt(c.host.cores)}. Stored baselines from other machines are less comparable; paired mode avoids this.`,
      );
    }
    if (b.tool.node !== c.tool.node || b.tool.autocannon !== c.tool.autocannon) {
      notes.push(
        `Different tool versions: Node ${mdText(b.tool.node)} → ${mdText(c.tool.node)}, autocannon ${mdText(b.tool.autocannon)} → ${mdText(c.tool.autocannon)}.`,
      );
    }
  }
  const noise = report.verdict.noise;
  if (noise.drifted && noise.reason) notes.push(`Noisy run: ${mdText(noise.reason)}.`);
  for (const side of [report.baseline, report.candidate]) {
    if (!side) continue;
    for (const s of side.scenarios) {
      if (s.validTrials < s.trials) {
        notes.push(
          `${mdText(side.meta.label ?? 'run')} ${mdText(s.name)}: ${mdInt(s.trials - s.validTrials)} of ${mdInt(s.trials)} trials invalid (${s.invalidReasons.map(mdText).join('; ')}).`,
        );
      }
      for (const f of s.failures ?? []) {
        notes.push(
          `${mdText(side.meta.label ?? 'run')} ${mdText(s.name)} / ${mdText(f.request)}: ${mdInt(f.failed)} failed request(s): ${mdText(f.text)}.`,
        );
      }
    }
  }
  return notes;
}

// A `$` after a blank cannot close GitHub's inline math, so amounts need no escape where placed so.
const usd = (x: number) => `$${Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2)}`;
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
      lines.push(`Measured: ${parts.join(', ')}; ${mdText(r.window.description)}.`);
      const need = [
        r.need.cpuCores !== undefined ? `${r.need.cpuCores} cores` : '',
        r.need.memoryBytes !== undefined ? mib(r.need.memoryBytes) : '',
        r.need.replicas > 1 ? `${r.need.replicas} processes/replicas` : '',
      ].filter(Boolean);
      if (need.length) {
        lines.push(
          `Needed at ${r.window.targetRps.toFixed(0)} req/s: ${need.join(', ')} (${mdText(r.need.cpuFormula)}; ${mdText(r.need.memoryFormula)}).`,
        );
      }
      if (r.instance) {
        lines.push(
          `Cheapest fit: **${mdText(r.instance.type)}** (${mdNumber(r.instance.vcpu)} vCPU, ${mdNumber(r.instance.memoryGiB)} GiB) at ${usd(r.instance.monthlyUsd)}/month (${mdText(r.prices.provider)} ${mdText(r.prices.region)}, ${mdText(r.prices.pricing)}, prices of ${mdText(r.instance.date)}).`,
        );
      } else if (r.instanceNote) {
        lines.push(mdText(r.instanceNote));
      }
      if (r.current) {
        const delta = r.current.deltaMonthlyUsd;
        lines.push(
          `Today: ${mdText(r.current.description)} at ${usd(r.current.monthlyUsd)}/month` +
            (r.current.cpuUtilisationP95 !== undefined
              ? `, ${(r.current.cpuUtilisationP95 * 100).toFixed(0)} % CPU at p95`
              : '') +
            (delta !== undefined
              ? delta >= 0
                ? `: **${usd(delta)}/month could be saved**`
                : `: **${usd(-delta)}/month more is needed**`
              : '') +
            ` (${mdText(r.allocation)}).`,
        );
      }
      if (r.regressionCost && Math.abs(r.regressionCost.deltaCpuMsPerRequest) > 0) {
        const c = r.regressionCost;
        lines.push(
          `CPU per request of the whole process ${c.baselineCpuMsPerRequest.toFixed(3)} → ${c.candidateCpuMsPerRequest.toFixed(3)} ms ` +
            `(${c.deltaCpuMsPerRequest >= 0 ? '+' : '−'}${Math.abs(c.deltaCpuMsPerRequest).toFixed(3)} ms): ` +
            `${c.extraCores >= 0 ? '+' : '−'}${Math.abs(c.extraCores).toFixed(2)} cores at ${r.window.targetRps.toFixed(0)} req/s, ` +
            `about **${usd(Math.abs(c.monthlyUsd))}/month ${c.monthlyUsd >= 0 ? 'more' : 'less'}** (priced at ${mdText(c.pricedAt.type)}).`,
        );
      }
    }
    if (r.missing.length) lines.push(`Not measured: ${r.missing.map(mdText).join('; ')}.`);
    return {
      scenario: mdText(scenario),
      headline: mdText(r.headline),
      label: mdText(r.label),
      lines,
      findings: r.findings.filter((f) => f.severity === 'warning').map((f) => mdText(f.message)),
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
  const label = `${mdCellName(file)}${line ? `:${mdInt(line)}` : ''}`;
  if (!ctx.repository || !sha || !/^[0-9a-f]{7,40}$/.test(sha) || !/^[\w.-]+\/[\w.-]+$/.test(ctx.repository))
    return label;
  const url = `https://github.com/${ctx.repository}/blob/${sha}/${file.split('/').map(encodeURIComponent).join('/')}${line ? `#L${mdInt(line)}` : ''}`;
  return `[${label}](${url})`;
}

/** Latency grew while the profiles' CPU per request did not: one sentence that agrees with the table. */
function offCpuSentence(a: ReportedAttribution, processCpu: MetricComparison | undefined): string {
  const look = 'Look at the Server-Timing phases, which a CPU profile cannot show.';
  if (!a.cpu)
    return `Latency grew; without CPU profiles only the Server-Timing phases can say where. ${look}`;
  const profiles = `${a.cpu.deltaMs >= 0 ? '+' : '−'}${Math.abs(a.cpu.deltaMs).toFixed(3)} ms, not significant`;
  const rose = processCpu?.change && processCpu.change.lower > 0;
  if (rose) {
    const { change } = formatChange(processCpu.change);
    return (
      `CPU per request rose for the whole process (${change}) but not significantly in the profiled code (${profiles}): ` +
      `part of the time is spent outside it (garbage collection, native code) or waiting (I/O, locks, downstream calls). ${look}`
    );
  }
  return `Latency grew but CPU per request did not (profiles: ${profiles}): the time is spent waiting (I/O, database, downstream calls, locks). ${look}`;
}

/**
 * One line instead of a generic "nothing stands out" when the CPU profiles could not be compared (the
 * first reason per side, each naming the setting that fixes it) or the change under test is unknown.
 */
function profileSilence(a: ReportedAttribution): string {
  if (a.cpu) {
    // Profiles were compared, but suspects need the change under test.
    const diff = a.missing.find((m) => m.input === 'diff');
    return a.suspects.length === 0 && diff
      ? `No suspects: the change under test is unknown (${mdText(diff.detail)}); pass --diff-base (CLI) or run on a pull request (Action).`
      : '';
  }
  const reasons = new Map<string, string>();
  for (const m of a.missing) {
    if (m.input !== 'baseline-profile' && m.input !== 'candidate-profile') continue;
    const side = m.input === 'baseline-profile' ? 'baseline' : 'candidate';
    if (reasons.has(side)) continue;
    const why = /^.*?: profile missing: (.*)$/s.exec(m.detail)?.[1] ?? m.detail;
    reasons.set(side, `${side}: ${mdText(why)}`);
  }
  if (reasons.size === 0) return '';
  return `No CPU profiles to compare (${[...reasons.values()].join('; ')}).`;
}

function attributionModel(
  a: ReportedAttribution | undefined,
  ctx: ReportContext,
  sha: string | undefined,
  processCpu: MetricComparison | undefined,
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
            missing: a.missing.map((m) => `${mdText(m.input)}: ${mdText(m.detail)}`),
            silence: profileSilence(a),
          }
        : null,
    };
  }
  const rows = a.suspects.map((x, i): SuspectRow => ({
    rank: i + 1,
    name: x.kind === 'function' ? `**${mdCellName(x.name)}()**` : `**${mdCellName(x.name)}**`,
    where: x.file ? codeLink(x.file, x.line, ctx, sha) : '',
    evidence:
      EVIDENCE[x.evidence] +
      (x.upgrades?.length
        ? ` (${x.upgrades.map((u) => mdCell(`${u.name} ${u.from ?? '?'} → ${u.to ?? '?'}`)).join(', ')})`
        : ''),
    share: pct0(x.share),
    creditMs: `+${x.creditMs.toFixed(3)} ms`,
    confidence: mdEnum(x.confidence, ['high', 'medium', 'low'] as const),
  }));
  const cpu = a.cpu
    ? `CPU per request in the profiled code ${a.cpu.baselineMs.toFixed(3)} → ${a.cpu.candidateMs.toFixed(3)} ms (${a.cpu.deltaMs >= 0 ? '+' : '−'}${Math.abs(a.cpu.deltaMs).toFixed(3)} ms${a.cpu.significant ? `, p=${formatP(a.cpu.p)}` : ', not significant'}), over ${mdInt(a.profileTrials?.baseline ?? 0)} vs ${mdInt(a.profileTrials?.candidate ?? 0)} profiled trials.`
    : '';
  const phases = (a.phases ?? [])
    .filter((r) => r.latencyShiftMs > 0 && r.phases.some((p) => p.shiftMs > 0.05))
    .map((r) => {
      const grown = r.phases.filter((p) => !p.envelope && p.shiftMs > 0.05).slice(0, 3);
      const parts = grown.map(
        (p) =>
          `**${mdName(p.phase)}** ${p.baselineMs.toFixed(2)} → ${p.candidateMs.toFixed(2)} ms (+${p.shiftMs.toFixed(2)} ms${p.explainsShare !== null ? `, explains ~${pct0(p.explainsShare)} of the shift` : ''})`,
      );
      const rest =
        r.unexplainedShare !== null && r.unexplainedMs > 0.05
          ? `; unexplained ${r.unexplainedMs.toFixed(2)} ms (${pct0(r.unexplainedShare)})`
          : '';
      return `${mdName(r.requestName)}: mean latency +${r.latencyShiftMs.toFixed(2)} ms: ${parts.join(', ')}${rest}`;
    });
  // The off-CPU sentence is decided here, once, from both CPU measurements: the profiles' (attribution)
  // and the process's (the comparison's cpuMsPerRequest), so the comment never says CPU did not grow
  // next to a row where it did.
  const notes = a.notes.filter((n) => !(a.offCpu && n.startsWith('Latency grew'))).map(mdText);
  if (a.offCpu) notes.unshift(offCpuSentence(a, processCpu));
  if (a.unattributed.share !== null && a.unattributed.share > 0.05) {
    notes.push(
      `Not attributed to changed code: ${pct0(a.unattributed.share)} of the CPU increase (+${a.unattributed.ms.toFixed(3)} ms per request).`,
    );
  }
  const sure = rows.filter((r) => r.confidence !== 'low');
  const first = a.suspects.find((x) => x.confidence !== 'low');
  // Without a significant CPU increase in the profiles a suspect is a lead, not a likely cause.
  const lead = a.offCpu
    ? 'Possible lead (CPU per request did not grow significantly in the profiles)'
    : 'Likely cause';
  const headline = first
    ? `🔎 ${lead}: **${mdText(first.name)}${first.kind === 'function' ? '()' : ''}**` +
      (first.file ? ` in ${mdText(first.file)}${first.line ? `:${first.line}` : ''}` : '') +
      ` (+${first.creditMs.toFixed(3)} ms CPU per request, ${pct0(first.share)} of the increase, ${first.confidence} confidence)`
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
      missing: a.missing.map((m) => `${mdText(m.input)}: ${mdText(m.detail)}`),
      dependencies: a.dependencyUpgrades.map((u) => mdText(`${u.name} ${u.from ?? '?'} → ${u.to ?? '?'}`)),
      silence: profileSilence(a),
    },
  };
}

/** The verdict's counts as whole numbers (templates test them with #if: a string "0" would be true). */
function wholeCounts(counts: ReportJson['verdict']['counts']): ReportJson['verdict']['counts'] {
  const whole = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
  return Object.fromEntries(
    Object.entries(counts).map(([k, v]) => [k, whole(v)]),
  ) as ReportJson['verdict']['counts'];
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
    ? `To approve an intended regression, add the label **${mdText(ctx.approveLabel)}** to this pull request and re-run the job (or add an \`approve\` entry to the thresholds).`
    : 'To approve an intended regression, re-run with `perf-gate gate --approve "<reason>"` or add an `approve` entry to the thresholds.';
  const trials = comparison?.trials
    .map(
      (t) =>
        `${mdName(t.scenario)}: ${comparison.mode === 'paired' ? `${mdInt(Math.min(t.baseline, t.candidate))} pairs` : `${mdInt(t.baseline)} vs ${mdInt(t.candidate)} trials`}`,
    )
    .join(', ');
  // Each finding shown as a table row is not repeated as a reason: "Why this verdict" keeps the rest.
  const tabled = new Set(
    verdict.findings
      .filter(
        (f) =>
          f.status === 'regression' ||
          f.status === 'budget-exceeded' ||
          (f.status === 'warning' && !regressedRequests.has(`${f.scenario}\u0000${f.request}`)),
      )
      .map((f) => f.message),
  );
  const shownReasons = verdict.reasons.filter((r) => !tabled.has(r)).map(mdText);
  const reasonsUpFront = verdict.outcome === 'inconclusive' || verdict.outcome === 'no-baseline';
  const baselineOf = (scenario: string, request: string | null, metric: string) =>
    comparison?.metrics.find((m) => m.scenario === scenario && m.request === request && m.metric === metric);
  const processCpu = comparison?.metrics.find(
    (m) => m.metric === 'cpuMsPerRequest' && m.request === null && m.change !== null,
  );
  return {
    marker: `${COMMENT_MARKER_PREFIX}${markerId} -->`,
    outcome: verdict.outcome,
    emoji: EMOJI[verdict.outcome],
    title: TITLE[verdict.outcome],
    headline: mdText(verdict.headline),
    decision: mdText(decisionLine(verdict)),
    // An inconclusive or baseline-less verdict is its reasons: they go right under the headline.
    headlineReasons: reasonsUpFront ? shownReasons.slice(0, 3) : [],
    reasons: reasonsUpFront ? shownReasons.slice(3) : shownReasons,
    counts: wholeCounts(verdict.counts),
    mode:
      comparison?.mode === 'paired'
        ? 'paired (baseline re-measured in this job, interleaved)'
        : 'stored baseline',
    alpha: mdNumber(verdict.alpha),
    context: {
      base: describeSide(report.baseline, 'baseline', comparison?.mode, ctx.baseBranch),
      head: describeSide(report.candidate, 'candidate', comparison?.mode, ctx.branch),
      pr: ctx.pullRequest
        ? `#${mdInt(ctx.pullRequest.number)}${ctx.pullRequest.title ? ` ${mdTextBounded(ctx.pullRequest.title, 300)}` : ''}`
        : '',
      runUrl: mdUrl(ctx.runUrl),
      trials: trials ?? '',
    },
    regressions,
    budgets: verdict.budgets
      .filter((b) => !b.passed)
      .map((b) => ({
        series: seriesLabel(b.scenario, b.request),
        metric: mdEnum(b.metric, METRIC_IDS),
        budget: mdCell(b.budget),
        baseline: formatValue(
          METRICS[b.metric].unit,
          baselineOf(b.scenario, b.request, b.metric)?.baselineMedian ?? null,
        ),
        value: formatValue(METRICS[b.metric].unit, b.value),
        status: b.approved ? approvedNote(b.approved) : 'exceeded',
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
    chart: comparison ? comparisonChart(comparison.metrics) : '',
    environment: environmentNotes(report),
    unmatched: (comparison?.unmatched ?? []).map((u) => ({
      scenario: mdText(u.scenario),
      detail: mdText(u.detail),
    })),
    approval: verdict.approval ? approvalLine(verdict.approval) : '',
    approveHint,
    fullReport: fullReportLine(options, mdUrl(ctx.runUrl)),
    ...rightsizingModel(report.rightsizing),
    ...attributionModel(
      report.attribution as ReportedAttribution | undefined,
      report.context,
      report.candidate.meta.git?.sha,
      processCpu,
    ),
    ...historyModel(report.history as ReportHistory | undefined),
    truncated: false,
  };
}

/** A path or name as a code span (which escapes nothing, so a backtick or newline cannot end it). */
const codeSpan = (s: string) => `\`${s.replace(/[`\r\n]/g, '_')}\``;

/**
 * Where the HTML report is. Only an artifact the workflow says it uploads (the Action's `report-artifact`)
 * is linked from the run page: perf-gate writes the file, the workflow uploads it.
 */
function fullReportLine(options: ModelOptions, runUrl: string): string {
  if (!options.htmlReport) return '';
  const lead = '📄 Charts, latency distributions and per-trial plots:';
  const file = codeSpan(options.htmlReport);
  if (options.reportArtifact) {
    const artifact = codeSpan(options.reportArtifact);
    return runUrl
      ? `${lead} ${file} in the artifact ${artifact} of [this run](${runUrl}).`
      : `${lead} ${file} in the artifact ${artifact}.`;
  }
  return runUrl
    ? `${lead} written to ${file} (upload it with actions/upload-artifact to read it from the run page).`
    : `${lead} written to ${file}.`;
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
  const creep = h.creep.map((c) => mdText(c.text));
  const changePoints = h.changePoints.map(
    (c) =>
      `${c.direction === 'regression' ? 'regression' : 'improvement'}: ${mdText(c.label)} ${mdText(c.change)} between ${mdText(c.between)} (${mdText(c.at)})`,
  );
  const regressions = h.changePoints.filter((c) => c.direction === 'regression').length;
  const headline =
    creep.length > 0
      ? `📈 Slow creep on the base branch: ${mdText(h.creep.map((c) => c.label).join(', '))} (see History)`
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
        .map((t) => ({ label: mdText(t.label), chart: trendChart(t) })),
      notes: h.notes.map(mdText),
    },
  };
}
