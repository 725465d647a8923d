/**
 * Alpha spending for a gate that looks at its data more than once (adaptive trials), so that looking again
 * never raises the false-alarm rate above α.
 *
 * Computes: the cumulative error spent by information fraction t ∈ (0, 1] is α(t) = α · t^ρ (the power
 * family of spending functions); look k at fraction t_k may spend α_k = α(t_k) - α(t_{k-1}). Each look tests
 * at its own level α_k (with the usual Holm correction over the family inside the look). By the union bound,
 * P(a false alarm at any look) ≤ Σ α_k = α(1) = α, whatever the correlation between looks: this is the
 * Bonferroni form of a group-sequential design, slightly conservative compared with the exact boundaries
 * computed from the joint distribution of the look statistics (which assumes normal increments).
 * Stopping early to pass (equivalence) never adds a false alarm, so it needs no spending.
 *
 * References: K. K. G. Lan & D. L. DeMets, "Discrete sequential boundaries for clinical trials", Biometrika
 * 70 (1983) 659–663; K. Kim & D. L. DeMets, "Design and analysis of group sequential tests based on the type I
 * error spending rate function", Biometrika 74 (1987) 149–154 (the power family α·t^ρ); C. Jennison &
 * B. W. Turnbull, "Group Sequential Methods with Applications to Clinical Trials", Chapman & Hall 2000, §7.2.
 * ρ = 1 spends in proportion to the trials run (Pocock-like: early looks can fail a clear change);
 * ρ = 3 keeps most of α for the last look (O'Brien–Fleming-like).
 */

/**
 * Per-look levels α_k for looks at cumulative sample sizes `looks` (increasing) out of a maximum `max`.
 * @throws RangeError on a level outside (0, 1), an empty or non-increasing schedule, or a look beyond max.
 */
export function spendAlpha(alpha: number, looks: readonly number[], max: number, rho = 1): number[] {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`spendAlpha: alpha must be in (0, 1), got ${alpha}`);
  if (!(rho > 0) || !Number.isFinite(rho)) throw new RangeError(`spendAlpha: rho must be > 0, got ${rho}`);
  if (!(max > 0)) throw new RangeError(`spendAlpha: max must be > 0, got ${max}`);
  if (looks.length === 0) throw new RangeError('spendAlpha: needs at least one look');
  const out: number[] = [];
  let spent = 0;
  let previous = 0;
  for (const n of looks) {
    if (!(n > previous) || n > max) {
      throw new RangeError(`spendAlpha: looks must increase and stay <= ${max}, got ${looks.join(', ')}`);
    }
    // The last planned look spends whatever is left, so Σ α_k = α exactly when the schedule reaches max.
    const cumulative = n === max ? alpha : alpha * (n / max) ** rho;
    out.push(cumulative - spent);
    spent = cumulative;
    previous = n;
  }
  return out;
}

/**
 * The looks of an adaptive run: the first after `first` trials, then each about `growth` times the previous
 * (at least one trial more), ending exactly at `max`. E.g. first 3, max 10, growth 1.5: 3, 5, 8, 10.
 * @throws RangeError unless 1 <= first <= max are whole numbers and growth > 1.
 */
export function lookSchedule(first: number, max: number, growth = 1.5): number[] {
  if (!Number.isInteger(first) || !Number.isInteger(max) || first < 1 || first > max) {
    throw new RangeError(
      `lookSchedule: need whole numbers 1 <= first <= max, got first ${first}, max ${max}`,
    );
  }
  if (!(growth > 1)) throw new RangeError(`lookSchedule: growth must be > 1, got ${growth}`);
  const looks = [first];
  while (looks[looks.length - 1]! < max) {
    const last = looks[looks.length - 1]!;
    looks.push(Math.min(max, Math.max(last + 1, Math.round(last * growth))));
  }
  return looks;
}
