// `npm run bench [name...]`: runs the benchmarks one after another and prints their figures.
import { benchGenerator } from './generator.bench.ts';
import { benchCompare } from './compare.bench.ts';

const benches: Record<string, () => Promise<void>> = {
  generator: benchGenerator,
  compare: benchCompare,
};

const wanted = process.argv.slice(2);
for (const [name, fn] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n# ${name}`);
  const t0 = performance.now();
  await fn();
  console.log(`(${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
