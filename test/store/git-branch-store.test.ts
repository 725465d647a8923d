// The git-branch baseline store against real git: a bare repository in a temp dir is the remote.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataError, RunFailure } from '../../src/contracts/errors.ts';
import type { Logger } from '../../src/contracts/ports.ts';
import type { RunResult } from '../../src/contracts/run-result.ts';
import { FileBaselineStore } from '../../src/store/file-store.ts';
import { GitBranchBaselineStore, type GitBranchStoreOptions } from '../../src/store/git-branch-store.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';
import { git, gitEnv } from '../helpers/git.ts';

let tmp: string;
let remote: string;
let seed: string;

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'pg-git-store-'));
  remote = path.join(tmp, 'remote.git');
  git(tmp, 'init', '--quiet', '--bare', remote);
  // Like GitHub: partial fetches allowed, so the store fetches only the blobs it reads.
  git(remote, 'config', 'uploadpack.allowFilter', 'true');
  seed = path.join(tmp, 'seed');
  git(tmp, 'init', '--quiet', seed);
  writeFileSync(path.join(seed, 'README.md'), '# shop\n');
  git(seed, 'add', 'README.md');
  git(seed, 'commit', '--quiet', '-m', 'initial');
  git(seed, 'push', '--quiet', remote, 'main');
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const store = (o: Partial<GitBranchStoreOptions> = {}) =>
  new GitBranchBaselineStore({ remote, env: gitEnv, tmpDir: path.join(tmp, 'work'), ...o });

/** A run finishing at minute `minute`, with the named scenarios (fingerprint fp-<name> unless given). */
function runAt(minute: number, scenarios: Array<string | [string, string]>, sha = 'c0ffee'): RunResult {
  const run = syntheticRun(
    scenarios.map((s) => {
      const [name, fp] = typeof s === 'string' ? [s, `fp-${s}`] : s;
      return syntheticScenario(name, [{ name: 'get', trialsMs: [[1 + minute, 2, 3]] }], fp);
    }),
  );
  run.meta.finishedAt = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
  run.meta.git = { sha: `${sha}${String(minute).padStart(4, '0')}`.padEnd(40, '0'), dirty: false };
  return run;
}

const dataFiles = () => git(remote, 'ls-tree', '-r', '--name-only', 'perf-gate-data').split('\n');

describe('git-branch baseline store (real git, bare remote)', () => {
  it('has nothing before the first save, then round-trips a run split per scenario', async () => {
    const s = store();
    expect(await s.load('main')).toBeUndefined();
    expect(await s.history('main')).toEqual([]);
    const run = runAt(1, ['checkout', 'search']);
    expect(await s.save('main', run)).toBe('perf-gate-data:baselines/main/');
    expect(await s.load('main')).toEqual(run);
    expect(await s.load('feature/x')).toBeUndefined();

    expect(dataFiles().sort()).toEqual([
      'baselines/main/fp-checkout/history/2026-01-01T00-01-00-000Z-c0ffee000100.json',
      'baselines/main/fp-checkout/latest.json',
      'baselines/main/fp-checkout/summaries/2026-01-01T00-01-00-000Z-c0ffee000100.json',
      'baselines/main/fp-search/history/2026-01-01T00-01-00-000Z-c0ffee000100.json',
      'baselines/main/fp-search/latest.json',
      'baselines/main/fp-search/summaries/2026-01-01T00-01-00-000Z-c0ffee000100.json',
    ]);
    // Each file holds only its own scenario.
    const one = JSON.parse(
      git(remote, 'show', 'perf-gate-data:baselines/main/fp-search/latest.json'),
    ) as RunResult;
    expect(one.scenarios.map((x) => x.name)).toEqual(['search']);

    // Branch names with slashes get one safe directory; a second store instance reads the same data.
    await s.save('release/1.x', runAt(2, ['checkout']));
    expect((await store().load('release/1.x'))?.scenarios.map((x) => x.name)).toEqual(['checkout']);
    expect(dataFiles()).toContain('baselines/release%2F1%2Ex/fp-checkout/latest.json');
  });

  it('works with a server that does not support partial fetches', async () => {
    git(remote, 'config', 'uploadpack.allowFilter', 'false');
    const s = store({ historyLimit: 2 });
    for (let m = 1; m <= 3; m++) await s.save('main', runAt(m, ['checkout']));
    expect((await s.load('main'))?.meta.finishedAt).toBe(runAt(3, []).meta.finishedAt);
    expect(await s.history('main')).toHaveLength(2);
  });

  it('matches the file store API: the same calls give the same baseline', async () => {
    const file = new FileBaselineStore(path.join(tmp, 'files'));
    const gitStore = store();
    const run = runAt(3, ['a', 'b']);
    for (const s of [file, gitStore] as Array<Pick<FileBaselineStore, 'save' | 'load' | 'history'>>) {
      await s.save('main', run);
      expect(await s.load('main')).toEqual(run);
      expect(await s.history('main')).not.toHaveLength(0);
    }
  });

  it('keeps a bounded history per scenario and the newest run as latest', async () => {
    const s = store({ historyLimit: 3 });
    for (let m = 1; m <= 5; m++) await s.save('main', runAt(m, ['checkout']));
    const history = await s.history('main');
    expect(history.map((h) => path.basename(h).slice(0, 24))).toEqual([
      '2026-01-01T00-03-00-000Z',
      '2026-01-01T00-04-00-000Z',
      '2026-01-01T00-05-00-000Z',
    ]);
    expect((await s.load('main'))?.meta.finishedAt).toBe('2026-01-01T00:05:00.000Z');
    // Every save is one commit on top of the previous one.
    expect(git(remote, 'rev-list', '--count', 'perf-gate-data')).toBe('5');
    // Saving the very same run again changes nothing and adds no commit.
    await s.save('main', runAt(5, ['checkout']));
    expect(git(remote, 'rev-list', '--count', 'perf-gate-data')).toBe('5');
  });

  it('writes an orphan data branch and leaves main and the caller’s repository alone', async () => {
    const mainBefore = git(remote, 'rev-parse', 'main');
    const seedHead = git(seed, 'rev-parse', 'HEAD');
    const seedIndex = readFileSync(path.join(seed, '.git', 'index'));
    // Even with GIT_DIR / GIT_INDEX_FILE pointing at the caller's repository, git must work privately.
    const hostile = {
      ...gitEnv,
      GIT_DIR: path.join(seed, '.git'),
      GIT_INDEX_FILE: path.join(seed, '.git', 'index'),
    };
    const s = store({ env: hostile });
    await s.save('main', runAt(1, ['checkout']));
    await s.save('main', runAt(2, ['checkout']));

    expect(git(remote, 'rev-parse', 'main')).toBe(mainBefore);
    const roots = git(remote, 'rev-list', '--max-parents=0', 'perf-gate-data').split('\n');
    expect(roots).toHaveLength(1);
    expect(git(remote, 'rev-list', 'perf-gate-data')).not.toContain(mainBefore);
    expect(() => git(remote, 'merge-base', 'main', 'perf-gate-data')).toThrow();
    expect(git(remote, 'log', '-1', '--format=%an <%ae>', 'perf-gate-data')).toBe(
      'Perf Test <perf-test@example.com>',
    );

    expect(git(seed, 'rev-parse', 'HEAD')).toBe(seedHead);
    expect(readFileSync(path.join(seed, '.git', 'index')).equals(seedIndex)).toBe(true);
    expect(git(seed, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main');
    expect(git(seed, 'status', '--porcelain')).toBe('');
  });

  it('reassembles the latest per scenario across jobs and fingerprint changes', async () => {
    const s = store();
    // A matrix: two jobs store different scenarios of the same branch.
    await s.save('main', runAt(1, ['checkout']));
    await s.save('main', runAt(2, ['search']));
    // The checkout scenario changed shape: a new fingerprint, the newer run wins by name.
    await s.save('main', runAt(3, [['checkout', 'fp-checkout-v2']]));
    const base = await s.load('main');
    expect(base?.scenarios.map((x) => [x.name, x.fingerprint])).toEqual([
      ['checkout', 'fp-checkout-v2'],
      ['search', 'fp-search'],
    ]);
    expect(base?.meta.finishedAt).toBe('2026-01-01T00:03:00.000Z');
  });

  it('two writers at the same time, several rounds, different and same branches: no write is lost', async () => {
    const infos: string[] = [];
    const logger: Logger = {
      info: (m) => void infos.push(m),
      warn: (m) => void infos.push(m),
      error: (m) => void infos.push(m),
      progress() {},
      progressDone() {},
    };
    const a = store({ logger, retryBaseDelayMs: 10, maxPushAttempts: 20 });
    const b = store({ logger, retryBaseDelayMs: 10, maxPushAttempts: 20 });
    let saves = 0;
    const rounds = 2;
    for (let r = 0; r < rounds; r++) {
      const m = r * 10;
      await Promise.all([
        a.save('main', runAt(m + 1, ['checkout'], 'aaaaaa')),
        b.save('dev', runAt(m + 2, ['checkout'], 'bbbbbb')),
      ]);
      // Same branch and the same scenario: both runs must land in the history; latest is the later one.
      await Promise.all([
        a.save('main', runAt(m + 4, ['checkout'], 'aaaaaa')),
        b.save('main', runAt(m + 3, ['checkout'], 'bbbbbb')),
      ]);
      // Same branch, different scenarios (a matrix).
      await Promise.all([
        a.save('main', runAt(m + 5, ['search'], 'aaaaaa')),
        b.save('main', runAt(m + 5, ['browse'], 'bbbbbb')),
      ]);
      saves += 6;
    }
    // One commit per save, all in one linear history: nothing was overwritten by a forced push.
    expect(git(remote, 'rev-list', '--count', 'perf-gate-data')).toBe(String(saves));
    const mainHistory = (await a.history('main')).map((h) => h.replace(/^baselines\/main\//, ''));
    expect(mainHistory.filter((h) => h.startsWith('fp-checkout/'))).toHaveLength(rounds * 3);
    expect(mainHistory.filter((h) => h.startsWith('fp-search/'))).toHaveLength(rounds);
    expect(mainHistory.filter((h) => h.startsWith('fp-browse/'))).toHaveLength(rounds);
    expect(await b.history('dev')).toHaveLength(rounds);

    const last = (rounds - 1) * 10;
    const main = await b.load('main');
    expect(main?.scenarios.map((x) => x.name)).toEqual(['browse', 'checkout', 'search']);
    const checkout = JSON.parse(
      git(remote, 'show', 'perf-gate-data:baselines/main/fp-checkout/latest.json'),
    ) as RunResult;
    expect(checkout.meta.finishedAt).toBe(runAt(last + 4, []).meta.finishedAt);
    expect(infos.join('\n')).not.toMatch(/error/i);
  });

  it('a push that loses the race is re-applied on the new tip (forced race)', async () => {
    // A git wrapper that holds the first push until the test opens the gate, so the other writer lands
    // in between: the held push is then certainly rejected as non-fast-forward.
    const gate = path.join(tmp, 'gate');
    const wrapper = path.join(tmp, 'git-gated.sh');
    writeFileSync(
      wrapper,
      [
        '#!/bin/sh',
        'for a in "$@"; do',
        '  if [ "$a" = push ] && [ ! -e "$PG_GATE.passed" ]; then',
        '    touch "$PG_GATE.waiting"',
        '    while [ ! -e "$PG_GATE" ]; do sleep 0.02; done',
        '    touch "$PG_GATE.passed"',
        '  fi',
        'done',
        'exec git "$@"',
        '',
      ].join('\n'),
    );
    chmodSync(wrapper, 0o755);
    const infos: string[] = [];
    const held = store({
      gitBinary: wrapper,
      env: { ...gitEnv, PG_GATE: gate },
      sleep: async () => {},
      logger: { info: (m) => void infos.push(m), warn() {}, error() {}, progress() {}, progressDone() {} },
    });
    const pending = held.save('main', runAt(1, ['checkout'], 'aaaaaa'));
    while (!existsSync(`${gate}.waiting`)) await new Promise((r) => setTimeout(r, 10));
    await store().save('main', runAt(2, ['checkout'], 'bbbbbb'));
    writeFileSync(gate, '');
    await pending;

    expect(infos.join('\n')).toMatch(/another job pushed first; re-applying on the new tip/);
    expect(git(remote, 'rev-list', '--count', 'perf-gate-data')).toBe('2');
    expect(await store().history('main')).toHaveLength(2);
    // The held run finished earlier, so the other one stays latest.
    expect((await store().load('main'))?.meta.git?.sha.startsWith('bbbbbb')).toBe(true);
  });

  it('a corrupt or misplaced file on the branch is a DataError naming it', async () => {
    const s = store();
    await s.save('main', runAt(1, ['checkout', 'search']));
    const clone = path.join(tmp, 'clone');
    git(tmp, 'clone', '--quiet', '--branch', 'perf-gate-data', remote, clone);
    const file = 'baselines/main/fp-search/latest.json';
    writeFileSync(path.join(clone, file), '{"kind": "perf-gate/run", "schemaVer');
    git(clone, 'commit', '--quiet', '-am', 'break it');
    git(clone, 'push', '--quiet', 'origin', 'perf-gate-data');

    const err = await s.load('main').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).file).toBe(`perf-gate-data:${file}`);
    expect((err as Error).message).toMatch(
      /perf-gate-data:baselines\/main\/fp-search\/latest\.json: not valid JSON/,
    );

    // A valid run stored under another scenario's fingerprint is refused as well.
    writeFileSync(path.join(clone, file), JSON.stringify(runAt(1, ['checkout'])));
    git(clone, 'commit', '--quiet', '-am', 'misplace it');
    git(clone, 'push', '--quiet', 'origin', 'perf-gate-data');
    await expect(s.load('main')).rejects.toThrow(
      /fp-search\/latest\.json: scenario "checkout" has fingerprint fp-checkout/,
    );

    // Saving a good run over it repairs the baseline.
    await s.save('main', runAt(2, ['search']));
    expect((await s.load('main'))?.scenarios.map((x) => x.name)).toEqual(['checkout', 'search']);
  });

  it('never shows the token: not in errors from an unreachable https remote', async () => {
    const token = 'ghs_0123456789abcdefFAKEtoken';
    const s = store({ remote: `https://x-access-token:${token}@127.0.0.1:1/acme/shop.git` });
    for (const op of [() => s.load('main'), () => s.save('main', runAt(1, ['checkout']))]) {
      const err = await op().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunFailure);
      const text = `${(err as Error).message}\n${(err as Error).stack ?? ''}\n${JSON.stringify(err)}`;
      expect(text).toMatch(/git ls-remote failed .*127\.0\.0\.1/);
      expect(text).not.toContain(token);
      expect(text).not.toContain(Buffer.from(`x-access-token:${token}`).toString('base64'));
    }
    expect(s.remoteForDisplay).toBe('https://***:***@127.0.0.1:1/acme/shop.git');
  });

  it('sends the token as a header, never on git’s command line, and keeps it out of errors', async () => {
    const token = 'ghs_headerOnlyFAKEtoken42';
    const seen: Array<string | undefined> = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`Repository not found for ${token}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const argvLog = path.join(tmp, 'argv.log');
    const wrapper = path.join(tmp, 'git-logged.sh');
    writeFileSync(wrapper, `#!/bin/sh\necho "$@" >> "${argvLog}"\nexec git "$@"\n`);
    chmodSync(wrapper, 0o755);
    try {
      const s = store({
        remote: `http://x-access-token:${token}@127.0.0.1:${port}/acme/shop.git`,
        gitBinary: wrapper,
      });
      const err = await s.load('main').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunFailure);
      expect((err as Error).message).not.toContain(token);
      expect(seen).toContain(`Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`);
      const argv = readFileSync(argvLog, 'utf8');
      expect(argv).toContain(`http://127.0.0.1:${port}/acme/shop.git`);
      expect(argv).not.toContain(token);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('refuses an empty run and a bad configuration', async () => {
    await expect(store().save('main', syntheticRun([]))).rejects.toThrow(/no scenarios/);
    expect(() => store({ historyLimit: 0 })).toThrow(/history limit/);
    expect(() => store({ dataBranch: '../evil' })).toThrow(/not a safe git branch name/);
  });
});
