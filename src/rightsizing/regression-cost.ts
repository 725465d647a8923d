// What a CPU regression costs per month at the target rate: Δ CPU-ms per request × rate = extra cores,
// priced per vCPU-hour of the recommended instance, else the current one, else the cheapest vCPU among
// the candidates.
import type { CurrentComparison, InstanceChoice, RegressionCost, RightsizingInput } from './model.ts';
import { HOURS_PER_MONTH, type InstancePrice, type PriceTable } from './prices.ts';
import { r2, r4 } from './units.ts';

export function regressionCost(
  regression: NonNullable<RightsizingInput['regression']>,
  measuredCpuMsPerRequest: number | undefined,
  targetRps: number,
  pricing: {
    table: PriceTable;
    candidates: InstancePrice[];
    instance: InstanceChoice | null;
    current: CurrentComparison | undefined;
  },
): { cost?: RegressionCost; note?: string } {
  const candidate = regression.candidateCpuMsPerRequest ?? measuredCpuMsPerRequest;
  const { table, candidates, instance, current } = pricing;
  const pricedRow =
    (instance && table.instances.find((r) => r.type === instance.type)) ??
    (current && table.instances.find((r) => r.type === current.description)) ??
    [...candidates].sort((a, b) => a.hourlyUsd / a.vcpu - b.hourlyUsd / b.vcpu)[0];
  if (candidate === undefined) {
    return { note: 'regression cost not computed: the candidate CPU-ms per request is unknown' };
  }
  if (!pricedRow) return {};
  const delta = candidate - regression.baselineCpuMsPerRequest;
  const extraCores = (delta * targetRps) / 1000;
  const perVcpuHour = pricedRow.hourlyUsd / pricedRow.vcpu;
  return {
    cost: {
      baselineCpuMsPerRequest: r4(regression.baselineCpuMsPerRequest),
      candidateCpuMsPerRequest: r4(candidate),
      deltaCpuMsPerRequest: r4(delta),
      extraCores: r4(extraCores),
      monthlyUsd: r2(extraCores * perVcpuHour * HOURS_PER_MONTH),
      pricedAt: { type: pricedRow.type, perVcpuHourUsd: r4(perVcpuHour) },
    },
  };
}
