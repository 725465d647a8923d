// Human durations in config files: `500ms`, `10s`, `1.5s`, `2m`, `1h`, and sums such as `1m30s`.
// A bare number is refused on purpose: `timeout: 10` is ambiguous (seconds? milliseconds?).

import { describeValue } from './errors.ts';

export const DURATION_EXPECTED = "a duration such as '10s' or '500ms'";

/** JSON-schema pattern of a duration (one or more `<number><unit>` parts; units ms, s, m, h). */
export const DURATION_PATTERN = '^(?:[0-9]+(?:\\.[0-9]+)?(?:ms|s|m|h))+$';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const WHOLE = new RegExp(DURATION_PATTERN);
const PART = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g;

export interface DurationOptions {
  /** Accept `0s` (e.g. "no warm-up"). Default false: the duration must be greater than zero. */
  allowZero?: boolean;
}

export type DurationResult =
  { ok: true; ms: number } | { ok: false; message: string; expected: string; found: string };

/** Parses a duration to milliseconds, or says precisely what is wrong with it. Never throws. */
export function parseDuration(input: unknown, options: DurationOptions = {}): DurationResult {
  const fail = (message: string): DurationResult => ({
    ok: false,
    message,
    expected: DURATION_EXPECTED,
    found: typeof input === 'number' ? String(input) : describeValue(input),
  });
  if (typeof input === 'number') {
    return fail(input < 0 ? 'a duration cannot be negative' : 'a duration needs a unit (ms, s, m or h)');
  }
  if (typeof input !== 'string') return fail('not a duration');
  const text = input.trim();
  if (/^-/.test(text)) return fail('a duration cannot be negative');
  if (/^[0-9]+(?:\.[0-9]+)?$/.test(text)) return fail('a duration needs a unit (ms, s, m or h)');
  if (!WHOLE.test(text)) return fail('not a valid duration');
  let ms = 0;
  for (const match of text.matchAll(PART)) {
    ms += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
  }
  // Sub-microsecond noise from binary fractions (1.1s -> 1100.0000000000002) is rounded away.
  ms = Math.round(ms * 1000) / 1000;
  if (!Number.isFinite(ms)) return fail('not a valid duration');
  if (ms === 0 && !options.allowZero) return fail('a duration must be greater than zero');
  return { ok: true, ms };
}

/** Milliseconds of a duration already validated by the schema; throws on an invalid one. */
export function durationMs(input: string, options: DurationOptions = {}): number {
  const result = parseDuration(input, options);
  if (!result.ok) throw new Error(`${result.message}: expected ${result.expected}, found ${result.found}`);
  return result.ms;
}

/** The shortest exact duration text for a number of milliseconds: 1500 -> '1.5s', 90000 -> '1m30s'. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`not a duration: ${ms}`);
  if (ms === 0) return '0s';
  if (ms < 1000 || !Number.isInteger(ms)) return ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
  let rest = ms;
  let out = '';
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  if (rest > 0) out += `${rest / 1000}s`;
  return out;
}
