// The rightsizing steps on their own, on a small hand-made price table: the CPU need (each trial scaled
// by its own rate, the worst decides), instance selection (burstable rows only under their baseline,
// one alternative per other shape) and pricing a current allocation given as raw resources.
import { describe, expect, it } from 'vitest';
import { priceAllocation } from '../../src/rightsizing/current.ts';
import { candidateRows, selectInstance } from '../../src/rightsizing/instance.ts';
import { DEFAULT_RIGHTSIZING_OPTIONS, type MeasuredTrial } from '../../src/rightsizing/model.ts';
import { cpuNeed } from '../../src/rightsizing/need.ts';
import type { InstancePrice, PriceTable } from '../../src/rightsizing/prices.ts';

const GiB = 1024 ** 3;
const o = DEFAULT_RIGHTSIZING_OPTIONS;

function row(type: string, vcpu: number, memoryGiB: number, hourlyUsd: number, burst?: number | null) {
  const r: InstancePrice = {
    type,
    family: type.split('.')[0]!,
    vcpu,
    memoryGiB,
    hourlyUsd,
    source: 'https://example.com/prices',
    date: '2026-01-01',
  };
  if (burst !== undefined) r.burstable = { baselinePerVcpu: burst, verified: true };
  return r;
}

const table: PriceTable = {
  provider: 'test',
  region: 'here',
  currency: 'USD',
  pricing: 'on-demand',
  generatedAt: '2026-01-01',
  notes: [],
  instances: [
    row('b.2', 2, 4, 0.02, 0.2),
    row('c.2', 2, 4, 0.08),
    row('g.2', 2, 8, 0.1),
    row('m.2', 2, 16, 0.13),
    row('g.4', 4, 16, 0.2),
  ],
};

function trial(cpuCoresP95: number, requests: number, cpuCoresMean?: number): MeasuredTrial {
  return {
    resources: {
      kind: 'pid',
      source: 'pid 1',
      windowMs: 10_000,
      samples: 40,
      missing: [],
      cpuCoresP95,
      cpuCoresMean,
    },
    requests,
    durationMs: 10_000,
  };
}

describe('cpuNeed', () => {
  it('scales each trial by its own rate and lets the one needing most decide', () => {
    // 0.5 cores at 100 req/s and 0.6 cores at 200 req/s: at 400 req/s they need 2.0 and 1.2 cores.
    const need = cpuNeed([trial(0.5, 1000, 0.4), trial(0.6, 2000, 0.5)], 400, o)!;
    expect(need.cores).toBe(2.4); // 2.0 × (1 + 0.2)
    expect(need.formula).toContain('p95 0.5 cores × (400 / 100 req/s)');
    expect(need.formula).toContain('(the trial needing most of 2)');
    expect(need.meanAtTarget).toBeCloseTo(1.6); // max(0.4 × 4, 0.5 × 2)
  });

  it('never goes below the floor, and is absent without CPU trials', () => {
    expect(cpuNeed([trial(0.0001, 1000)], 100, o)!.cores).toBe(o.minCpuCores);
    expect(cpuNeed([], 100, o)).toBeUndefined();
  });
});

describe('selectInstance', () => {
  const need = { replicas: 1, cpuIsLowerBound: false, cpuFormula: '', memoryFormula: '', memoryBytes: GiB };

  it('takes a burstable row only while the mean CPU stays under its baseline', () => {
    const { candidates } = candidateRows(table, { table });
    // b.2 holds 2 × 0.2 = 0.4 cores sustained.
    expect(selectInstance(candidates, { ...need, cpuCores: 1.5 }, 0.3, o).instance?.type).toBe('b.2');
    const over = selectInstance(candidates, { ...need, cpuCores: 1.5 }, 0.5, o);
    expect(over.instance?.type).toBe('c.2');
    expect(over.notes[0]).toContain('burstable types left out');
    expect(over.alternatives.map((a) => [a.type, a.shape])).toEqual([
      ['g.2', 'general'],
      ['m.2', 'memory'],
    ]);
  });

  it('says what was needed when no row fits, and needs both figures', () => {
    const { candidates } = candidateRows(table, { table });
    const none = selectInstance(candidates, { ...need, cpuCores: 8 }, 1, o);
    expect(none.instance).toBeNull();
    expect(none.instanceNote).toContain('needs 8 vCPU');
    expect(none.instanceNote).toContain('largest: g.4');
    expect(selectInstance(candidates, need, 1, o).instanceNote).toBe('needs both CPU and memory figures');
  });

  it('notes families the table does not have', () => {
    expect(candidateRows(table, { table, families: ['g', 'zz'] })).toMatchObject({
      candidates: [{ type: 'g.2' }, { type: 'g.4' }],
      notes: ['unknown families in the price table: zz'],
    });
  });
});

describe('priceAllocation', () => {
  it('prices raw resources as the cheapest non-burstable row that holds them', () => {
    expect(priceAllocation({ cpuCores: 2, memoryBytes: 6 * GiB }, table)).toEqual({
      description: '2 cores, 6 GiB (priced as g.2)',
      vcpu: 2,
      memoryGiB: 6,
      hourlyUsd: 0.1,
    });
  });

  it('says why an allocation cannot be priced', () => {
    expect(priceAllocation({ instanceType: 'x.9' }, table)).toEqual({
      note: 'current instance type x.9 is not in the test price table',
    });
    expect(priceAllocation({ cpuCores: 64, memoryBytes: GiB }, table)).toEqual({
      note: 'current allocation (64 cores, 1 GiB) is larger than every row in the price table',
    });
  });
});
