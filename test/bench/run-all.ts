// `npm run bench [name...]`: runs the benchmarks one after another and prints their figures.
import { benchGenerator } from './generator.bench.ts';
import { benchK6Ndjson } from './k6-ndjson.bench.ts';
import { benchCompare } from './compare.bench.ts';
import { benchProbeOverhead } from './probe-overhead.bench.ts';
import { benchAttribution } from './attribution.bench.ts';
import { benchVerdictQuality } from './verdict-quality.bench.ts';
import { benchVerdictQualityModeration } from './verdict-quality-moderation.bench.ts';
import { benchProfilingOverhead } from './profiling-overhead.bench.ts';
import { benchHistory } from './history.bench.ts';
import { benchFunctions } from './functions.bench.ts';
import { benchDemoFees } from './demo-fees.bench.ts';

const benches: Record<string, () => Promise<void>> = {
  generator: benchGenerator,
  'k6-ndjson': benchK6Ndjson,
  compare: benchCompare,
  'probe-overhead': benchProbeOverhead,
  attribution: benchAttribution,
  'verdict-quality': benchVerdictQuality,
  'verdict-quality-moderation': benchVerdictQualityModeration,
  'profiling-overhead': benchProfilingOverhead,
  history: benchHistory,
  functions: benchFunctions,
  'demo-fees': benchDemoFees,
};

const wanted = process.argv.slice(2);
for (const [name, fn] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n# ${name}`);
  const t0 = performance.now();
  await fn();
  console.log(`(${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
