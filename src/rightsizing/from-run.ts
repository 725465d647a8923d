// Rightsizing for every scenario of a run that has resource data: the valid trials' probe readings,
// the configured production rate and allocation, and the CPU-per-request change against the baseline
// (for the monthly cost of a regression). Pure.
import { median } from '../stats/index.ts';
import type { RunResult, ScenarioResult, TrialResult } from '../contracts/run-result.ts';
import { recommend } from './recommend.ts';
import type { CurrentAllocation, RightsizingReport } from './model.ts';
import type { PriceTable, Provider } from './prices.ts';

export interface RightsizingSettings {
  targetRps?: number;
  runtime?: 'node' | 'other';
  provider?: Provider;
  table?: PriceTable;
  families?: string[];
  current?: CurrentAllocation;
  cpuHeadroom?: number;
  memoryHeadroom?: number;
}

export interface ScenarioRightsizing {
  scenario: string;
  report: RightsizingReport;
}

function medianCpuMs(trials: TrialResult[]): number | undefined {
  const xs = trials
    .filter((t) => t.valid)
    .flatMap((t) => (t.resources?.cpuMsPerRequest !== undefined ? [t.resources.cpuMsPerRequest] : []));
  return xs.length ? median(xs) : undefined;
}

export function rightsizingForRun(
  candidate: RunResult,
  baseline: RunResult | null,
  settings: RightsizingSettings = {},
): ScenarioRightsizing[] {
  const out: ScenarioRightsizing[] = [];
  for (const s of candidate.scenarios) {
    if (!s.trials.some((t) => t.resources)) continue;
    const valid = s.trials.filter((t) => t.valid && t.resources);
    const base: ScenarioResult | undefined = baseline?.scenarios.find(
      (b) => b.name === s.name && b.fingerprint === s.fingerprint,
    );
    const baselineCpuMs = base ? medianCpuMs(base.trials) : undefined;
    const report = recommend({
      trials: valid.map((t) => ({
        resources: t.resources!,
        requests: t.requests.reduce((n, r) => n + r.attempts - r.errors.timeouts, 0),
        durationMs: t.durationMs,
      })),
      ...(settings.targetRps !== undefined ? { targetRps: settings.targetRps } : {}),
      ...(settings.runtime ? { runtime: settings.runtime } : {}),
      ...(settings.current ? { current: settings.current } : {}),
      ...(baselineCpuMs !== undefined ? { regression: { baselineCpuMsPerRequest: baselineCpuMs } } : {}),
      // The generator saturating its core on a shared machine makes every figure suspect.
      hostCpuSaturated: valid.length > 0 && valid.every((t) => t.generator.cpuCores > 0.9),
      pricing: {
        ...(settings.provider ? { provider: settings.provider } : {}),
        ...(settings.table ? { table: settings.table } : {}),
        ...(settings.families ? { families: settings.families } : {}),
      },
      options: {
        ...(settings.cpuHeadroom !== undefined ? { cpuHeadroom: settings.cpuHeadroom } : {}),
        ...(settings.memoryHeadroom !== undefined ? { memoryHeadroom: settings.memoryHeadroom } : {}),
      },
    });
    out.push({ scenario: s.name, report });
  }
  return out;
}
