// Candidate instance selection: the cheapest price-table row of the chosen families that holds the CPU
// and memory need (plus an OS reserve), with the cheapest fitting row of each other shape as
// alternatives. A burstable row fits only when the mean CPU at the target rate stays under its baseline.
import type { InstanceChoice, RightsizingInput, RightsizingOptions, RightsizingReport } from './model.ts';
import { DEFAULT_FAMILIES, monthlyUsd, type InstancePrice, type PriceTable } from './prices.ts';
import { GiB, fmtGiB } from './units.ts';

export interface InstanceSelection {
  instance: InstanceChoice | null;
  /** Why there is no instance, when there is none. */
  instanceNote?: string;
  alternatives: InstanceChoice[];
  notes: string[];
}

/** Cheapest first; ties by size, then name, so the choice is stable. */
export const byPrice = (a: InstancePrice, b: InstancePrice) =>
  a.hourlyUsd - b.hourlyUsd || a.vcpu - b.vcpu || a.memoryGiB - b.memoryGiB || a.type.localeCompare(b.type);

/** compute (≤ 2.5 GiB/vCPU), general (≤ 5), memory (> 5). */
function shapeOf(row: InstancePrice): InstanceChoice['shape'] {
  const ratio = row.memoryGiB / row.vcpu;
  return ratio <= 2.5 ? 'compute' : ratio <= 5 ? 'general' : 'memory';
}

function choice(row: InstancePrice): InstanceChoice {
  return {
    type: row.type,
    family: row.family,
    vcpu: row.vcpu,
    memoryGiB: row.memoryGiB,
    hourlyUsd: row.hourlyUsd,
    monthlyUsd: monthlyUsd(row.hourlyUsd),
    shape: shapeOf(row),
    burstable: row.burstable !== undefined,
    source: row.source,
    date: row.date,
  };
}

/** The table's rows of the chosen families (default: the provider's, or every row of a user table). */
export function candidateRows(
  table: PriceTable,
  pricing: RightsizingInput['pricing'],
): { candidates: InstancePrice[]; notes: string[] } {
  const families =
    pricing?.families ?? (pricing?.table ? undefined : DEFAULT_FAMILIES[pricing?.provider ?? 'aws']);
  const familySet = families ? new Set(families) : undefined;
  const candidates = table.instances.filter((r) => !familySet || familySet.has(r.family));
  const unknown = (families ?? []).filter((f) => !table.instances.some((r) => r.family === f));
  return {
    candidates,
    notes: unknown.length ? [`unknown families in the price table: ${unknown.join(', ')}`] : [],
  };
}

export function selectInstance(
  candidates: InstancePrice[],
  need: RightsizingReport['need'],
  meanAtTarget: number | undefined,
  o: RightsizingOptions,
): InstanceSelection {
  if (need.cpuCores === undefined || need.memoryBytes === undefined) {
    return { instance: null, instanceNote: 'needs both CPU and memory figures', alternatives: [], notes: [] };
  }
  const notes: string[] = [];
  const cpuTotal = need.cpuCores;
  const memTotal = need.memoryBytes * need.replicas + o.osReserveBytes;
  const excludedBurstable = new Set<string>();
  const fits = candidates.filter((r) => {
    if (r.vcpu < cpuTotal || r.memoryGiB * GiB < memTotal) return false;
    if (r.burstable) {
      const baseline = r.burstable.baselinePerVcpu;
      if (baseline === null || meanAtTarget === undefined || meanAtTarget > baseline * r.vcpu) {
        excludedBurstable.add(r.type);
        return false;
      }
    }
    return true;
  });
  fits.sort(byPrice);
  const selection: InstanceSelection = { instance: null, alternatives: [], notes };
  if (fits.length) {
    const instance = choice(fits[0]!);
    selection.instance = instance;
    selection.alternatives = otherShapes(instance, fits.slice(1));
  } else {
    const biggest = [...candidates].sort((a, b) => b.vcpu - a.vcpu || b.memoryGiB - a.memoryGiB)[0];
    selection.instanceNote =
      `needs ${cpuTotal} vCPU and ${fmtGiB(memTotal)} (incl. ${fmtGiB(o.osReserveBytes)} OS reserve): ` +
      `no candidate fits` +
      (biggest ? ` (largest: ${biggest.type}, ${biggest.vcpu} vCPU, ${biggest.memoryGiB} GiB)` : '') +
      (need.replicas > 1 ? '' : '; split the load over replicas');
  }
  if (excludedBurstable.size) {
    notes.push(
      `burstable types left out (average CPU at the target rate above their baseline, or baseline unknown): ${[...excludedBurstable].join(', ')}`,
    );
  }
  if (selection.instance?.burstable) {
    notes.push(
      `${selection.instance.type} is burstable: it fits only while the average CPU stays under its baseline (credits)`,
    );
  }
  return selection;
}

/** The cheapest fitting row of each shape other than the chosen one's (rows sorted by price). */
function otherShapes(chosen: InstanceChoice, rows: InstancePrice[]): InstanceChoice[] {
  const seenShapes = new Set([chosen.shape]);
  const alternatives: InstanceChoice[] = [];
  for (const row of rows) {
    const c = choice(row);
    if (seenShapes.has(c.shape)) continue;
    seenShapes.add(c.shape);
    alternatives.push(c);
  }
  return alternatives;
}
