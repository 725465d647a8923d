/**
 * Seeded pseudo-random number generator for the pure statistics core.
 *
 * Computes: a deterministic stream of uniform numbers in [0, 1) from a numeric seed, so that every
 * resampling result (bootstrap, simulations) can be reproduced exactly from the seed that was logged.
 *
 * Algorithm: xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 47(4), 2021; reference C code at prng.di.unimi.it). Its 128-bit state is filled from the seed with
 * the SplitMix32 mixing step (the 32-bit variant of Steele, Lea & Flood's SplitMix, OOPSLA 2014), so nearby
 * seeds give unrelated streams. Output resolution is 2^-32. Not cryptographically secure.
 */

/** A source of uniform random numbers in [0, 1). */
export type Rng = () => number;

const TWO_POW_32 = 4294967296;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Create a deterministic xoshiro128** generator. The same seed always gives the same sequence.
 * @param seed any finite number; it is reduced to an unsigned 32-bit integer (fractions are truncated).
 * @throws RangeError when the seed is not a finite number.
 */
export function createRng(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new RangeError(`createRng: seed must be a finite number, got ${String(seed)}`);
  }
  let sm = Math.trunc(seed) >>> 0;
  const splitMix32 = (): number => {
    sm = (sm + 0x9e3779b9) | 0;
    let z = sm;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitMix32();
  let s1 = splitMix32();
  let s2 = splitMix32();
  let s3 = splitMix32();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point

  return (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result / TWO_POW_32;
  };
}

/**
 * Uniform integer in [0, n) drawn from `rng`.
 * @throws RangeError when n is not a positive integer or the rng returns a value outside [0, 1).
 */
export function randomIndex(rng: Rng, n: number): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`randomIndex: n must be a positive integer, got ${String(n)}`);
  }
  const u = rng();
  if (!(u >= 0 && u < 1)) {
    throw new RangeError(`randomIndex: rng must return a number in [0, 1), got ${String(u)}`);
  }
  return Math.floor(u * n);
}
