// What the target runs on today, priced from the table, against the recommendation: over-provisioned
// (the recommendation saves more than the tolerance), under-provisioned (it holds less than the need) or
// right-sized.
import type {
  CurrentAllocation,
  CurrentComparison,
  Finding,
  InstanceChoice,
  RightsizingOptions,
  RightsizingReport,
} from './model.ts';
import { monthlyUsd, type PriceTable } from './prices.ts';
import { byPrice } from './instance.ts';
import { GiB, r2, r4 } from './units.ts';

/** The current allocation's size and hourly price, or a note saying why it cannot be priced. */
type PricedAllocation =
  { description: string; vcpu: number; memoryGiB: number; hourlyUsd: number } | { note: string };

export function priceAllocation(current: CurrentAllocation, table: PriceTable): PricedAllocation {
  if ('instanceType' in current) {
    const wanted = current.instanceType.trim();
    const row = table.instances.find((r) => r.type === wanted);
    if (!row) {
      return {
        note: `current instance type ${current.instanceType} is not in the ${table.provider} price table`,
      };
    }
    return { description: row.type, vcpu: row.vcpu, memoryGiB: row.memoryGiB, hourlyUsd: row.hourlyUsd };
  }
  const memoryGiB = r2(current.memoryBytes / GiB);
  const size = `${current.cpuCores} cores, ${memoryGiB} GiB`;
  if (current.hourlyUsd !== undefined) {
    return { description: size, vcpu: current.cpuCores, memoryGiB, hourlyUsd: current.hourlyUsd };
  }
  // Priced as the cheapest non-burstable row that holds it.
  const row = [...table.instances]
    .filter((r) => r.vcpu >= current.cpuCores && r.memoryGiB * GiB >= current.memoryBytes && !r.burstable)
    .sort(byPrice)[0];
  if (!row) {
    return { note: `current allocation (${size}) is larger than every row in the price table` };
  }
  return {
    description: `${size} (priced as ${row.type})`,
    vcpu: current.cpuCores,
    memoryGiB,
    hourlyUsd: row.hourlyUsd,
  };
}

export interface CurrentVerdict {
  current?: CurrentComparison;
  allocation: RightsizingReport['allocation'];
  findings: Finding[];
  notes: string[];
}

export function compareCurrent(
  allocation: CurrentAllocation | undefined,
  table: PriceTable,
  recommended: { instance: InstanceChoice | null; need: RightsizingReport['need'] },
  measured: RightsizingReport['measured'],
  o: RightsizingOptions,
): CurrentVerdict {
  const none: CurrentVerdict = { allocation: 'not-compared', findings: [], notes: [] };
  if (!allocation) return none;
  const priced = priceAllocation(allocation, table);
  if ('note' in priced) return { ...none, notes: [priced.note] };
  const { instance, need } = recommended;
  const { description, vcpu, memoryGiB } = priced;
  const currentMonthly = monthlyUsd(priced.hourlyUsd);
  const current: CurrentComparison = { description, vcpu, memoryGiB, monthlyUsd: currentMonthly };
  if (instance) current.deltaMonthlyUsd = r2(currentMonthly - instance.monthlyUsd);
  if (measured.cpuCoresMean !== undefined) current.cpuUtilisationMean = r4(measured.cpuCoresMean / vcpu);
  if (measured.cpuCoresP95 !== undefined) current.cpuUtilisationP95 = r4(measured.cpuCoresP95 / vcpu);
  if (!instance) return { ...none, current };
  const saving = current.deltaMonthlyUsd ?? 0;
  if (saving > o.rightSizedTolerance * currentMonthly) {
    const finding: Finding = {
      kind: 'over-provisioned',
      severity: 'info',
      message:
        `Over-provisioned: ${description} ($${currentMonthly.toFixed(2)}/mo) ` +
        (current.cpuUtilisationMean !== undefined
          ? `runs at ${(current.cpuUtilisationMean * 100).toFixed(1)} % CPU on average; `
          : '') +
        `${instance.type} fits at $${instance.monthlyUsd.toFixed(2)}/mo — save ≈ $${saving.toFixed(2)}/mo`,
    };
    return { current, allocation: 'over-provisioned', findings: [finding], notes: [] };
  }
  const holdsNeed =
    vcpu >= (need.cpuCores ?? 0) && memoryGiB * GiB >= (need.memoryBytes ?? 0) * need.replicas;
  return { current, allocation: holdsNeed ? 'right-sized' : 'under-provisioned', findings: [], notes: [] };
}
