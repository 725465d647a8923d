import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../src/github/client.ts';
import { getPullRequest } from '../../src/github/pulls.ts';
import type { RetryPolicy } from '../../src/github/retry.ts';
import type { Logger } from '../../src/contracts/ports.ts';
import { FakeGitHub } from '../helpers/fake-github.ts';

const TOKEN = 'ghs_retryTestToken456';
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const pull = { owner: 'acme', repo: 'shop', pullNumber: 3 };
let fake: FakeGitHub;
let sleeps: number[];
let warnings: string[];

const logger: Logger = {
  info() {},
  warn: (m) => void warnings.push(m),
  error: (m) => void warnings.push(m),
  progress() {},
  progressDone() {},
};

function client(retry: Partial<RetryPolicy> = {}): GitHubClient {
  return createGitHubClient({
    token: TOKEN,
    baseUrl: `${fake.url}/`,
    logger,
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, now: () => NOW, ...retry },
  });
}

beforeEach(async () => {
  fake = await FakeGitHub.start();
  fake.addPull('acme', 'shop', { number: 3, labels: ['perf-approved'], files: [] });
  sleeps = [];
  warnings = [];
});
afterEach(async () => {
  await fake.close();
});

const hits = () => fake.requestsMatching('GET', '/repos/acme/shop/pulls/3').length;

describe('GitHub API retry policy (real Octokit, loopback server)', () => {
  it('429 with retry-after: 1 waits exactly one second, then succeeds', async () => {
    fake.fail({ mode: { kind: 'rate-limit-429', retryAfterSeconds: 1 } });
    const pr = await getPullRequest(client(), pull);
    expect(pr.labels).toEqual(['perf-approved']);
    expect(sleeps).toEqual([1000]);
    expect(hits()).toBe(2);
    expect(warnings.join('\n')).toMatch(/rate limited \(429\); retrying in 1s \(attempt 2 of 4\)/);
    expect(warnings.join('\n')).not.toContain(TOKEN);
  });

  it('429 with retry-after: 1 and the default sleep really waits', async () => {
    fake.fail({ mode: { kind: 'rate-limit-429', retryAfterSeconds: 1 } });
    const started = performance.now();
    await getPullRequest(createGitHubClient({ token: TOKEN, baseUrl: fake.url }), pull);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(hits()).toBe(2);
  });

  it('500 twice then success: two exponential backoffs', async () => {
    fake.fail({ times: 2, mode: { kind: 'server-error' } });
    const pr = await getPullRequest(client(), pull);
    expect(pr.number).toBe(3);
    // base 1000 ms, doubled per attempt, equal jitter at random() = 0.5: 750, 1500.
    expect(sleeps).toEqual([750, 1500]);
    expect(hits()).toBe(3);
  });

  it('a server that keeps failing is given up on after 4 attempts with the original error', async () => {
    fake.fail({ times: Infinity, mode: { kind: 'server-error', status: 503 } });
    await expect(getPullRequest(client(), pull)).rejects.toMatchObject({ status: 503 });
    expect(hits()).toBe(4);
    expect(sleeps).toHaveLength(3);
  });

  it('secondary rate limit (403 with retry-after) is retried after the asked wait', async () => {
    fake.fail({ mode: { kind: 'secondary-rate-limit', retryAfterSeconds: 2 } });
    await getPullRequest(client(), pull);
    expect(sleeps).toEqual([2000]);
  });

  it('exhausted quota (403, x-ratelimit-remaining: 0) waits until x-ratelimit-reset', async () => {
    fake.fail({ mode: { kind: 'primary-rate-limit', resetEpochSeconds: NOW / 1000 + 7 } });
    await getPullRequest(client(), pull);
    expect(sleeps).toEqual([7000]);
  });

  it('a reset beyond the wait budget is not waited for: the 403 stands', async () => {
    fake.fail({ mode: { kind: 'primary-rate-limit', resetEpochSeconds: NOW / 1000 + 3600 } });
    await expect(getPullRequest(client({ maxTotalWaitMs: 60_000 }), pull)).rejects.toMatchObject({
      status: 403,
    });
    expect(sleeps).toEqual([]);
    expect(hits()).toBe(1);
  });

  it('the total wait is bounded across attempts', async () => {
    fake.fail({ times: Infinity, mode: { kind: 'rate-limit-429', retryAfterSeconds: 2 } });
    await expect(getPullRequest(client({ maxTotalWaitMs: 5000 }), pull)).rejects.toMatchObject({
      status: 429,
    });
    expect(sleeps).toEqual([2000, 2000]);
    expect(hits()).toBe(3);
  });

  it('a permanent 403 and a 404 are not retried', async () => {
    fake.fail({ mode: { kind: 'forbidden' } });
    await expect(getPullRequest(client(), pull)).rejects.toMatchObject({ status: 403 });
    await expect(getPullRequest(client(), { ...pull, pullNumber: 99 })).rejects.toMatchObject({
      status: 404,
    });
    expect(sleeps).toEqual([]);
    expect(fake.requests).toHaveLength(2);
  });

  it('a refused connection is retried for reads, then reported', async () => {
    const url = fake.url;
    await fake.close();
    const c = createGitHubClient({
      token: TOKEN,
      baseUrl: url,
      retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0 },
    });
    await expect(getPullRequest(c, pull)).rejects.toMatchObject({ status: 500 });
    expect(sleeps).toEqual([500, 1000, 2000]);
    fake = await FakeGitHub.start();
  });
});
