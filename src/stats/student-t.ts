/**
 * Student's t distribution and the special functions behind it: log-gamma, log-beta, the regularized
 * incomplete beta function, the t CDF and the t quantile function.
 *
 * References:
 * - Regularized incomplete beta I_x(a, b): continued fraction evaluated with the modified Lentz method, as in
 *   Press, Teukolsky, Vetterling & Flannery, "Numerical Recipes" (3rd ed., 2007), §6.4 (`betai`/`betacf`),
 *   with Lentz's algorithm from §5.2. The prefactor x^a (1-x)^b / B(a, b) is computed in log space.
 * - log Γ and log B: Stirling's series with Bernoulli-number terms for arguments ≥ 10 (Abramowitz & Stegun
 *   6.1.40) and the recurrence Γ(x+1) = xΓ(x) below; log B uses the large-argument form of R's `lbeta`
 *   (src/nmath/lbeta.c) so that large degrees of freedom do not lose precision to cancellation.
 * - t CDF: P(T ≤ t) from I_{ν/(ν+t²)}(ν/2, 1/2) (A&S 26.7.1 / 26.5.27), i.e. R's `pt`.
 * - t quantile: safeguarded Newton iteration on the log tail probability, bracketed by bisection; R's `qt`.
 *
 * Degrees of freedom may be non-integer (Welch–Satterthwaite); `df = Infinity` gives the normal distribution.
 */
import type { Alternative } from './welch.ts';
import { normalCdf, normalQuantile } from './normal.ts';

const LN_SQRT_2PI = 0.9189385332046728; // log(sqrt(2π))

/** Stirling series correction: log Γ(x) - [(x - 1/2) log x - x + log √(2π)], valid for x ≥ 10. */
function stirlingCorrection(x: number): number {
  const x2 = 1 / (x * x);
  // B_{2k} / (2k (2k - 1)) for k = 1..8; the next term is below 1e-17 at x = 10.
  return (
    (1 / 12 -
      x2 *
        (1 / 360 -
          x2 *
            (1 / 1260 -
              x2 *
                (1 / 1680 -
                  x2 * (1 / 1188 - x2 * (691 / 360360 - x2 * (1 / 156 - x2 * (3617 / 122400)))))))) /
    x
  );
}

/**
 * Natural logarithm of the gamma function, log Γ(x), for x > 0 (absolute error about 1e-15).
 * @throws RangeError when x is not a finite number > 0.
 */
export function logGamma(x: number): number {
  if (typeof x !== 'number' || !(x > 0) || !Number.isFinite(x)) {
    throw new RangeError(`logGamma: x must be a finite number > 0, got ${String(x)}`);
  }
  return logGammaPositive(x);
}

function logGammaPositive(x: number): number {
  if (x === 1 || x === 2) return 0;
  if (x >= 10) {
    return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingCorrection(x);
  }
  // Shift up to x + k >= 10: log Γ(x) = log Γ(x + k) - log(x (x+1) ... (x+k-1)).
  let product = 1;
  let z = x;
  while (z < 10) {
    product *= z;
    z += 1;
  }
  return (z - 0.5) * Math.log(z) - z + LN_SQRT_2PI + stirlingCorrection(z) - Math.log(product);
}

/**
 * log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b), for a, b > 0, computed without catastrophic
 * cancellation when a or b is large (as R's `lbeta`).
 * @throws RangeError when a or b is not a finite number > 0.
 */
export function logBeta(a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new RangeError(`logBeta: a and b must be finite numbers > 0, got ${String(a)}, ${String(b)}`);
  }
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (p >= 10) {
    const corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
    return (
      -0.5 * Math.log(q) +
      LN_SQRT_2PI +
      corr +
      (p - 0.5) * Math.log(p / (p + q)) +
      q * Math.log1p(-p / (p + q))
    );
  }
  if (q >= 10) {
    const corr = stirlingCorrection(q) - stirlingCorrection(p + q);
    return logGammaPositive(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGammaPositive(p) + logGammaPositive(q) - logGammaPositive(p + q);
}

const CF_EPS = 1e-16;
const CF_TINY = 1e-300;
const CF_MAX_ITERATIONS = 100000;

/** Continued fraction for I_x(a, b) (Numerical Recipes `betacf`, modified Lentz). Best for x < (a+1)/(a+b+2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < CF_TINY) d = CF_TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= CF_MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < CF_TINY) d = CF_TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < CF_TINY) c = CF_TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < CF_TINY) d = CF_TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < CF_TINY) c = CF_TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= CF_EPS) return h;
  }
  throw new RangeError(
    `regularizedIncompleteBeta: continued fraction did not converge for x=${x}, a=${a}, b=${b}`,
  );
}

/**
 * I_x(a, b) given x, y = 1 - x and their logarithms, so that callers who know 1 - x or log x more precisely
 * than the naive formulas keep that precision (with large a, an error of 1e-16 in log x is multiplied by a).
 * Returns the lower value; `upper` gives 1 - I_x(a, b) computed directly (no cancellation).
 */
function incompleteBetaPair(
  x: number,
  y: number,
  logX: number,
  logY: number,
  a: number,
  b: number,
): { lower: number; upper: number } {
  // Decide the end points on the logs: x itself may underflow to 0 while x^a is still representable.
  if (logX === -Infinity) return { lower: 0, upper: 1 };
  if (logY === -Infinity) return { lower: 1, upper: 0 };
  const logFront = a * logX + b * logY - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
    return { lower, upper: 1 - lower };
  }
  const upper = (Math.exp(logFront) * betaContinuedFraction(y, b, a)) / b;
  return { lower: 1 - upper, upper };
}

/**
 * Regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), for 0 ≤ x ≤ 1 and a, b > 0
 * (R: `pbeta(x, a, b)`).
 * @throws RangeError on x outside [0, 1], non-positive or non-finite a or b.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (typeof x !== 'number' || !(x >= 0 && x <= 1)) {
    throw new RangeError(`regularizedIncompleteBeta: x must be in [0, 1], got ${String(x)}`);
  }
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new RangeError(
      `regularizedIncompleteBeta: a and b must be finite numbers > 0, got ${String(a)}, ${String(b)}`,
    );
  }
  return incompleteBetaPair(x, 1 - x, Math.log(x), Math.log1p(-x), a, b).lower;
}

function assertDf(df: number, what: string): void {
  if (typeof df !== 'number' || !(df > 0)) {
    throw new RangeError(`${what}: degrees of freedom must be > 0 (Infinity allowed), got ${String(df)}`);
  }
}

/** P(T > t) for t ≥ 0, computed directly (full relative precision in the far tail). */
function upperTail(t: number, df: number): number {
  if (t === Infinity) return 0;
  if (df === Infinity) return normalCdf(-t);
  // x = df / (df + t²) and y = t² / (df + t²) with their logs, formed without overflow or cancellation.
  // log r is formed from logs so that it stays finite when r itself underflows (tiny df, huge t).
  if (t * t > df) {
    const logR = Math.log(df) - 2 * Math.log(t);
    const r = Math.exp(logR);
    const l1p = Math.log1p(r);
    return 0.5 * incompleteBetaPair(r / (1 + r), 1 / (1 + r), logR - l1p, -l1p, df / 2, 0.5).lower;
  }
  const logR = 2 * Math.log(t) - Math.log(df);
  const r = Math.exp(logR);
  const l1p = Math.log1p(r);
  return 0.5 * incompleteBetaPair(1 / (1 + r), r / (1 + r), -l1p, logR - l1p, df / 2, 0.5).lower;
}

/**
 * CDF of Student's t distribution, P(T ≤ t), for df > 0 (non-integer allowed; Infinity = normal).
 * The lower tail (t < 0) is computed directly, so use `studentTCdf(-t, df)` for an upper tail P(T > t).
 * @throws RangeError when t is NaN or df is not > 0.
 */
export function studentTCdf(t: number, df: number): number {
  if (typeof t !== 'number' || Number.isNaN(t)) {
    throw new RangeError(`studentTCdf: t must be a number, got ${String(t)}`);
  }
  assertDf(df, 'studentTCdf');
  if (t === 0) return 0.5;
  const tail = upperTail(Math.abs(t), df);
  return t < 0 ? tail : 1 - tail;
}

/** p-value of a t statistic with df degrees of freedom for an alternative (Welch, one-sample and paired t). */
export function tPValue(t: number, df: number, alternative: Alternative): number {
  if (alternative === 'less') return studentTCdf(t, df);
  if (alternative === 'greater') return studentTCdf(-t, df);
  return Math.min(1, 2 * studentTCdf(-Math.abs(t), df));
}

/** Density of Student's t distribution. @throws RangeError when t is NaN or df is not > 0. */
export function studentTPdf(t: number, df: number): number {
  if (typeof t !== 'number' || Number.isNaN(t)) {
    throw new RangeError(`studentTPdf: t must be a number, got ${String(t)}`);
  }
  assertDf(df, 'studentTPdf');
  if (!Number.isFinite(t)) return 0;
  if (df === Infinity) return Math.exp(-0.5 * t * t - LN_SQRT_2PI);
  const t2 = t * t;
  // log(1 + t²/df), written to survive t² overflow
  const log1pRatio = Number.isFinite(t2 / df)
    ? Math.log1p(t2 / df)
    : 2 * Math.log(Math.abs(t)) - Math.log(df) + Math.log1p(df / t2);
  return Math.exp(-logBeta(df / 2, 0.5) - 0.5 * Math.log(df) - ((df + 1) / 2) * log1pRatio);
}

/**
 * Quantile of Student's t distribution: the t with P(T ≤ t) = p. Returns ±Infinity for p = 0 or 1 (and when
 * the quantile overflows a double, which needs df < 1 and a tiny p).
 * Relative accuracy about 1e-13; tiny tail probabilities (p < 0.5) are solved from p itself.
 * @throws RangeError when p is not in [0, 1] or df is not > 0.
 */
export function studentTQuantile(p: number, df: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new RangeError(`studentTQuantile: p must be in [0, 1], got ${String(p)}`);
  }
  assertDf(df, 'studentTQuantile');
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (df === Infinity) return normalQuantile(p);
  const q = p < 0.5 ? p : 1 - p; // 1 - p is exact for p >= 0.5
  const t = solveUpperTail(q, df);
  return p < 0.5 ? -t : t;
}

/** The t ≥ 0 with P(T > t) = q, for 0 < q < 0.5: Newton on log P(T > t), safeguarded by a bisection bracket. */
function solveUpperTail(q: number, df: number): number {
  const logQ = Math.log(q);
  // Bracket [lo, hi] with upperTail(lo) >= q >= upperTail(hi).
  let lo = 0;
  let hi = Math.max(1, -normalQuantile(q));
  while (upperTail(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return Infinity;
  }
  let t = 0.5 * (lo + hi);
  for (let iter = 0; iter < 200; iter++) {
    const tail = upperTail(t, df);
    if (tail === q) return t;
    if (tail > q) lo = t;
    else hi = t;
    const density = studentTPdf(t, df);
    let next = Number.NaN;
    if (tail > 0 && density > 0) {
      // d/dt log tail = -pdf / tail
      next = t + ((Math.log(tail) - logQ) * tail) / density;
    }
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 4e-16 * Math.abs(next) || hi - lo <= 4e-16 * hi) return next;
    t = next;
  }
  return t;
}
