// CPU cost per computeFee call of the demo's two variants (median of batches, process CPU time): the
// regression `npm run demo` shows should be several times the baseline and a visible fraction of a
// millisecond per request. Figures, not pass/fail: that the regression is found and attributed is tested
// end to end (test/e2e/demo.server.test.ts, test/attribution/demo-e2e.server.test.ts).
import type { DemoVariant, FeePayment } from '../../src/demo/fees.ts';
import { CURRENCIES, MERCHANT_CATEGORIES, computeFee } from '../../src/demo/fees.ts';

const payments: FeePayment[] = Array.from({ length: 64 }, (_, i) => ({
  amount: 1 + ((i * 7919) % 2_000_000),
  currency: CURRENCIES[i % CURRENCIES.length]!,
  merchantCategory: MERCHANT_CATEGORIES[i % MERCHANT_CATEGORIES.length]!,
}));

let sink = 0;

/** CPU microseconds per computeFee call over one batch of `calls` calls. */
function batch(variant: DemoVariant, calls: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) sink += computeFee(payments[i % payments.length]!, variant).fee;
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function benchDemoFees(): Promise<void> {
  // Warm up both paths so both are optimised before measuring.
  batch('baseline', 50_000);
  batch('regressed', 30);
  const baseline = median(Array.from({ length: 7 }, () => batch('baseline', 50_000)));
  const regressed = median(Array.from({ length: 7 }, () => batch('regressed', 40)));
  console.log(
    `computeFee CPU per call: baseline ${baseline.toFixed(3)} µs, regressed ${regressed.toFixed(1)} µs ` +
      `(${(regressed / baseline).toFixed(0)}×; checksum ${sink > 0 ? 'ok' : 'empty'})`,
  );
}
