// Independent, deliberately naive reference computations for the stats tests. They enumerate permutations
// or sign patterns directly (no dynamic programming, no shared code with src/stats), so that agreement with the
// library is evidence that both are right.

/** All k-element index subsets of 0..n-1 (lexicographic). */
export function* combinations(n: number, k: number): Generator<number[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  if (k > n) return;
  while (true) {
    yield [...idx];
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1]! + 1;
  }
}

/** U statistic of x by counting pairs: #(x > y) + ½ #(x = y). */
export function pairCountU(x: readonly number[], y: readonly number[]): number {
  let u = 0;
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
  return u;
}

/**
 * Exact permutation distribution of U: every way of choosing which nX of the pooled values are "x".
 * Returns all U values (one per relabelling).
 */
export function enumerateU(x: readonly number[], y: readonly number[]): number[] {
  const pooled = [...x, ...y];
  const out: number[] = [];
  for (const pick of combinations(pooled.length, x.length)) {
    const chosen = new Set(pick);
    const xs = pick.map((i) => pooled[i]!);
    const ys = pooled.filter((_, i) => !chosen.has(i));
    out.push(pairCountU(xs, ys));
  }
  return out;
}

export type Alt = 'two-sided' | 'less' | 'greater';

/** p-value by enumeration, with R's two-sided convention min(1, 2·min-tail at the observed side). */
export function enumeratedP(observed: number, values: readonly number[], center: number, alt: Alt): number {
  const le = values.filter((v) => v <= observed).length / values.length;
  const ge = values.filter((v) => v >= observed).length / values.length;
  if (alt === 'less') return le;
  if (alt === 'greater') return ge;
  return Math.min(1, 2 * (observed > center ? ge : le));
}

/** Walsh-free signed-rank V by direct definition: ranks of |d| (no ties assumed), summed over d > 0. */
export function signedRankV(d: readonly number[]): number {
  const abs = d.map(Math.abs);
  let v = 0;
  d.forEach((di, i) => {
    if (di > 0) v += abs.filter((a) => a < abs[i]!).length + 1;
  });
  return v;
}

/** All 2^n sign patterns applied to ranks 1..n (or to the given ranks): the null distribution of V. */
export function enumerateV(ranks: readonly number[]): number[] {
  const n = ranks.length;
  const out: number[] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    let v = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) v += ranks[i]!;
    out.push(v);
  }
  return out;
}

/** Binomial coefficient as a float, by the multiplicative formula. */
export function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** P(Bin(n, p) ≥ k) by direct summation. */
export function binomialUpperTail(n: number, p: number, k: number): number {
  let s = 0;
  for (let j = k; j <= n; j++) s += choose(n, j) * Math.pow(p, j) * Math.pow(1 - p, n - j);
  return s;
}

/** Standard normal tail P(Z > z), z ≥ 0, by Laplace's continued fraction for the Mills ratio (backward). */
export function normalUpperTailByContinuedFraction(z: number, terms = 4000): number {
  let f = z;
  for (let k = terms; k >= 1; k--) f = z + k / f;
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) / f;
}

/** Φ(z) for moderate |z| by the all-positive series Φ(z) = ½ + φ(z)(z + z³/3 + z⁵/15 + …) (Marsaglia 2004). */
export function normalCdfBySeries(z: number): number {
  let term = z;
  let sum = z;
  for (let i = 3; i < 400; i += 2) {
    term *= (z * z) / i;
    sum += term;
    if (Math.abs(term) < 1e-18 * Math.abs(sum)) break;
  }
  return 0.5 + (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)) * sum;
}

/** Standard normal draw by inversion of a uniform from the given generator. */
export function normalDraw(rng: () => number, inverse: (p: number) => number): number {
  let u = rng();
  while (u === 0) u = rng();
  return inverse(u);
}

/** Upper bound of a two-sided binomial acceptance band: mean ± 4 standard deviations, as a proportion. */
export function binomialBand(n: number, p: number): { lo: number; hi: number } {
  const sd = Math.sqrt((p * (1 - p)) / n);
  return { lo: p - 4 * sd, hi: p + 4 * sd };
}
