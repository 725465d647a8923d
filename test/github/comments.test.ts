import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../src/github/client.ts';
import { stickyMarker, upsertStickyComment } from '../../src/github/comments.ts';
import { FakeGitHub } from '../helpers/fake-github.ts';

const TOKEN = 'ghs_fakeTokenForTests123';
let fake: FakeGitHub;
let sleeps: number[];
let client: GitHubClient;

beforeEach(async () => {
  fake = await FakeGitHub.start();
  sleeps = [];
  client = createGitHubClient({
    token: TOKEN,
    baseUrl: fake.url,
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  });
});
afterEach(async () => {
  await fake.close();
});

const BOT = { login: 'github-actions[bot]', type: 'Bot' as const };
// GITHUB_TOKEN writes as github-actions[bot]: only its comments are perf-gate's.
const target = { owner: 'acme', repo: 'shop', issueNumber: 7, marker: 'gate', author: BOT.login };

describe('upsertStickyComment against a loopback GitHub', () => {
  it('creates the comment once, then updates the same comment in place', async () => {
    fake.addComments('acme', 'shop', 7, ['looks good', 'needs a benchmark']);
    const first = await upsertStickyComment(client, { ...target, body: 'p95 +3%' });
    expect(first.action).toBe('created');
    const second = await upsertStickyComment(client, { ...target, body: 'p95 +1%' });
    expect(second).toMatchObject({ action: 'updated', duplicates: [] });
    if (first.action === 'forbidden' || second.action === 'forbidden') throw new Error('unexpected');
    expect(second.id).toBe(first.id);
    expect(second.url).toBe(first.url);

    const ours = fake.issueComments('acme', 'shop', 7).filter((c) => c.body.includes(stickyMarker('gate')));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toBe(`${stickyMarker('gate')}\np95 +1%`);
    expect(fake.requestsMatching('POST', '/repos/acme/shop/issues/7/comments')).toHaveLength(1);
    expect(fake.requestsMatching('PATCH', `/repos/acme/shop/issues/comments/${first.id}`)).toHaveLength(1);
    // Octokit sends the token it was given, to the base URL it was given.
    expect(fake.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('finds the marker on page 3 of 250 comments and updates it instead of creating', async () => {
    const bodies = Array.from({ length: 250 }, (_, i) => `comment ${i}`);
    bodies[230] = `${stickyMarker('gate')}\nold report`;
    const seeded = fake.addComments('acme', 'shop', 7, bodies, BOT);
    const result = await upsertStickyComment(client, { ...target, body: 'new report' });
    expect(result).toMatchObject({ action: 'updated', id: seeded[230]!.id });
    const pages = fake.requestsMatching('GET', '/repos/acme/shop/issues/7/comments').map((r) => r.query.page);
    expect(pages).toEqual([undefined, '2', '3']);
    expect(fake.requestsMatching('GET', '/repos/acme/shop/issues/7/comments')[0]!.query.per_page).toBe('100');
    expect(fake.requestsMatching('POST', /comments$/)).toHaveLength(0);
    expect(fake.issueComments('acme', 'shop', 7)[230]!.body).toContain('new report');
  });

  it('a different marker is a different sticky comment', async () => {
    await upsertStickyComment(client, { ...target, body: 'api' });
    const other = await upsertStickyComment(client, { ...target, marker: 'gate-web', body: 'web' });
    expect(other.action).toBe('created');
    expect(fake.issueComments('acme', 'shop', 7)).toHaveLength(2);
  });

  it('with legacy duplicates, updates the newest and reports the others without deleting', async () => {
    const m = stickyMarker('gate');
    const [oldest, , middle, , newest] = fake.addComments(
      'acme',
      'shop',
      7,
      [`${m}\nv1`, 'chat', `${m}\nv2`, 'chat', `${m}\nv3`],
      BOT,
    );
    const result = await upsertStickyComment(client, { ...target, body: 'v4' });
    expect(result).toMatchObject({
      action: 'updated',
      id: newest!.id,
      duplicates: [{ id: middle!.id }, { id: oldest!.id }],
    });
    expect(fake.issueComments('acme', 'shop', 7)).toHaveLength(5);
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
  });

  it("a marker planted in another user's comment is ignored and reported, never edited", async () => {
    const [planted] = fake.addComments('acme', 'shop', 7, [`${stickyMarker('gate')}\nplanted by a human`], {
      login: 'mallory',
      type: 'User',
    });
    const result = await upsertStickyComment(client, { ...target, body: 'x' });
    expect(result).toMatchObject({ action: 'created', ignored: [{ id: planted!.id, author: 'mallory' }] });
    expect(fake.issueComments('acme', 'shop', 7)[0]!.body).toBe(planted!.body);
    expect(fake.issueComments('acme', 'shop', 7)[1]!.user.login).toBe(BOT.login);
    expect(fake.requestsMatching('PATCH', /comments\/\d+$/)).toHaveLength(0);
  });

  it('with a user token, the sticky comment is the one that user wrote (logins compare case-insensitively)', async () => {
    fake.addUserToken('ghp_perfBotUser', 'Perf-Bot');
    const user = createGitHubClient({
      token: 'ghp_perfBotUser',
      baseUrl: fake.url,
      retry: { sleep: async () => {} },
    });
    const first = await upsertStickyComment(user, { ...target, author: 'perf-bot', body: 'one' });
    const second = await upsertStickyComment(user, { ...target, author: 'perf-bot', body: 'two' });
    expect(first.action).toBe('created');
    expect(second.action).toBe('updated');
    expect(fake.issueComments('acme', 'shop', 7)).toHaveLength(1);
  });

  it('403 (fork PR, read-only token) is a forbidden result, not a throw, and is not retried', async () => {
    fake.fail({ method: 'POST', path: '/comments', mode: { kind: 'forbidden' } });
    const result = await upsertStickyComment(client, { ...target, body: 'report' });
    expect(result).toEqual({
      action: 'forbidden',
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration'),
    });
    expect(fake.requestsMatching('POST', /comments$/)).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('403 when updating (comment owned by someone else) is forbidden too', async () => {
    const [c] = fake.addComments('acme', 'shop', 7, [`${stickyMarker('gate')}\nold`], BOT);
    fake.fail({ method: 'PATCH', mode: { kind: 'forbidden' } });
    const result = await upsertStickyComment(client, { ...target, body: 'report' });
    expect(result.action).toBe('forbidden');
    expect(fake.issueComments('acme', 'shop', 7)[0]!.body).toBe(c!.body);
  });

  it('a 5xx on create that did not land: creates again after a backoff, once', async () => {
    fake.fail({ method: 'POST', mode: { kind: 'server-error', status: 502 } });
    const result = await upsertStickyComment(client, { ...target, body: 'report' });
    expect(result.action).toBe('created');
    expect(sleeps).toEqual([750]);
    expect(fake.issueComments('acme', 'shop', 7)).toHaveLength(1);
    expect(fake.requestsMatching('POST', /comments$/)).toHaveLength(2);
  });

  it('a 5xx on create that did land: found on the next listing and updated, never duplicated', async () => {
    fake.fail({ method: 'POST', afterApplying: true, mode: { kind: 'server-error', status: 502 } });
    const result = await upsertStickyComment(client, { ...target, body: 'report' });
    expect(result.action).toBe('updated');
    expect(fake.issueComments('acme', 'shop', 7)).toHaveLength(1);
    expect(fake.requestsMatching('POST', /comments$/)).toHaveLength(1);
  });

  it('a create that keeps failing with 5xx gives up after the bounded attempts', async () => {
    fake.fail({ method: 'POST', times: Infinity, mode: { kind: 'server-error' } });
    await expect(upsertStickyComment(client, { ...target, body: 'report' })).rejects.toMatchObject({
      status: 500,
    });
    expect(fake.requestsMatching('POST', /comments$/)).toHaveLength(4);
    expect(fake.issueComments('acme', 'shop', 7)).toHaveLength(0);
  });

  it("rejects a body over GitHub's limit and an unsafe marker before calling the API", async () => {
    await expect(upsertStickyComment(client, { ...target, body: 'x'.repeat(70_000) })).rejects.toThrow(
      /at most 65536/,
    );
    await expect(upsertStickyComment(client, { ...target, marker: 'a -->', body: 'x' })).rejects.toThrow(
      /marker/,
    );
    expect(fake.requests).toHaveLength(0);
  });
});
