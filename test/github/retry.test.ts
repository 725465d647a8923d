import { describe, expect, it } from 'vitest';
import {
  SECONDARY_RATE_LIMIT_FALLBACK_MS,
  backoffDelayMs,
  classifyError,
  parseRetryAfter,
  retryPolicy,
  withRetry,
} from '../../src/github/retry.ts';

const NOW = Date.UTC(2026, 0, 1);
const err = (status: number, headers: Record<string, string> = {}, message = 'x') =>
  Object.assign(new Error(message), { status, response: { headers } });

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, ignores junk', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter(new Date(NOW + 4000).toUTCString(), NOW)).toBe(4000);
    expect(parseRetryAfter(new Date(NOW - 4000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });
});

describe('classifyError', () => {
  it('retries 429, rate-limit 403s and repeatable 5xx; not permanent errors', () => {
    expect(classifyError(err(429, { 'retry-after': '1' }), 'POST', NOW)).toMatchObject({
      retryable: true,
      serverWaitMs: 1000,
    });
    expect(classifyError(err(429), 'GET', NOW)).toMatchObject({ retryable: true, serverWaitMs: undefined });
    expect(classifyError(err(403, { 'retry-after': '5' }), 'POST', NOW)).toMatchObject({
      retryable: true,
      serverWaitMs: 5000,
    });
    expect(
      classifyError(
        err(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 30) }),
        'GET',
        NOW,
      ),
    ).toMatchObject({ retryable: true, serverWaitMs: 30_000 });
    expect(classifyError(err(403, {}, 'You have exceeded a secondary rate limit'), 'GET', NOW)).toMatchObject(
      {
        retryable: true,
        serverWaitMs: SECONDARY_RATE_LIMIT_FALLBACK_MS,
      },
    );
    expect(classifyError(err(403, { 'x-ratelimit-remaining': '12' }), 'GET', NOW).retryable).toBe(false);
    expect(classifyError(err(502), 'PATCH', NOW).retryable).toBe(true);
    expect(classifyError(err(502), 'POST', NOW).retryable).toBe(false);
    for (const s of [400, 401, 404, 422]) expect(classifyError(err(s), 'GET', NOW).retryable).toBe(false);
    expect(classifyError(new Error('no status'), 'GET', NOW).retryable).toBe(false);
    expect(classifyError(undefined, 'GET', NOW).retryable).toBe(false);
  });
});

describe('backoff and withRetry', () => {
  it('doubles per attempt with equal jitter and a cap', () => {
    const p = retryPolicy({ baseDelayMs: 100, maxDelayMs: 350, random: () => 0 });
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(p, a))).toEqual([50, 100, 175, 175]);
    const hi = retryPolicy({ baseDelayMs: 100, maxDelayMs: 10_000, random: () => 0.999999 });
    expect(backoffDelayMs(hi, 3)).toBe(400);
  });

  it('stops at maxAttempts and rethrows the last error unchanged', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const last = err(500);
    const p = retryPolicy({ maxAttempts: 3, sleep: async (ms) => void sleeps.push(ms), random: () => 0 });
    await expect(
      withRetry(
        async () => {
          calls++;
          throw last;
        },
        p,
        'GET',
        'GET /x',
      ),
    ).rejects.toBe(last);
    expect(calls).toBe(3);
    expect(sleeps).toEqual([500, 1000]);
  });

  it('refuses a policy with no attempts', () => {
    expect(() => retryPolicy({ maxAttempts: 0 })).toThrow(RangeError);
  });
});
