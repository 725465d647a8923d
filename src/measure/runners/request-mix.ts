// Turns request weights into one repeating sequence of request indices. autocannon walks its request
// array in order on every connection and has no weights, so the mix is expressed as repetition,
// interleaved by smooth weighted round-robin so no request runs in long clumps.

const MAX_CYCLE = 1000;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Returns a cycle of request indices whose frequencies are proportional to the weights. */
export function weightedCycle(weights: readonly number[]): number[] {
  if (weights.length === 0) throw new RangeError('a scenario needs at least one request');
  for (const w of weights) {
    if (!Number.isInteger(w) || w < 1) throw new RangeError(`weights must be positive integers, got ${w}`);
  }
  const g = weights.reduce((a, b) => gcd(a, b));
  let reduced = weights.map((w) => w / g);
  const total = reduced.reduce((a, b) => a + b, 0);
  if (total > MAX_CYCLE) {
    // Keep every request in the mix, proportions approximate to within 1/MAX_CYCLE.
    reduced = reduced.map((w) => Math.max(1, Math.round((w * MAX_CYCLE) / total)));
  }
  const cycleLength = reduced.reduce((a, b) => a + b, 0);
  const current = reduced.map(() => 0);
  const cycle: number[] = [];
  for (let step = 0; step < cycleLength; step++) {
    let best = 0;
    for (let i = 0; i < reduced.length; i++) {
      current[i]! += reduced[i]!;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= cycleLength;
    cycle.push(best);
  }
  return cycle;
}
