/**
 * Multiple-comparison adjustment of p-values: Holm's step-down (family-wise error) and Benjamini–Hochberg
 * (false discovery rate).
 *
 * Computes adjusted p-values, to be compared directly with α (Holm) or q (BH), exactly as R's
 * `p.adjust(p, method = "holm")` and `p.adjust(p, method = "BH")`:
 * - Holm: with p(1) ≤ … ≤ p(m), adj(i) = min(1, max_{j ≤ i} (m - j + 1)·p(j)).
 * - BH: adj(i) = min(1, min_{j ≥ i} (m / j)·p(j)).
 * Results are returned in the input order; equal p-values get equal adjusted values; every adjusted value is
 * ≥ its raw p-value and ≤ 1, and the adjusted values are monotone in the raw ones.
 *
 * References: S. Holm, "A simple sequentially rejective multiple test procedure", Scand. J. Statist. 6 (1979)
 * 65–70; Y. Benjamini & Y. Hochberg, "Controlling the false discovery rate: a practical and powerful approach to
 * multiple testing", JRSS B 57 (1995) 289–300; S. P. Wright, "Adjusted P-values for simultaneous inference",
 * Biometrics 48 (1992) 1005–1013.
 *
 * Holm needs no assumption about the dependence between the tests. BH controls the FDR under independence or
 * positive dependence (PRDS); under the global null (an A/A run) its FDR equals the family-wise error rate.
 * An empty array is a valid (empty) family and returns [].
 */

function validate(p: readonly number[], what: string): void {
  if (!Array.isArray(p)) throw new RangeError(`${what}: p must be an array of p-values`);
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new RangeError(`${what}: p[${i}] must be a p-value in [0, 1], got ${String(v)}`);
    }
  }
}

/** Indices of p sorted by value (ascending), stable for ties. */
function ascendingOrder(p: readonly number[]): number[] {
  return Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[a]! - p[b]! || a - b);
}

/**
 * Holm (1979) step-down adjusted p-values (R: `p.adjust(p, "holm")`). Reject H_i at family-wise level α when
 * the adjusted value is ≤ α.
 * @throws RangeError when any value is NaN or outside [0, 1].
 */
export function holmAdjust(p: readonly number[]): number[] {
  validate(p, 'holmAdjust');
  const m = p.length;
  const order = ascendingOrder(p);
  const out = new Array<number>(m);
  let running = 0;
  for (let rank = 0; rank < m; rank++) {
    const i = order[rank]!;
    running = Math.max(running, Math.min(1, (m - rank) * p[i]!));
    out[i] = running;
  }
  return out;
}

/**
 * Benjamini–Hochberg (1995) adjusted p-values, also called q-values (R: `p.adjust(p, "BH")`). Declaring the
 * hypotheses with adjusted value ≤ q controls the false discovery rate at q.
 * @throws RangeError when any value is NaN or outside [0, 1].
 */
export function benjaminiHochbergAdjust(p: readonly number[]): number[] {
  validate(p, 'benjaminiHochbergAdjust');
  const m = p.length;
  const order = ascendingOrder(p);
  const out = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const i = order[rank]!;
    running = Math.min(running, (m / (rank + 1)) * p[i]!);
    out[i] = running;
  }
  return out;
}
