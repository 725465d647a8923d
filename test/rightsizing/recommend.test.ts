// Golden cases for rightsizing: every expected figure below is worked out by hand from the formulas in
// docs/rightsizing.md and the shipped price tables.
import { describe, expect, it } from 'vitest';
import type { ResourceTrial } from '../../src/contracts/run-result.ts';
import { SHIPPED_PRICE_TABLES, validatePriceTable } from '../../src/rightsizing/prices.ts';
import { recommend } from '../../src/rightsizing/recommend.ts';
import type { MeasuredTrial } from '../../src/rightsizing/model.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function trial(resources: Partial<ResourceTrial>, requests = 17_000, durationMs = 20_000): MeasuredTrial {
  return {
    resources: {
      kind: 'cgroup',
      source: 'cgroup /sys/fs/cgroup/system.slice/payments.service',
      windowMs: durationMs,
      samples: durationMs / 250,
      missing: [],
      ...resources,
    },
    requests,
    durationMs,
  };
}

/** A service on a 16-vCPU machine that uses about 7 % of it at 850 req/s. */
const overProvisioned = [
  trial({
    cpuCoresP95: 1.3,
    cpuCoresMean: 1.12,
    cpuSeconds: 22.4,
    memoryPeakBytes: 520 * MiB,
    memoryWorkingSetBytes: 400 * MiB,
  }),
  trial({
    cpuCoresP95: 1.25,
    cpuCoresMean: 1.1,
    cpuSeconds: 22.0,
    memoryPeakBytes: 530 * MiB,
    memoryWorkingSetBytes: 410 * MiB,
  }),
  trial({
    cpuCoresP95: 1.35,
    cpuCoresMean: 1.14,
    cpuSeconds: 22.8,
    memoryPeakBytes: 525 * MiB,
    memoryWorkingSetBytes: 405 * MiB,
  }),
];

describe('recommend: over-provisioned (16 cores at ~7 %)', () => {
  const r = recommend({
    trials: overProvisioned,
    current: { instanceType: 'm7i.4xlarge' },
    regression: { baselineCpuMsPerRequest: 1.2 },
  });

  it('needs p95 × 1.2 cores and working-set peak × 1.15 memory', () => {
    expect(r.status).toBe('ok');
    expect(r.window).toMatchObject({
      trials: 3,
      steadyStateMs: 60_000,
      samples: 240,
      testedRps: 850,
      targetRps: 850,
      scale: 1,
    });
    expect(r.measured).toMatchObject({
      cpuCoresP95: 1.35,
      cpuCoresMean: 1.12,
      memoryWorkingSetBytes: 410 * MiB,
    });
    // 1.35 × 1.2 = 1.62 cores; 410 MiB × 1.15 = 471.5 → 472 MiB.
    expect(r.need).toMatchObject({
      cpuCores: 1.62,
      memoryBytes: 472 * MiB,
      replicas: 1,
      cpuIsLowerBound: false,
    });
    expect(r.need.cpuFormula).toBe(
      'p95 1.35 cores × (850 / 850 req/s) × (1 + 0.2) = 1.62 cores (the trial needing most of 3)',
    );
    expect(r.need.memoryFormula).toBe('working-set peak 410 MiB × (1 + 0.15) = 472 MiB');
    expect(r.container).toEqual({
      cpuRequestCores: 1.62,
      cpuLimitCores: null,
      memoryRequestBytes: 472 * MiB,
      memoryLimitBytes: 472 * MiB,
    });
  });

  it('recommends the cheapest fitting instance, a few cores, and shows the savings', () => {
    // ≥ 1.62 vCPU and ≥ 472 MiB + 512 MiB: t3.medium/large fail their baseline (0.4 / 0.6 cores < 1.14
    // average), so c7i.large ($0.08925/h) is the cheapest; m7i.large and r6i.large are the other shapes.
    expect(r.instance).toMatchObject({
      type: 'c7i.large',
      vcpu: 2,
      memoryGiB: 4,
      hourlyUsd: 0.08925,
      monthlyUsd: 65.15,
    });
    expect(r.alternatives.map((a) => [a.type, a.shape])).toEqual([
      ['m7i.large', 'general'],
      ['r6i.large', 'memory'],
    ]);
    expect(r.current).toEqual({
      description: 'm7i.4xlarge',
      vcpu: 16,
      memoryGiB: 64,
      monthlyUsd: 588.67,
      deltaMonthlyUsd: 523.52,
      cpuUtilisationMean: 0.07,
      cpuUtilisationP95: 0.0844,
    });
    expect(r.allocation).toBe('over-provisioned');
    expect(r.findings).toEqual([
      {
        kind: 'over-provisioned',
        severity: 'info',
        message:
          'Over-provisioned: m7i.4xlarge ($588.67/mo) runs at 7.0 % CPU on average; c7i.large fits at $65.15/mo — save ≈ $523.52/mo',
      },
    ]);
    expect(r.notes).toContain(
      'burstable types left out (average CPU at the target rate above their baseline, or baseline unknown): t3.medium, t3.large',
    );
  });

  it('prices a CPU regression at the target rate', () => {
    // 67.2 CPU s / 51 000 requests = 1.3176 ms; +0.1176 ms × 850 req/s = 0.1 cores × $0.044625/vCPU-h × 730.
    expect(r.measured.cpuMsPerRequest).toBe(1.3176);
    expect(r.regressionCost).toEqual({
      baselineCpuMsPerRequest: 1.2,
      candidateCpuMsPerRequest: 1.3176,
      deltaCpuMsPerRequest: 0.1176,
      extraCores: 0.1,
      monthlyUsd: 3.26,
      pricedAt: { type: 'c7i.large', perVcpuHourUsd: 0.0446 },
    });
  });

  it('is labelled advisory with the window it rests on', () => {
    expect(r.advisory).toBe(true);
    expect(r.label).toBe('advisory (short window)');
    expect(r.confidence).toBe('advisory');
    expect(r.window.description).toBe(
      '3 trials × 20.0 s steady state at 850 req/s · cgroup /sys/fs/cgroup/system.slice/payments.service',
    );
    expect(r.headline).toBe(
      'Rightsizing (advisory · 60 s steady state at 850 req/s · cgroup) — fits c7i.large (2 vCPU, 4 GiB, $0.08925/h ≈ $65/mo); current m7i.4xlarge → save ≈ $524/mo',
    );
    expect(r.prices).toMatchObject({ provider: 'aws', region: 'us-east-1', generatedAt: '2026-07-20' });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('scales CPU with the target rate but not memory, and flags the extrapolation', () => {
    const at3x = recommend({
      trials: overProvisioned,
      targetRps: 2550,
      current: { instanceType: 'm7i.4xlarge' },
    });
    // 1.35 × 3 × 1.2 = 4.86 cores → 8 vCPU; memory unchanged.
    expect(at3x.need.cpuCores).toBe(4.86);
    expect(at3x.need.memoryBytes).toBe(472 * MiB);
    expect(at3x.instance?.type).toBe('c7i.2xlarge');
    expect(at3x.findings.map((f) => f.kind)).toEqual([
      'extrapolated',
      'memory-not-scaled',
      'over-provisioned',
    ]);
  });
});

describe('recommend: under-provisioned (throttled at the CPU limit)', () => {
  const throttled = [
    trial(
      {
        cpuCoresP95: 0.99,
        cpuCoresMean: 0.95,
        cpuSeconds: 19,
        memoryPeakBytes: 300 * MiB,
        memoryWorkingSetBytes: 260 * MiB,
        cpuPeriods: 200,
        throttledPeriods: 62,
        throttledSeconds: 3.1,
        cpuLimitCores: 1,
        memoryLimitBytes: 1 * GiB,
        oomKills: 0,
      },
      8_000,
    ),
  ];
  const r = recommend({ trials: throttled, current: { cpuCores: 1, memoryBytes: 1 * GiB } });

  it('reports the throttling and the limit, and treats the CPU need as a lower bound', () => {
    expect(r.measured).toMatchObject({
      throttledShare: 0.31,
      cpuLimitCores: 1,
      memoryLimitBytes: 1 * GiB,
      oomKills: 0,
    });
    expect(r.findings.map((f) => [f.kind, f.severity])).toEqual([
      ['cpu-throttled', 'warning'],
      ['cpu-near-limit', 'warning'],
    ]);
    expect(r.findings[0]!.message).toBe(
      'Under-provisioned: CPU throttled in 31.0 % of periods at cpu.max = 1 cores — latency is CPU-capped, and the CPU need below is a lower bound',
    );
    expect(r.need.cpuIsLowerBound).toBe(true);
    // 0.99 × 1.2 = 1.188 cores: above the 1-core limit.
    expect(r.need.cpuCores).toBe(1.188);
    expect(r.allocation).toBe('under-provisioned');
    expect(r.headline).toBe(
      `Rightsizing (advisory · 20 s steady state at 400 req/s · cgroup) — ${r.findings[0]!.message}`,
    );
  });

  it('compares with the current allocation priced as the cheapest row that holds it', () => {
    expect(r.current).toMatchObject({
      description: '1 cores, 1 GiB (priced as c6i.large)',
      vcpu: 1,
      monthlyUsd: 62.05,
    });
    expect(r.instance?.type).toBe('c7i.large');
  });

  it('reports OOM kills and memory near memory.max', () => {
    const oom = recommend({
      trials: [
        trial({
          cpuCoresP95: 0.2,
          cpuCoresMean: 0.1,
          memoryWorkingSetBytes: 480 * MiB,
          memoryLimitBytes: 512 * MiB,
          oomKills: 2,
        }),
      ],
    });
    expect(oom.findings.map((f) => f.kind)).toEqual(['oom-kill', 'memory-near-limit']);
    expect(oom.findings[1]!.message).toBe(
      'Under-provisioned: memory 480 MiB is ≥ 90 % of memory.max 512 MiB',
    );
    expect(oom.allocation).toBe('under-provisioned');
  });
});

describe('recommend: Node main thread', () => {
  const saturated = [
    trial({
      kind: 'metrics',
      source: 'metrics http://svc/metrics',
      cpuCoresP95: 0.98,
      cpuCoresMean: 0.96,
      memoryPeakBytes: 200 * MiB,
      eventLoopLagP99Ms: 340,
    }),
  ];

  it('a saturated single process needs more processes, not a bigger machine', () => {
    const r = recommend({ trials: saturated, runtime: 'node', targetRps: 1700 });
    // replicas = ceil(1700 / (850 × 0.7)) = 3; CPU 0.98 × 2 × 1.2 = 2.352 cores in all, 0.784 each.
    expect(r.need.replicas).toBe(3);
    expect(r.need.cpuCores).toBe(2.352);
    expect(r.container.cpuRequestCores).toBe(0.784);
    expect(r.findings.find((f) => f.kind === 'node-main-thread-saturated')).toEqual({
      kind: 'node-main-thread-saturated',
      severity: 'warning',
      message:
        'Node main thread saturated (0.98 cores, event-loop lag p99 340 ms) — add processes/replicas (3) rather than a bigger instance',
    });
    // 3 processes × 230 MiB + 512 MiB on ≥ 2.352 vCPU.
    expect(r.instance?.type).toBe('c7i.xlarge');
    expect(r.allocation).toBe('under-provisioned');
  });

  it('without lag data the saturation is only "probably"; other runtimes get no such finding', () => {
    const noLag = recommend({
      trials: [trial({ cpuCoresP95: 0.98, cpuCoresMean: 0.96, memoryPeakBytes: 200 * MiB, processes: 1 })],
      runtime: 'node',
    });
    expect(noLag.findings[0]).toMatchObject({ kind: 'node-main-thread-saturated', severity: 'info' });
    expect(noLag.need.replicas).toBe(2);
    const other = recommend({ trials: saturated });
    expect(other.findings).toEqual([]);
    expect(other.need.replicas).toBe(1);
  });

  it('a multi-process Node tree is not treated as one main thread', () => {
    const cluster = recommend({
      trials: [
        trial({ kind: 'pid', cpuCoresP95: 3.5, cpuCoresMean: 3.2, memoryPeakBytes: 800 * MiB, processes: 5 }),
      ],
      runtime: 'node',
    });
    expect(cluster.findings).toEqual([]);
    expect(cluster.need.replicas).toBe(1);
  });
});

describe('recommend: no data and partial data', () => {
  it('says why the advice is absent when the probe measured nothing', () => {
    const r = recommend({
      trials: [
        trial({
          kind: 'pid',
          source: 'pid 4242 and its descendants',
          samples: 0,
          windowMs: 0,
          missing: ['pid 4242 is not running before the first reading: nothing measured'],
        }),
      ],
    });
    expect(r.status).toBe('absent');
    expect(r.absentReason).toBe(
      'no CPU or memory figure was measured: pid 4242 is not running before the first reading: nothing measured',
    );
    expect(r.headline).toBe(`Rightsizing unavailable: ${r.absentReason}`);
    expect(r.instance).toBeNull();
    expect(r.need.cpuCores).toBeUndefined();
    expect(r.advisory).toBe(true);
    expect(recommend({ trials: [] }).absentReason).toBe('no measured trials');
    expect(recommend({ trials: [trial({ cpuCoresP95: 1 }, 0)] }).absentReason).toBe(
      'no trial completed any request',
    );
  });

  it('gives the CPU part without memory, and no instance', () => {
    const r = recommend({
      trials: [
        trial({
          kind: 'metrics',
          source: 'metrics http://x/metrics',
          cpuCoresP95: 0.5,
          cpuCoresMean: 0.4,
          missing: ['http://x/metrics does not export process_resident_memory_bytes'],
        }),
      ],
    });
    expect(r.status).toBe('partial');
    expect(r.need.cpuCores).toBe(0.6);
    expect(r.need.memoryBytes).toBeUndefined();
    expect(r.instance).toBeNull();
    expect(r.instanceNote).toBe('needs both CPU and memory figures');
    expect(r.absentReason).toBe(
      'memory could not be measured: http://x/metrics does not export process_resident_memory_bytes',
    );
  });

  it('applies the floors', () => {
    const r = recommend({
      trials: [trial({ cpuCoresP95: 0.001, cpuCoresMean: 0.001, memoryPeakBytes: 20 * MiB })],
    });
    expect(r.need.cpuCores).toBe(0.01);
    expect(r.need.memoryBytes).toBe(100 * MiB);
    expect(r.need.cpuFormula).toMatch(/\(floor\)$/);
  });
});

describe('recommend: confidence, providers and user tables', () => {
  const one = [
    trial({ cpuCoresP95: 1.35, cpuCoresMean: 1.12, memoryWorkingSetBytes: 410 * MiB }, 8_500, 10_000),
  ];

  it('lowers the confidence for a short window and flags a saturated runner', () => {
    expect(recommend({ trials: one }).confidence).toBe('low');
    expect(recommend({ trials: one }).label).toBe(
      'advisory (short window), low confidence (10.0 s, 40 samples; want ≥ 30 s and ≥ 30)',
    );
    const bad = recommend({ trials: overProvisioned, hostCpuSaturated: true });
    expect(bad.confidence).toBe('unreliable');
    expect(bad.label).toBe('advisory (short window), unreliable (the load generator host was CPU-saturated)');
  });

  it('GCP and Azure: never picks a shared-core or B-series type whose baseline is unknown', () => {
    const gcp = recommend({ trials: overProvisioned, pricing: { provider: 'gcp' } });
    expect(gcp.instance?.type).toBe('e2-highcpu-2');
    const azure = recommend({ trials: overProvisioned, pricing: { provider: 'azure' } });
    expect(azure.instance?.type).toBe('Standard_F2s_v2');
    expect(azure.notes.some((n) => n.includes('Standard_B2s') && n.includes('Standard_B2ms'))).toBe(true);
    // Tiny load: B2s ($0.0416) would be cheapest, but its baseline is unknown.
    const tiny = recommend({
      trials: [trial({ cpuCoresP95: 0.05, cpuCoresMean: 0.02, memoryWorkingSetBytes: 100 * MiB })],
      pricing: { provider: 'azure' },
    });
    expect(tiny.instance?.type).toBe('Standard_F2s_v2');
  });

  it('a t3 fits when the average CPU stays under its baseline', () => {
    const light = recommend({
      trials: [trial({ cpuCoresP95: 0.5, cpuCoresMean: 0.35, memoryWorkingSetBytes: 1 * GiB })],
    });
    // Need 0.6 cores, 1.15 GiB + 0.5 GiB: t3.medium (0.4-core baseline ≥ 0.35 average) at $0.0416.
    expect(light.instance?.type).toBe('t3.medium');
    expect(light.notes).toContain(
      't3.medium is burstable: it fits only while the average CPU stays under its baseline (credits)',
    );
  });

  it('uses a validated user table and family filter', () => {
    const v = validatePriceTable({
      provider: 'onprem',
      region: 'dc1',
      currency: 'USD',
      pricing: 'internal chargeback',
      generatedAt: '2026-10-01',
      instances: [
        {
          type: 'small',
          family: 'vm',
          vcpu: 2,
          memoryGiB: 4,
          hourlyUsd: 0.02,
          source: 'https://wiki.example/prices',
          date: '2026-10-01',
        },
        {
          type: 'large',
          family: 'vm',
          vcpu: 8,
          memoryGiB: 16,
          hourlyUsd: 0.08,
          source: 'https://wiki.example/prices',
          date: '2026-10-01',
        },
      ],
    });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const r = recommend({ trials: overProvisioned, pricing: { table: v.table }, targetRps: 3400 });
    expect(r.instance?.type).toBe('large');
    expect(r.prices).toEqual({
      provider: 'onprem',
      region: 'dc1',
      pricing: 'internal chargeback',
      generatedAt: '2026-10-01',
      currency: 'USD',
    });
    const tooBig = recommend({ trials: overProvisioned, pricing: { table: v.table }, targetRps: 8500 });
    expect(tooBig.instance).toBeNull();
    expect(tooBig.instanceNote).toMatch(
      /^needs 16\.2 vCPU .* no candidate fits \(largest: large, 8 vCPU, 16 GiB\)/,
    );
  });

  it('unknown current instance types and families are noted, not fatal', () => {
    const r = recommend({
      trials: overProvisioned,
      current: { instanceType: 'x9.huge' },
      pricing: { families: ['c7i', 'zz9'] },
    });
    expect(r.current).toBeUndefined();
    expect(r.allocation).toBe('not-compared');
    expect(r.notes).toContain('current instance type x9.huge is not in the aws price table');
    expect(r.notes).toContain('unknown families in the price table: zz9');
    expect(r.instance?.type).toBe('c7i.large');
  });

  it('shipped AWS defaults are D-A families only', () => {
    const families = new Set(SHIPPED_PRICE_TABLES.aws.instances.map((i) => i.family));
    expect(families.has('m6i')).toBe(true);
    const r = recommend({ trials: overProvisioned });
    expect(
      [r.instance, ...r.alternatives].every((c) => ['t3', 'm7i', 'c7i', 'r6i'].includes(c!.family)),
    ).toBe(true);
  });
});
