// The moderated t's false-alarm rate by seeded simulation, with and without moderation, in worlds harsher
// than the unit tests' (families of 3 to 200, per-series noise from alike, 1-2 %, to ten-fold apart,
// 0.5-5 %). Per cell: the share of A/A gates (fixed trials, no drift) in which some series is
// Holm-significant in the worse direction at alpha 0.05: the family-wise size of the test itself. Figures,
// not pass/fail (docs/methods/moderated-t.md quotes them). BENCH_MODERATION_REPS scales the repetitions.
import { compareSeries, testSeries, type Series } from '../../src/compare/compare.ts';
import { METRICS } from '../../src/compare/metrics.ts';
import { DEFAULT_THRESHOLDS, ruleFor } from '../../src/compare/rules.ts';
import type { CompareMode } from '../../src/compare/types.ts';
import { createRng, holmAdjust, normalQuantile, type Rng } from '../../src/stats/index.ts';

const ALPHA = 0.05;
const SCALE = Number(process.env.BENCH_MODERATION_REPS ?? 1);

const gaussian = (rng: Rng) => normalQuantile(Math.min(Math.max(rng(), 1e-12), 1 - 1e-12));

interface Cell {
  mode: CompareMode;
  trials: number;
  family: number;
  noise: [number, number];
  reps: number;
}

function falseSignificance(cell: Cell): { moderated: number; own: number } {
  const rng = createRng(7);
  let moderated = 0;
  let own = 0;
  const worse = (estimate: number | undefined) => (estimate ?? 0) > 0;
  for (let r = 0; r < cell.reps; r++) {
    const series: Series[] = Array.from({ length: cell.family }, (_, s) => {
      const sd = cell.noise[0] + (cell.noise[1] - cell.noise[0]) * rng();
      const draw = () => Array.from({ length: cell.trials }, () => 1000 * Math.exp(sd * gaussian(rng)));
      return {
        scenario: 's',
        request: `r${s}`,
        def: METRICS.p95,
        rule: ruleFor(DEFAULT_THRESHOLDS, 's', `r${s}`, 'p95'),
        gating: true,
        baseline: draw(),
        candidate: draw(),
      };
    });
    const rows = compareSeries(series, cell.mode).metrics;
    if (rows.some((m) => worse(m.change?.estimate) && m.pHolm! < ALPHA)) moderated++;
    // The same family tested series by series, without moderation, and Holm-adjusted the same way.
    const tests = series.map((s) => testSeries(s, cell.mode, 0.95));
    const oneSided = tests.map((t) => (worse(t.change?.estimate) ? t.p! / 2 : 1 - t.p! / 2));
    const holm = holmAdjust(oneSided);
    if (holm.some((p, i) => worse(tests[i]!.change?.estimate) && p < ALPHA)) own++;
  }
  return { moderated: moderated / cell.reps, own: own / cell.reps };
}

export async function benchVerdictQualityModeration(): Promise<void> {
  const cells: Cell[] = [
    { mode: 'paired', trials: 3, family: 3, noise: [0.005, 0.05], reps: 4000 },
    { mode: 'paired', trials: 3, family: 5, noise: [0.005, 0.05], reps: 3000 },
    { mode: 'paired', trials: 3, family: 10, noise: [0.005, 0.05], reps: 3000 },
    { mode: 'paired', trials: 3, family: 25, noise: [0.01, 0.02], reps: 2000 },
    { mode: 'paired', trials: 5, family: 25, noise: [0.01, 0.02], reps: 1500 },
    { mode: 'paired', trials: 3, family: 200, noise: [0.01, 0.02], reps: 300 },
    { mode: 'stored', trials: 3, family: 5, noise: [0.005, 0.05], reps: 4000 },
    { mode: 'stored', trials: 5, family: 25, noise: [0.01, 0.02], reps: 2000 },
    { mode: 'stored', trials: 5, family: 200, noise: [0.01, 0.02], reps: 500 },
    { mode: 'stored', trials: 5, family: 200, noise: [0.015, 0.015], reps: 400 },
  ];
  console.log(
    'mode     trials  family  noise (log sd)  reps   falsely significant: moderated  own variances',
  );
  for (const cell of cells) {
    const reps = Math.max(50, Math.round(cell.reps * SCALE));
    const r = falseSignificance({ ...cell, reps });
    const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
    console.log(
      `${cell.mode.padEnd(8)} ${String(cell.trials).padEnd(7)} ${String(cell.family).padEnd(7)} ` +
        `${`${cell.noise[0] * 100}-${cell.noise[1] * 100} %`.padEnd(15)} ${String(reps).padEnd(6)} ` +
        `${pct(r.moderated).padEnd(31)} ${pct(r.own)}`,
    );
  }
}
