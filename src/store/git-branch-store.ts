// Baselines on an orphan data branch of a git remote (the Action's default store), written with the git
// CLI in a private temporary repository: the user's working tree and index are never touched.
//
// Layout on the data branch, one directory per target branch and scenario fingerprint:
//   baselines/<branch>/<fingerprint>/latest.json
//   baselines/<branch>/<fingerprint>/history/<finishedAt>-<sha>.json   (newest `historyLimit` kept)
// Each file is a RunResult holding the scenarios of one run with that fingerprint, so jobs that run
// different scenarios (a matrix) update only their own. Only the tip is fetched (depth 1), so reading and
// writing cost the same however long the branch's history grows.
//
// Concurrent writers: each save builds its commit on the fetched tip and pushes without force; when the
// push is rejected because the tip moved, it fetches the new tip, re-applies its files on it and pushes
// again (bounded, with jitter). Both writes land; for the same scenario, latest.json keeps the run that
// finished last and both runs stay in the history.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeRunResult, encodeRunResult } from './codec/run-result-codec.ts';
import { branchDirName, DEFAULT_HISTORY_LIMIT } from './file-store.ts';
import { DataError, RunFailure, UsageError } from '../engine/errors.ts';
import type { Logger } from '../engine/ports.ts';
import { withoutProfiles, type RunResult, type ScenarioResult } from '../results/run-result.ts';
import { Redactor, redactUrl } from '../util/redact.ts';

export const DEFAULT_DATA_BRANCH = 'perf-gate-data';
export const DEFAULT_PUSH_ATTEMPTS = 8;
/** Used when neither the options nor the environment name a committer (a bare CI runner). */
export const DEFAULT_GIT_IDENTITY = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};

export interface GitBranchStoreOptions {
  /** A git remote: an https URL (credentials in it are sent as a header, never on a command line), an
   *  ssh/scp address or a local path. */
  remote: string;
  dataBranch?: string;
  historyLimit?: number;
  /** A secret to keep out of every message besides credentials found in `remote` (always masked). */
  token?: string;
  redactor?: Redactor;
  logger?: Logger;
  /** Author and committer of the data commits; default: the environment's, else DEFAULT_GIT_IDENTITY. */
  identity?: { name: string; email: string };
  /** Environment git runs in (PATH, HOME, GIT_AUTHOR_*...); default process.env. */
  env?: NodeJS.ProcessEnv;
  maxPushAttempts?: number;
  /** First retry delay after a rejected push; doubled per attempt, with jitter. */
  retryBaseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Where the private repository is made; default the OS temp dir. */
  tmpDir?: string;
  gitBinary?: string;
}

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

// Variables that would point git at another repository (the user's) instead of our private one.
const REPO_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_CEILING_DIRECTORIES',
];

// Hooks and signing from the user's global config must not run on, or block, our private commits; a
// default identity lets commits work on a runner with none (the environment's GIT_AUTHOR_* still win).
const GIT_CONFIG_ARGS = Object.entries({
  'core.hooksPath': '/dev/null',
  'commit.gpgSign': 'false',
  'gc.auto': '0',
  'maintenance.auto': 'false',
  'user.name': DEFAULT_GIT_IDENTITY.name,
  'user.email': DEFAULT_GIT_IDENTITY.email,
}).flatMap(([key, value]) => ['-c', `${key}=${value}`]);

// A push lost a race with another writer: fetch the new tip and re-apply.
const RACE =
  /\((non-fast-forward|fetch first)\)|cannot lock ref|failed to update ref|incorrect old value|failed to lock/i;

export class GitBranchBaselineStore {
  readonly dataBranch: string;
  readonly historyLimit: number;
  private readonly url: string;
  private readonly redactor: Redactor;
  private readonly env: NodeJS.ProcessEnv;
  private readonly maxPushAttempts: number;
  private readonly retryBaseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly git: string;

  constructor(private readonly options: GitBranchStoreOptions) {
    this.dataBranch = options.dataBranch ?? DEFAULT_DATA_BRANCH;
    this.historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    if (!Number.isInteger(this.historyLimit) || this.historyLimit < 1) {
      throw new UsageError(`baseline history limit must be a whole number >= 1, got ${this.historyLimit}`);
    }
    if (
      !/^[A-Za-z0-9._/-]+$/.test(this.dataBranch) ||
      /(^[/.-])|\.\.|\/\/|\.lock$|\/$/.test(this.dataBranch)
    ) {
      throw new UsageError(
        `data branch name ${JSON.stringify(this.dataBranch)} is not a safe git branch name`,
      );
    }
    this.redactor = options.redactor ?? new Redactor();
    if (options.token) this.redactor.add(options.token, true);
    const { url, authHeader } = splitCredentials(normalizeRemote(options.remote), this.redactor);
    this.url = url;
    this.maxPushAttempts = options.maxPushAttempts ?? DEFAULT_PUSH_ATTEMPTS;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 200;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
    this.git = options.gitBinary ?? 'git';
    this.env = gitEnv(options.env ?? process.env, authHeader, options.identity);
  }

  /** The remote as it may be shown: credentials and known secrets masked. */
  get remoteForDisplay(): string {
    return redactUrl(this.options.remote, this.redactor);
  }

  private branchPrefix(branch: string): string {
    return `baselines/${branchDirName(branch)}/`;
  }

  /**
   * Stores a run as the branch's baseline, one directory per scenario fingerprint. Returns where it went
   * (`<data branch>:baselines/<branch>/`).
   */
  async save(branch: string, run: RunResult): Promise<string> {
    if (run.scenarios.length === 0)
      throw new UsageError('the run has no scenarios: there is no baseline to store');
    const prefix = this.branchPrefix(branch);
    const groups = new Map<string, ScenarioResult[]>();
    for (const s of run.scenarios) groups.set(s.fingerprint, [...(groups.get(s.fingerprint) ?? []), s]);
    const stamp = run.meta.finishedAt.replace(/[:.]/g, '-');
    const sha = run.meta.git?.sha.slice(0, 12) ?? 'nosha';
    const files = [...groups].map(([fingerprint, scenarios]) => ({
      dir: `${prefix}${branchDirName(fingerprint)}/`,
      text: encodeRunResult({ ...run, scenarios }),
      // Profiles are large and only the latest baseline's are needed: the history keeps the numbers.
      historyText: encodeRunResult(withoutProfiles({ ...run, scenarios })),
    }));
    const finished = Date.parse(run.meta.finishedAt);

    return this.withRepo(async (repo) => {
      for (let attempt = 1; ; attempt++) {
        const tip = await this.fetchTip(repo);
        await this.run(repo, tip ? ['read-tree', tip] : ['read-tree', '--empty']);
        const entries: string[] = [];
        for (const f of files) {
          const blob = (await this.run(repo, ['hash-object', '-w', '--stdin'], f.text)).stdout.trim();
          const historyBlob =
            f.historyText === f.text
              ? blob
              : (await this.run(repo, ['hash-object', '-w', '--stdin'], f.historyText)).stdout.trim();
          entries.push(`100644 ${historyBlob}\t${f.dir}history/${stamp}-${sha}.json`);
          if (!tip || !(await this.hasNewerLatest(repo, tip, `${f.dir}latest.json`, finished))) {
            entries.push(`100644 ${blob}\t${f.dir}latest.json`);
          }
        }
        await this.run(repo, ['update-index', '--index-info'], entries.join('\n') + '\n');
        await this.pruneHistory(
          repo,
          files.map((f) => `${f.dir}history/`),
        );
        const tree = (await this.run(repo, ['write-tree'])).stdout.trim();
        if (tip && tree === (await this.run(repo, ['rev-parse', `${tip}^{tree}`])).stdout.trim()) {
          return `${this.dataBranch}:${prefix}`; // this very run is stored already
        }
        const message =
          `perf-gate: baseline for ${branch} (${run.scenarios.length} scenario(s), ` +
          `${run.meta.git?.sha.slice(0, 12) ?? 'no sha'})`;
        // No parent on the first commit: the data branch is an orphan, sharing no history with the code.
        const commit = (
          await this.run(repo, ['commit-tree', tree, ...(tip ? ['-p', tip] : []), '-m', message])
        ).stdout.trim();
        const push = await this.run(
          repo,
          ['push', '--porcelain', '--no-verify', 'origin', `${commit}:refs/heads/${this.dataBranch}`],
          undefined,
          true,
        );
        if (push.code === 0) return `${this.dataBranch}:${prefix}`;
        const output = `${push.stdout}\n${push.stderr}`;
        if (!RACE.test(output)) throw this.failure('push', push);
        if (attempt >= this.maxPushAttempts) {
          throw new RunFailure(
            `could not store the baseline on ${this.dataBranch} of ${this.remoteForDisplay}: the branch kept ` +
              `moving under ${attempt} attempts (other jobs pushing at the same time); run the job again`,
          );
        }
        const full = this.retryBaseDelayMs * 2 ** (attempt - 1);
        const wait = Math.round(full / 2 + (this.random() * full) / 2);
        this.options.logger?.info(
          this.redactor.redact(
            `${this.dataBranch}: another job pushed first; re-applying on the new tip in ${wait} ms ` +
              `(attempt ${attempt + 1} of ${this.maxPushAttempts})`,
          ),
        );
        await this.sleep(wait);
      }
    });
  }

  /** The branch's baseline: the latest run per scenario, reassembled; undefined when nothing is stored. */
  async load(branch: string): Promise<RunResult | undefined> {
    return this.withRepo(async (repo) => {
      const tip = await this.fetchTip(repo);
      if (!tip) return undefined;
      const prefix = this.branchPrefix(branch);
      const latest = (await this.listFiles(repo, tip, prefix)).filter((p) =>
        /^[^/]+\/latest\.json$/.test(p.slice(prefix.length)),
      );
      if (latest.length === 0) return undefined;
      const runs: RunResult[] = [];
      for (const file of latest) {
        const source = `${this.dataBranch}:${file}`;
        const text = (await this.run(repo, ['cat-file', 'blob', `${tip}:${file}`])).stdout;
        const run = decodeRunResult(text, source);
        const dirFingerprint = file.slice(prefix.length).split('/')[0];
        for (const s of run.scenarios) {
          if (branchDirName(s.fingerprint) !== dirFingerprint) {
            throw new DataError(
              `${source}: scenario "${s.name}" has fingerprint ${s.fingerprint}, but the file is stored ` +
                `under ${dirFingerprint}; the baseline is corrupt`,
              source,
            );
          }
        }
        runs.push(run);
      }
      return reassemble(runs);
    });
  }

  /** History files of the branch (all scenarios), as paths on the data branch, oldest first per scenario. */
  async history(branch: string): Promise<string[]> {
    return this.withRepo(async (repo) => {
      const tip = await this.fetchTip(repo);
      if (!tip) return [];
      const prefix = this.branchPrefix(branch);
      return (await this.listFiles(repo, tip, prefix))
        .filter((p) => /^[^/]+\/history\/[^/]+\.json$/.test(p.slice(prefix.length)))
        .sort();
    });
  }

  /** The newest `limit` stored runs per scenario of the branch (the baseline among them): stored-mode drift. */
  async recentRuns(branch: string, limit: number): Promise<RunResult[]> {
    return this.withRepo(async (repo) => {
      const tip = await this.fetchTip(repo);
      if (!tip) return [];
      const prefix = this.branchPrefix(branch);
      const byDir = new Map<string, string[]>();
      for (const p of await this.listFiles(repo, tip, prefix)) {
        if (!/^[^/]+\/history\/[^/]+\.json$/.test(p.slice(prefix.length))) continue;
        const dir = p.slice(0, p.lastIndexOf('/'));
        byDir.set(dir, [...(byDir.get(dir) ?? []), p]);
      }
      const runs: RunResult[] = [];
      for (const files of byDir.values()) {
        for (const file of files.sort().slice(-limit)) {
          const text = (await this.run(repo, ['cat-file', 'blob', `${tip}:${file}`])).stdout;
          runs.push(decodeRunResult(text, `${this.dataBranch}:${file}`));
        }
      }
      return runs;
    });
  }

  private async hasNewerLatest(repo: string, tip: string, file: string, finished: number): Promise<boolean> {
    // Existence from the tree alone; the blob is then fetched (partial clone) and must be readable.
    const exists = await this.run(
      repo,
      ['rev-parse', '--verify', '--quiet', `${tip}:${file}`],
      undefined,
      true,
    );
    if (exists.code !== 0) return false;
    const text = (await this.run(repo, ['cat-file', 'blob', `${tip}:${file}`])).stdout;
    try {
      return Date.parse((JSON.parse(text) as RunResult).meta.finishedAt) > finished;
    } catch {
      // An unreadable latest.json is replaced by this good run (load would refuse it, naming the file).
      this.options.logger?.warn(`${this.dataBranch}:${file} was unreadable; replacing it with this run`);
      return false;
    }
  }

  private async pruneHistory(repo: string, dirs: string[]): Promise<void> {
    const remove: string[] = [];
    for (const dir of dirs) {
      const names = (await this.run(repo, ['ls-files', '-z', '--', dir])).stdout
        .split('\0')
        .filter((p) => p.endsWith('.json'))
        .sort();
      remove.push(...names.slice(0, Math.max(0, names.length - this.historyLimit)));
    }
    if (remove.length === 0) return;
    const zero = '0'.repeat(40);
    await this.run(repo, ['update-index', '--index-info'], remove.map((p) => `0 ${zero}\t${p}\n`).join(''));
  }

  private async listFiles(repo: string, tip: string, prefix: string): Promise<string[]> {
    const out = await this.run(repo, ['ls-tree', '-r', '-z', '--name-only', tip, '--', prefix]);
    return out.stdout.split('\0').filter((p) => p.startsWith(prefix));
  }

  /**
   * Fetches only the data branch's tip commit and trees (depth 1, no blobs: the files read are fetched on
   * demand), so the cost does not grow with the branch's history or with the other branches' files.
   * Undefined when the branch does not exist yet.
   */
  private async fetchTip(repo: string): Promise<string | undefined> {
    const ref = `refs/heads/${this.dataBranch}`;
    const heads = await this.run(repo, ['ls-remote', '--heads', 'origin', ref]);
    if (!heads.stdout.split('\n').some((l) => l.endsWith(`\t${ref}`))) return undefined;
    // A server that does not support filters ignores --filter with a warning and sends everything.
    await this.run(repo, [
      'fetch',
      '--quiet',
      '--no-tags',
      '--depth=1',
      '--filter=blob:none',
      'origin',
      `+${ref}:refs/perf-gate/tip`,
    ]);
    return (await this.run(repo, ['rev-parse', 'refs/perf-gate/tip^{commit}'])).stdout.trim();
  }

  private async withRepo<T>(fn: (repo: string) => Promise<T>): Promise<T> {
    const base = this.options.tmpDir ?? os.tmpdir();
    await mkdir(base, { recursive: true });
    const dir = await mkdtemp(path.join(base, 'perf-gate-data-'));
    try {
      const repo = path.join(dir, 'repo');
      await this.run(repo, ['init', '--quiet', repo]);
      // A named remote (URL only, no fetch refspec) so blobs left out by the partial fetch can be fetched
      // lazily. The URL carries no credentials: those travel in the environment.
      await this.run(repo, ['config', 'remote.origin.url', this.url]);
      return await fn(repo);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private failure(what: string, r: GitResult): RunFailure {
    const detail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join('\n');
    return new RunFailure(
      this.redactor.redact(
        `git ${what} failed for ${this.dataBranch} of ${this.remoteForDisplay} (exit ${r.code}): ${detail}`,
      ),
    );
  }

  /**
   * Runs git against the private repository `repo` (pinned through GIT_DIR, so it can never reach the
   * caller's); a non-zero exit is a RunFailure with a redacted message unless `allowFail`.
   */
  private run(repo: string, args: string[], input?: string, allowFail = false): Promise<GitResult> {
    const init = args[0] === 'init';
    const env = init ? this.env : { ...this.env, GIT_DIR: path.join(repo, '.git'), GIT_WORK_TREE: repo };
    return new Promise((resolve, reject) => {
      const child = execFile(
        this.git,
        [...GIT_CONFIG_ARGS, ...args],
        { cwd: init ? path.dirname(repo) : repo, env, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (error && typeof error.code === 'string') {
            reject(
              new RunFailure(
                error.code === 'ENOENT'
                  ? `git was not found (${this.git}); the git-branch baseline store needs the git CLI`
                  : this.redactor.redact(`git could not be started: ${error.code}`),
              ),
            );
            return;
          }
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          const result = { code, stdout, stderr };
          if (code !== 0 && !allowFail) reject(this.failure(args[0] ?? 'command', result));
          else resolve(result);
        },
      );
      child.stdin?.on('error', () => {}); // git may exit before reading all input; its exit code tells
      child.stdin?.end(input ?? '');
    });
  }
}

/** Local paths are made absolute: git runs inside the private repository, not in the caller's cwd. */
export function normalizeRemote(remote: string): string {
  if (remote.includes('://')) return remote;
  // scp-like "host:path" or "user@host:path": a colon before any slash.
  if (/^[^/]*:/.test(remote)) return remote;
  return path.resolve(remote);
}

/** Strips credentials from an https URL into an Authorization header, registering every form as secret. */
export function splitCredentials(remote: string, redactor: Redactor): { url: string; authHeader?: string } {
  if (!/^https?:\/\//i.test(remote)) return { url: remote };
  let u: URL;
  try {
    u = new URL(remote);
  } catch {
    return { url: remote };
  }
  if (!u.username && !u.password) return { url: remote };
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  // The secret is the password (x-access-token:<token>), or the user part when it stands alone (<token>@).
  if (pass) {
    redactor.add(pass, true);
    redactor.add(u.password, true);
  } else {
    redactor.add(user, true);
    redactor.add(u.username, true);
  }
  const basic = Buffer.from(`${user}:${pass}`).toString('base64');
  redactor.add(basic, true);
  u.username = '';
  u.password = '';
  return { url: u.toString(), authHeader: `Authorization: Basic ${basic}` };
}

function gitEnv(
  base: NodeJS.ProcessEnv,
  authHeader: string | undefined,
  identity: { name: string; email: string } | undefined,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  for (const k of REPO_ENV) delete env[k];
  if (identity) {
    env.GIT_AUTHOR_NAME = identity.name;
    env.GIT_AUTHOR_EMAIL = identity.email;
    env.GIT_COMMITTER_NAME = identity.name;
    env.GIT_COMMITTER_EMAIL = identity.email;
  }
  if (authHeader) {
    // Config through the environment, not `-c`: the header holds the token and argv is visible to others.
    const n = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
    env[`GIT_CONFIG_KEY_${n}`] = 'http.extraHeader';
    env[`GIT_CONFIG_VALUE_${n}`] = authHeader;
    env.GIT_CONFIG_COUNT = String(n + 1);
  }
  return env;
}

/** One RunResult from per-fingerprint files: per scenario name the run that finished last wins. */
function reassemble(runs: RunResult[]): RunResult {
  const byName = new Map<string, { scenario: ScenarioResult; finished: number }>();
  let newest = runs[0]!;
  for (const run of runs) {
    const finished = Date.parse(run.meta.finishedAt);
    if (finished > Date.parse(newest.meta.finishedAt)) newest = run;
    for (const scenario of run.scenarios) {
      const seen = byName.get(scenario.name);
      if (!seen || finished > seen.finished) byName.set(scenario.name, { scenario, finished });
    }
  }
  const scenarios = [...byName.values()]
    .map((v) => v.scenario)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ...newest, scenarios };
}
