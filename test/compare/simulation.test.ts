// Seeded simulation of the whole decision (comparison + verdict) on realistic trial noise:
// A/A (nothing changed) must not fail the gate, A/B with a real +20 % p95 shift must, and a +5 % shift
// (under the default 10 % minimum effect) must not. Both modes: stored (unpaired) and paired.
import { describe, expect, it } from 'vitest';
import type { Series } from '../../src/compare/compare.ts';
import { comparisonFromSeries } from '../helpers/series-comparison.ts';
import { METRICS } from '../../src/compare/metrics.ts';
import type { Comparison, CompareMode } from '../../src/compare/types.ts';
import { decide } from '../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS, ruleFor } from '../../src/compare/rules.ts';
import { createRng, normalQuantile, type Rng } from '../../src/stats/index.ts';

const REQUESTS = 5;
const TRIALS = 10;

function gaussian(rng: Rng): number {
  // Inverse-CDF sampling keeps the generator a single seeded stream.
  return normalQuantile(Math.min(Math.max(rng(), 1e-12), 1 - 1e-12));
}

interface World {
  /** relative p95 shift of request 0 in the candidate */
  shift: number;
  mode: CompareMode;
}

/** One simulated comparison: every default gating metric (p95 and error rate per request, throughput). */
function simulate(rng: Rng, world: World): Comparison {
  const series: Series[] = [];
  // Paired mode: each pair shares the runner's state at that moment (drift cancels in the ratio).
  const pairDrift = Array.from({ length: TRIALS }, () => 0.04 * gaussian(rng));
  const drift = (i: number) => (world.mode === 'paired' ? pairDrift[i]! : 0);
  let totalB: number[] = Array(TRIALS).fill(0);
  let totalC: number[] = Array(TRIALS).fill(0);
  for (let r = 0; r < REQUESTS; r++) {
    const cov = 0.03 + 0.02 * rng(); // CoV 3 to 5 %
    const level = 2000 + 20000 * rng(); // p95 between 2 and 22 ms
    const shift = r === 0 ? world.shift : 0;
    const b = Array.from({ length: TRIALS }, (_, i) => level * Math.exp(drift(i) + cov * gaussian(rng)));
    const c = Array.from(
      { length: TRIALS },
      (_, i) => level * (1 + shift) * Math.exp(drift(i) + cov * gaussian(rng)),
    );
    series.push({
      scenario: 's',
      request: `r${r}`,
      def: METRICS.p95,
      baseline: b,
      candidate: c,
      rule: ruleFor(DEFAULT_THRESHOLDS, 's', `r${r}`, 'p95'),
      gating: true,
    });
    // Error rates: mostly zero, an occasional stray error (about 1 in 5,000 requests).
    const errors = () => Array.from({ length: TRIALS }, () => (rng() < 0.2 ? 0.0002 * (1 + rng()) : 0));
    series.push({
      scenario: 's',
      request: `r${r}`,
      def: METRICS.errorRate,
      baseline: errors(),
      candidate: errors(),
      rule: ruleFor(DEFAULT_THRESHOLDS, 's', `r${r}`, 'errorRate'),
      gating: true,
    });
    const tput = 1000 / (level / 1000);
    totalB = totalB.map((t, i) => t + tput * Math.exp(-drift(i) + cov * gaussian(rng)));
    totalC = totalC.map((t, i) => t + tput * Math.exp(-drift(i) + cov * gaussian(rng)));
  }
  series.push({
    scenario: 's',
    request: null,
    def: METRICS.throughput,
    baseline: totalB,
    candidate: totalC,
    rule: ruleFor(DEFAULT_THRESHOLDS, 's', null, 'throughput'),
    gating: true,
  });
  return comparisonFromSeries(series, world.mode, TRIALS);
}

function rates(seed: number, runs: number, world: World) {
  const rng = createRng(seed);
  let fail = 0;
  let caughtRightPlace = 0;
  let wrongPlace = 0;
  let inconclusive = 0;
  for (let i = 0; i < runs; i++) {
    const verdict = decide(simulate(rng, world), { thresholds: DEFAULT_THRESHOLDS });
    if (verdict.outcome === 'fail') fail++;
    if (verdict.outcome === 'inconclusive') inconclusive++;
    const regressions = verdict.findings.filter((f) => f.status === 'regression');
    if (regressions.some((f) => f.request === 'r0' && f.metric === 'p95')) caughtRightPlace++;
    if (regressions.some((f) => !(f.request === 'r0' && f.metric === 'p95'))) wrongPlace++;
  }
  return {
    fail: fail / runs,
    caught: caughtRightPlace / runs,
    wrongPlace: wrongPlace / runs,
    inconclusive: inconclusive / runs,
  };
}

describe.each(['stored', 'paired'] as const)('decision by simulation, %s mode', (mode) => {
  it('A/A: 2,000 comparisons of 11 gating metrics fail the gate in at most 1 %', () => {
    const r = rates(20261122, 2000, { shift: 0, mode });
    console.log(
      `${mode} A/A: fail ${(r.fail * 100).toFixed(2)} %, inconclusive ${(r.inconclusive * 100).toFixed(2)} %`,
    );
    expect(r.fail).toBeLessThanOrEqual(0.01);
  });

  it('A/B: a true +20 % p95 shift on one request is caught in at least 95 %, on that request', () => {
    const r = rates(7, 1000, { shift: 0.2, mode });
    console.log(
      `${mode} +20 %: caught ${(r.caught * 100).toFixed(1)} %, elsewhere ${(r.wrongPlace * 100).toFixed(2)} %`,
    );
    expect(r.caught).toBeGreaterThanOrEqual(0.95);
    expect(r.wrongPlace).toBeLessThanOrEqual(0.01);
  });

  it('A/B: a +5 % shift, under the default 10 % minimum effect, fails in at most 1 %', () => {
    const r = rates(11, 1000, { shift: 0.05, mode });
    console.log(`${mode} +5 %: fail ${(r.fail * 100).toFixed(2)} %`);
    expect(r.fail).toBeLessThanOrEqual(0.01);
  });
});
