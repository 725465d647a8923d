// Retry policy for GitHub API calls. Rate limits (429, 403 with retry-after or an exhausted quota) and
// server errors are retried with exponential backoff, honouring retry-after and x-ratelimit-reset, within
// a bounded number of attempts and a bounded total wait. Anything else (a permanent 403, 404, 422) fails
// at once. Sleep, clock and randomness are injectable so tests can measure the waits.

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  /** First backoff delay; doubled for each further attempt. */
  baseDelayMs: number;
  /** Cap on one computed backoff delay (a server-requested wait is not capped, only budgeted). */
  maxDelayMs: number;
  /** Budget for all waits of one request; a wait that would exceed it is not taken and the error stands. */
  maxTotalWaitMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Epoch milliseconds, for x-ratelimit-reset and HTTP-date retry-after values. */
  now: () => number;
  /** In [0, 1): jitter for computed backoff delays. */
  random: () => number;
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** The attempt that failed (1-based). */
  attempt: number;
  waitMs: number;
  status: number;
  reason: string;
  request: string;
}

export const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxTotalWaitMs: 120_000,
  sleep: defaultSleep,
  now: () => Date.now(),
  random: Math.random,
};

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const p = { ...DEFAULT_RETRY_POLICY, ...overrides };
  if (!Number.isInteger(p.maxAttempts) || p.maxAttempts < 1) {
    throw new RangeError(`retry maxAttempts must be an integer >= 1, got ${p.maxAttempts}`);
  }
  return p;
}

/** GitHub's documented fallback when a secondary rate limit names no wait: at least one minute. */
export const SECONDARY_RATE_LIMIT_FALLBACK_MS = 60_000;

export type ErrorClass =
  | { retryable: false; reason: string }
  | { retryable: true; reason: string; /** wait the server asked for, if it said */ serverWaitMs?: number };

type Headers = Record<string, string | number | undefined>;

interface HttpLikeError {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Headers };
}

function header(headers: Headers | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return v === undefined ? undefined : String(v);
}

/** retry-after as seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

// A POST that failed with a 5xx or a dropped connection may still have been applied (a comment created):
// repeating it blindly can duplicate, so only requests that are safe to repeat are retried on 5xx.
const REPEATABLE = new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function classifyError(error: unknown, method: string, nowMs: number): ErrorClass {
  const e = (error ?? {}) as HttpLikeError;
  const status = typeof e.status === 'number' ? e.status : 0;
  const headers = e.response?.headers;
  const message = typeof e.message === 'string' ? e.message : '';
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), nowMs);
  const remaining = header(headers, 'x-ratelimit-remaining');
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  const resetWait =
    remaining === '0' && Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - nowMs) : undefined;

  if (status === 429) {
    return { retryable: true, reason: 'rate limited (429)', serverWaitMs: retryAfter ?? resetWait };
  }
  if (status === 403) {
    if (retryAfter !== undefined) {
      return { retryable: true, reason: 'secondary rate limit (403, retry-after)', serverWaitMs: retryAfter };
    }
    if (remaining === '0') {
      return { retryable: true, reason: 'rate limit exhausted (403)', serverWaitMs: resetWait };
    }
    if (/secondary rate limit/i.test(message)) {
      return {
        retryable: true,
        reason: 'secondary rate limit (403)',
        serverWaitMs: SECONDARY_RATE_LIMIT_FALLBACK_MS,
      };
    }
    return { retryable: false, reason: 'forbidden (403)' };
  }
  // Octokit reports a request that got no response (refused, reset) as status 500 without a response.
  // An error without a status is not an HTTP failure (a bug, an abort): repeating it would not help.
  if (status >= 500) {
    if (!REPEATABLE.has(method.toUpperCase())) {
      return { retryable: false, reason: `server error (${status}) on ${method}, not safe to repeat` };
    }
    return { retryable: true, reason: `server error (${status})`, serverWaitMs: retryAfter };
  }
  return { retryable: false, reason: `status ${status}` };
}

/** Exponential backoff with equal jitter: between half and all of base * 2^(attempt-1), capped. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number): number {
  const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + (policy.random() * full) / 2);
}

/**
 * Runs `fn`, retrying per the policy. `method` decides whether a 5xx may be repeated; `request` names the
 * call in retry notices. The last error is rethrown unchanged, so callers can still read its status.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  method: string,
  request: string,
): Promise<T> {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= policy.maxAttempts) throw err;
      const c = classifyError(err, method, policy.now());
      if (!c.retryable) throw err;
      const waitMs = c.serverWaitMs ?? backoffDelayMs(policy, attempt);
      if (waited + waitMs > policy.maxTotalWaitMs) throw err;
      const status =
        typeof (err as HttpLikeError).status === 'number' ? ((err as HttpLikeError).status as number) : 0;
      policy.onRetry?.({ attempt, waitMs, status, reason: c.reason, request });
      await policy.sleep(waitMs);
      waited += waitMs;
    }
  }
}
