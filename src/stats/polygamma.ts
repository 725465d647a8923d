/**
 * Digamma ψ(x), trigamma ψ'(x), tetragamma ψ''(x) and pentagamma ψ'''(x) for x > 0, and the inverse of trigamma.
 *
 * Computes: the recurrences ψ(x) = ψ(x + 1) - 1/x, ψ'(x) = ψ'(x + 1) + 1/x², ψ''(x) = ψ''(x + 1) - 2/x³, ψ'''(x) = ψ'''(x + 1) + 6/x⁴ move
 * x to 10 or more, where the asymptotic (Stirling) series, whose coefficients are Bernoulli numbers, is
 * accurate to about 1e-14: Abramowitz & Stegun, "Handbook of Mathematical Functions" (1964), 6.3.5, 6.3.18,
 * 6.4.6 and 6.4.11 (and its derivative). The inverse of trigamma is found by Newton's method from 0.5 + 1/y, as in limma's
 * `trigammaInverse` (G. K. Smyth, Statistical Applications in Genetics and Molecular Biology 3 (2004), art. 3),
 * which converges monotonically because ψ' is convex and decreasing.
 *
 * Why: the moderated t (moderated-variance.ts) estimates its prior degrees of freedom by the method of
 * moments on log variances, whose mean and variance under a scaled chi-square are ψ and ψ'.
 */

const SHIFT_TO = 10;

function assertPositive(x: number, what: string): void {
  if (!(x > 0) || !Number.isFinite(x))
    throw new RangeError(`${what}: x must be a finite number > 0, got ${x}`);
}

/** ψ(x) = d/dx log Γ(x). */
export function digamma(x: number): number {
  assertPositive(x, 'digamma');
  let acc = 0;
  for (; x < SHIFT_TO; x++) acc -= 1 / x;
  const r = 1 / (x * x);
  const series = r * (1 / 12 - r * (1 / 120 - r * (1 / 252 - r * (1 / 240 - r * (1 / 132)))));
  return acc + Math.log(x) - 0.5 / x - series;
}

/** ψ'(x), the trigamma function. */
export function trigamma(x: number): number {
  assertPositive(x, 'trigamma');
  let acc = 0;
  for (; x < SHIFT_TO; x++) acc += 1 / (x * x);
  const r = 1 / (x * x);
  const series = 1 / 6 - r * (1 / 30 - r * (1 / 42 - r * (1 / 30 - r * (5 / 66))));
  return acc + 1 / x + r / 2 + (r / x) * series;
}

/** ψ''(x), the tetragamma function. */
export function tetragamma(x: number): number {
  assertPositive(x, 'tetragamma');
  let acc = 0;
  for (; x < SHIFT_TO; x++) acc -= 2 / (x * x * x);
  const r = 1 / (x * x);
  const series = 1 / 2 - r * (1 / 6 - r * (1 / 6 - r * (3 / 10 - r * (5 / 6))));
  return acc - r / x - r - r * r * series;
}

/** ψ'''(x), the pentagamma function. */
export function pentagamma(x: number): number {
  assertPositive(x, 'pentagamma');
  let acc = 0;
  for (; x < SHIFT_TO; x++) acc += 6 / (x * x * x * x);
  const r = 1 / (x * x);
  const series = 2 - r * (1 - r * (4 / 3 - r * (3 - r * 10)));
  return acc + (2 * r) / x + 3 * r * r + ((r * r) / x) * series;
}

/** The x > 0 with ψ'(x) = y (y > 0). */
export function trigammaInverse(y: number): number {
  assertPositive(y, 'trigammaInverse');
  // ψ'(x) ≈ 1/x² for small x and ≈ 1/x for large x: the limits are exact to double precision there.
  if (y > 1e7) return 1 / Math.sqrt(y);
  if (y < 1e-6) return 1 / y;
  let x = 0.5 + 1 / y;
  for (let i = 0; i < 50; i++) {
    const tri = trigamma(x);
    const step = (tri * (1 - tri / y)) / tetragamma(x);
    x += step;
    if (-step / x < 1e-10) break;
  }
  return x;
}
