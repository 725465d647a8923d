import { describe, expect, it } from 'vitest';
import { durationMs, formatDuration, parseDuration } from '../../../src/config/parse/durations.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.1s', 1100],
    [' 20ms ', 20],
  ])('%s -> %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it('refuses a number without a unit, naming the expected form and the value found', () => {
    expect(parseDuration(10)).toEqual({
      ok: false,
      message: 'a duration needs a unit (ms, s, m or h)',
      expected: "a duration such as '10s' or '500ms'",
      found: '10',
    });
    expect(parseDuration('10')).toMatchObject({ ok: false, found: "'10'" });
  });

  it('refuses negative durations, and zero unless allowed', () => {
    expect(parseDuration('-5s')).toMatchObject({ ok: false, message: 'a duration cannot be negative' });
    expect(parseDuration(-5)).toMatchObject({ ok: false, message: 'a duration cannot be negative' });
    expect(parseDuration('0s')).toMatchObject({ ok: false, message: 'a duration must be greater than zero' });
    expect(parseDuration('0s', { allowZero: true })).toEqual({ ok: true, ms: 0 });
  });

  it.each(['10 s', '10S', 'ten', '', 's', '1.s', '5d'])('refuses %j', (text) => {
    expect(parseDuration(text).ok).toBe(false);
  });

  it('refuses non-strings', () => {
    expect(parseDuration(null)).toMatchObject({ ok: false, found: 'nothing' });
    expect(parseDuration(true)).toMatchObject({ ok: false, found: 'true' });
  });

  it('durationMs throws on invalid input', () => {
    expect(durationMs('2s')).toBe(2000);
    expect(() => durationMs('2')).toThrow(/needs a unit/);
  });

  it('formatDuration round-trips', () => {
    for (const ms of [0, 1, 500, 1000, 1500, 90_000, 3_600_000, 3_661_500]) {
      expect(durationMs(formatDuration(ms), { allowZero: true })).toBe(ms);
    }
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(1500)).toBe('1.5s');
  });
});
