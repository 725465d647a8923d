// Rightsizing advice from what the target consumed in the measured trials (reference design D-A).
// Pure: measurements and a price table in, a report out. The advice rests on seconds to minutes of load,
// where production tools want days (krr ≥ 3 h, Compute Optimizer ≥ 30 h, VPA 8 days), so it is always
// labelled advisory and says which window it rests on. docs/rightsizing.md documents every formula.
//
// The steps, one module each: the measurement window and its trust (window.ts), what was used at the
// tested rate (utilisation.ts), limits hit while measuring (limits.ts), the need at the target rate with
// headroom (need.ts), the instance that holds it (instance.ts), the current allocation against it
// (current.ts), the cost of a CPU regression (regression-cost.ts), the headline (advice.ts).
import { absentReason, headline, partialReason } from './advice.ts';
import { compareCurrent } from './current.ts';
import { candidateRows, selectInstance } from './instance.ts';
import { limitFindings } from './limits.ts';
import {
  DEFAULT_RIGHTSIZING_OPTIONS,
  type RightsizingInput,
  type RightsizingOptions,
  type RightsizingReport,
} from './model.ts';
import { estimateNeed } from './need.ts';
import { SHIPPED_PRICE_TABLES, type PriceTable } from './prices.ts';
import { regressionCost } from './regression-cost.ts';
import { measureUtilisation } from './utilisation.ts';
import { measurementWindow, type MeasurementWindow } from './window.ts';

/** The fields every report carries, whatever could be measured. */
type ReportBase = Pick<
  RightsizingReport,
  'advisory' | 'label' | 'confidence' | 'window' | 'prices' | 'settings' | 'missing'
>;

/** Rightsizing advice for one scenario's measured trials. Never throws on missing data: it reports it. */
export function recommend(input: RightsizingInput): RightsizingReport {
  const o: RightsizingOptions = { ...DEFAULT_RIGHTSIZING_OPTIONS, ...input.options };
  const table = input.pricing?.table ?? SHIPPED_PRICE_TABLES[input.pricing?.provider ?? 'aws'];
  const w = measurementWindow(input, o);
  const base = reportBase(w, table, o);
  const u = measureUtilisation(w.trials);
  if (u.cpuTrials.length === 0 && u.memTrials.length === 0) {
    return absentReport(base, absentReason(input.trials.length, w.trials.length, w.missing), w.notes);
  }
  const limits = limitFindings(u.measured, o);
  const { need, container, meanAtTarget, ...needed } = estimateNeed(input, w, u, limits.cpuIsLowerBound, o);
  const rows = candidateRows(table, input.pricing);
  const { instance, instanceNote, alternatives, ...selected } = selectInstance(
    rows.candidates,
    need,
    meanAtTarget,
    o,
  );
  const { current, ...compared } = compareCurrent(input.current, table, { instance, need }, u.measured, o);
  const findings = [...limits.findings, ...needed.findings, ...compared.findings];
  const allocation = findings.some((f) => f.severity === 'warning')
    ? 'under-provisioned'
    : compared.allocation;
  const cost = input.regression
    ? regressionCost(input.regression, u.measured.cpuMsPerRequest, w.targetRps, {
        table,
        candidates: rows.candidates,
        instance,
        current,
      })
    : {};
  const notes = [...w.notes, ...needed.notes, ...rows.notes, ...selected.notes, ...compared.notes];
  if (cost.note) notes.push(cost.note);
  const status: RightsizingReport['status'] = u.cpuTrials.length && u.memTrials.length ? 'ok' : 'partial';
  const report: RightsizingReport = {
    ...base,
    status,
    headline: headline({
      steadyStateMs: w.steadyStateMs,
      testedRps: w.testedRps,
      source: w.trials[0]?.resources.kind,
      findings,
      instance,
      instanceNote,
      replicas: need.replicas,
      current,
      allocation,
    }),
    measured: u.measured,
    need,
    container,
    instance,
    alternatives,
    allocation,
    findings,
    notes,
  };
  if (instanceNote !== undefined) report.instanceNote = instanceNote;
  if (current) report.current = current;
  if (cost.cost) report.regressionCost = cost.cost;
  if (status === 'partial') report.absentReason = partialReason(u.cpuTrials.length > 0, w.missing);
  return report;
}

function reportBase(w: MeasurementWindow, table: PriceTable, o: RightsizingOptions): ReportBase {
  return {
    advisory: true,
    label: w.label,
    confidence: w.confidence,
    window: w.window,
    prices: {
      provider: table.provider,
      region: table.region,
      pricing: table.pricing,
      generatedAt: table.generatedAt,
      currency: table.currency,
    },
    settings: o,
    missing: w.missing,
  };
}

/** Nothing was measured: the report says why, with no figures. */
function absentReport(base: ReportBase, why: string, notes: string[]): RightsizingReport {
  return {
    ...base,
    status: 'absent',
    absentReason: why,
    headline: `Rightsizing unavailable: ${why}`,
    measured: {},
    need: {
      replicas: 1,
      cpuIsLowerBound: false,
      cpuFormula: 'not computed',
      memoryFormula: 'not computed',
    },
    container: { cpuLimitCores: null },
    instance: null,
    instanceNote: 'nothing measured',
    alternatives: [],
    allocation: 'not-compared',
    findings: [],
    notes,
  };
}
