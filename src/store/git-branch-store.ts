// Baselines on an orphan data branch of a git remote (the Action's default store), written with the git
// CLI in a private temporary repository: the user's working tree and index are never touched.
//
// Layout on the data branch, one directory per target branch and scenario fingerprint:
//   baselines/<branch>/<fingerprint>/latest.json
//   baselines/<branch>/<fingerprint>/history/<finishedAt>-<sha>.json   (newest `historyLimit` kept)
//   baselines/<branch>/<fingerprint>/summaries/...                     (every run's summary, summary-layout.ts)
//   baselines/<branch>/exclusions.json, audit.log                      (runs marked bad, and who did it)
// Each file is a RunResult holding the scenarios of one run with that fingerprint, so jobs that run
// different scenarios (a matrix) update only their own. Only the tip is fetched (depth 1), so reading and
// writing cost the same however long the branch's history grows.
//
// Concurrent writers: each save builds its commit on the fetched tip and pushes without force; when the
// push is rejected because the tip moved, it fetches the new tip, re-applies its files on it and pushes
// again (bounded, with jitter). Both writes land; for the same scenario, latest.json keeps the run that
// finished last and both runs stay in the history.
//
// Bounded size: every `squashAfter` commits the next commit is a new root holding the same tree, pushed with
// --force-with-lease on the tip it was built from (still race-safe). The older commits become unreachable
// and the host's garbage collection drops them, so the repository does not grow with every merge.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeRunResult, encodeRunResult } from './codec/run-result-codec.ts';
import {
  decodeExclusions,
  decodeHistoryEntry,
  decodeHistoryPack,
  encodeExclusions,
  encodeHistoryEntry,
  encodeHistoryPack,
} from './codec/history-codec.ts';
import { branchDirName, DEFAULT_HISTORY_LIMIT, findRun } from './file-store.ts';
import {
  AUDIT_FILE,
  auditLine,
  DEFAULT_SUMMARY_LIMIT,
  EXCLUSIONS_FILE,
  isLoose,
  isPack,
  looseName,
  packName,
  planCompaction,
  SUMMARY_DIR,
} from './summary-layout.ts';
import { DataError, RunFailure, UsageError } from '../contracts/errors.ts';
import type { Logger } from '../contracts/ports.ts';
import { excludes, isRunExcluded, runId, summarizeRun, type HistoryData } from '../history/entry.ts';
import { type HistoryEntry, type HistoryExclusion } from '../contracts/history-entry.ts';
import { mergeById } from '../history/series.ts';
import { withoutProfiles, type RunResult, type ScenarioResult } from '../contracts/run-result.ts';
import { Redactor, redactUrl } from '../util/redact.ts';

export const DEFAULT_DATA_BRANCH = 'perf-gate-data';
export const DEFAULT_PUSH_ATTEMPTS = 8;
/** Commits on the data branch before the next one starts a new root (older ones become garbage). */
export const DEFAULT_SQUASH_AFTER = 100;
const CHAIN_TRAILER = 'Perf-Gate-Chain';
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
  /** Run summaries kept per branch and fingerprint; default DEFAULT_SUMMARY_LIMIT. */
  summaryLimit?: number;
  /** Loose summary files before they are folded into a pack; default LOOSE_LIMIT. */
  looseLimit?: number;
  /** Commits in a row before the data branch is squashed to one root commit; default DEFAULT_SQUASH_AFTER. */
  squashAfter?: number;
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
  /\((non-fast-forward|fetch first|stale info)\)|cannot lock ref|failed to update ref|incorrect old value|failed to lock/i;

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
   * Stores a run as the branch's baseline, one directory per scenario fingerprint, with its summary in the
   * long history. Returns where it went (`<data branch>:baselines/<branch>/`).
   */
  async save(branch: string, run: RunResult): Promise<string> {
    if (run.scenarios.length === 0)
      throw new UsageError('the run has no scenarios: there is no baseline to store');
    const prefix = this.branchPrefix(branch);
    const groups = new Map<string, ScenarioResult[]>();
    for (const s of run.scenarios) groups.set(s.fingerprint, [...(groups.get(s.fingerprint) ?? []), s]);
    const id = runId(run);
    const files = [...groups].map(([fingerprint, scenarios]) => ({
      dir: `${prefix}${branchDirName(fingerprint)}/`,
      text: encodeRunResult({ ...run, scenarios }),
      // Profiles are large and only the latest baseline's are needed: the history keeps the numbers.
      historyText: encodeRunResult(withoutProfiles({ ...run, scenarios })),
      summaryText: `${encodeHistoryEntry(summarizeRun({ ...run, scenarios }))}\n`,
    }));
    const finished = Date.parse(run.meta.finishedAt);
    const message =
      `perf-gate: baseline for ${branch} (${run.scenarios.length} scenario(s), ` +
      `${run.meta.git?.sha.slice(0, 12) ?? 'no sha'})`;

    await this.commitWithRetry(message, async (repo, tip) => {
      const entries: string[] = [];
      for (const f of files) {
        const blob = await this.writeBlob(repo, f.text);
        const historyBlob = f.historyText === f.text ? blob : await this.writeBlob(repo, f.historyText);
        entries.push(`100644 ${historyBlob}\t${f.dir}history/${id}.json`);
        entries.push(
          `100644 ${await this.writeBlob(repo, f.summaryText)}\t${f.dir}${SUMMARY_DIR}/${looseName(id)}`,
        );
        if (!tip || !(await this.hasNewerLatest(repo, tip, `${f.dir}latest.json`, finished))) {
          entries.push(`100644 ${blob}\t${f.dir}latest.json`);
        }
      }
      await this.run(repo, ['update-index', '--index-info'], entries.join('\n') + '\n');
      await this.pruneHistory(
        repo,
        files.map((f) => `${f.dir}history/`),
      );
      for (const f of files) await this.compactSummaries(repo, `${f.dir}${SUMMARY_DIR}/`);
    });
    return `${this.dataBranch}:${prefix}`;
  }

  /**
   * Excludes a run from the branch's baselines and history (by entry id or commit sha / prefix) and appends an
   * audit line, in one commit. A run that is not in the history is a usage error listing the newest runs.
   */
  async markBad(
    branch: string,
    exclusion: HistoryExclusion,
  ): Promise<{ entry: HistoryEntry; auditFile: string }> {
    const prefix = this.branchPrefix(branch);
    const exclusionsPath = `${prefix}${EXCLUSIONS_FILE}`;
    const auditPath = `${prefix}${AUDIT_FILE}`;
    let entry: HistoryEntry | undefined;
    await this.commitWithRetry(`perf-gate: ${branch}: mark run ${exclusion.run} bad`, async (repo, tip) => {
      if (!tip)
        throw new UsageError(`no run "${exclusion.run}" in the history of ${branch}: nothing is stored yet`);
      entry = findRun((await this.readHistoryAt(repo, tip, branch)).entries, exclusion.run, branch);
      const current = await this.readExclusionsAt(repo, tip, exclusionsPath);
      const updates: string[] = [];
      if (!current.some((x) => excludes(x, entry!))) {
        const blob = await this.writeBlob(repo, encodeExclusions([...current, exclusion]));
        updates.push(`100644 ${blob}\t${exclusionsPath}`);
      }
      const audit = (await this.readText(repo, tip, auditPath)) ?? '';
      const line = auditLine(exclusion.at, entry.id, exclusion.by, exclusion.reason);
      updates.push(`100644 ${await this.writeBlob(repo, audit + line)}\t${auditPath}`);
      await this.run(repo, ['update-index', '--index-info'], updates.join('\n') + '\n');
    });
    return { entry: entry!, auditFile: `${this.dataBranch}:${auditPath}` };
  }

  /**
   * Builds a commit on the fetched tip (`stage` edits the index, which starts as the tip's tree) and pushes it,
   * re-applying on the new tip when another writer got there first. Nothing is pushed when the tree is
   * unchanged. Every `squashAfter` commits the commit is a new root, pushed with a lease on the old tip.
   */
  private async commitWithRetry(
    message: string,
    stage: (repo: string, tip: string | undefined) => Promise<void>,
  ): Promise<void> {
    const squashAfter = this.options.squashAfter ?? DEFAULT_SQUASH_AFTER;
    await this.withRepo(async (repo) => {
      for (let attempt = 1; ; attempt++) {
        const tip = await this.fetchTip(repo);
        await this.run(repo, tip ? ['read-tree', tip] : ['read-tree', '--empty']);
        await stage(repo, tip);
        const tree = (await this.run(repo, ['write-tree'])).stdout.trim();
        if (tip && tree === (await this.run(repo, ['rev-parse', `${tip}^{tree}`])).stdout.trim()) {
          return; // nothing new (this very run is stored already)
        }
        const chain = tip ? (await this.chainLength(repo, tip)) + 1 : 1;
        const squash = !!tip && chain > squashAfter;
        const body = `${message}\n\n${CHAIN_TRAILER}: ${squash ? 1 : chain}`;
        // No parent on the first commit: the data branch is an orphan, sharing no history with the code.
        const parent = tip && !squash ? ['-p', tip] : [];
        const commit = (await this.run(repo, ['commit-tree', tree, ...parent, '-m', body])).stdout.trim();
        const lease = squash ? [`--force-with-lease=refs/heads/${this.dataBranch}:${tip}`] : [];
        const push = await this.run(
          repo,
          [
            'push',
            '--porcelain',
            '--no-verify',
            ...lease,
            'origin',
            `${commit}:refs/heads/${this.dataBranch}`,
          ],
          undefined,
          true,
        );
        if (push.code === 0) {
          if (squash) this.options.logger?.info(`${this.dataBranch}: squashed the data branch to one commit`);
          return;
        }
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

  /** Commits since the data branch's last root, from the tip's trailer (0 for commits made before it). */
  private async chainLength(repo: string, tip: string): Promise<number> {
    const body = (await this.run(repo, ['log', '-1', '--format=%B', tip])).stdout;
    const m = new RegExp(`^${CHAIN_TRAILER}: (\\d+)$`, 'm').exec(body);
    return m ? Number(m[1]) : 0;
  }

  private async writeBlob(repo: string, text: string): Promise<string> {
    return (await this.run(repo, ['hash-object', '-w', '--stdin'], text)).stdout.trim();
  }

  /** Folds loose summaries into a pack and drops the oldest packs, in the index (summary-layout.ts). */
  private async compactSummaries(repo: string, dir: string): Promise<void> {
    const paths = (await this.run(repo, ['ls-files', '-z', '--', dir])).stdout.split('\0').filter(Boolean);
    const names = paths.map((p) => p.slice(dir.length)).filter((n) => !n.includes('/'));
    const plan = planCompaction(
      names,
      this.options.summaryLimit ?? DEFAULT_SUMMARY_LIMIT,
      this.options.looseLimit,
    );
    if (plan.fold.length === 0 && plan.drop.length === 0) return;
    const updates: string[] = [];
    if (plan.fold.length > 0) {
      const texts = await this.readIndexed(
        repo,
        plan.fold.map((n) => `${dir}${n}`),
      );
      const folded: HistoryEntry[] = [];
      plan.fold.forEach((name, i) => {
        const d = decodeHistoryEntry(texts[i]!, `${this.dataBranch}:${dir}${name}`);
        if (d.ok) folded.push(d.value);
        else this.options.logger?.warn(`history: dropped a corrupt entry while compacting: ${d.problem}`);
      });
      if (folded.length > 0) {
        const blob = await this.writeBlob(repo, encodeHistoryPack(folded));
        updates.push(`100644 ${blob}\t${dir}${packName(folded.at(-1)!.id, folded.length)}`);
      }
    }
    const zero = '0'.repeat(40);
    for (const name of [...plan.fold, ...plan.drop]) updates.push(`0 ${zero}\t${dir}${name}`);
    await this.run(repo, ['update-index', '--index-info'], updates.join('\n') + '\n');
  }

  /** Texts of staged files (blobs the partial fetch left out are fetched first, in one request). */
  private async readIndexed(repo: string, paths: string[]): Promise<string[]> {
    const staged = (await this.run(repo, ['ls-files', '-s', '-z', '--', ...paths])).stdout
      .split('\0')
      .filter(Boolean)
      .map((line) => /^\d+ ([0-9a-f]+) \d+\t(.*)$/s.exec(line)!)
      .map((m) => ({ oid: m[1]!, path: m[2]! }));
    const byPath = new Map(staged.map((e) => [e.path, e.oid]));
    const oids = paths.map((p) => byPath.get(p)!);
    await this.prefetch(repo, oids);
    return this.catBlobs(repo, oids);
  }

  /**
   * The branch's baseline: the latest run per scenario, reassembled; undefined when nothing is stored. A
   * scenario whose latest run was marked bad falls back to its newest earlier full run that was not.
   */
  async load(branch: string): Promise<RunResult | undefined> {
    return this.withRepo(async (repo) => {
      const tip = await this.fetchTip(repo);
      if (!tip) return undefined;
      const prefix = this.branchPrefix(branch);
      const listed = await this.listFiles(repo, tip, prefix);
      const latest = listed.filter((p) => /^[^/]+\/latest\.json$/.test(p.slice(prefix.length)));
      if (latest.length === 0) return undefined;
      const exclusions = await this.readExclusionsAt(repo, tip, `${prefix}${EXCLUSIONS_FILE}`);
      const runs: RunResult[] = [];
      for (const file of latest) {
        const source = `${this.dataBranch}:${file}`;
        const text = (await this.run(repo, ['cat-file', 'blob', `${tip}:${file}`])).stdout;
        let run: RunResult | undefined = decodeRunResult(text, source);
        const dirFingerprint = file.slice(prefix.length).split('/')[0]!;
        for (const s of run.scenarios) {
          if (branchDirName(s.fingerprint) !== dirFingerprint) {
            throw new DataError(
              `${source}: scenario "${s.name}" has fingerprint ${s.fingerprint}, but the file is stored ` +
                `under ${dirFingerprint}; the baseline is corrupt`,
              source,
            );
          }
        }
        if (isRunExcluded(run, exclusions)) {
          const bad = runId(run);
          run = await this.newestGoodRun(
            repo,
            tip,
            listed,
            `${prefix}${dirFingerprint}/history/`,
            exclusions,
          );
          this.options.logger?.warn(
            `the latest baseline of ${branch} (${bad}) is marked bad: ` +
              (run ? `using ${runId(run)} instead` : 'no earlier run is left for its scenarios'),
          );
        }
        if (run) runs.push(run);
      }
      return runs.length > 0 ? reassemble(runs) : undefined;
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

  /** The newest `limit` runs of the branch's bounded history, oldest first: stored-mode drift. */
  async recentRuns(branch: string, limit: number): Promise<RunResult[]> {
    return (await this.fullRuns(branch)).slice(0, limit).reverse();
  }

  /**
   * The long history of the branch: every run's summary across scenario fingerprints (legacy full runs
   * migrated), the exclusions, and the corrupt entries that were skipped (each also logged as a warning).
   */
  async readHistory(branch: string): Promise<HistoryData> {
    return this.withRepo(async (repo) => {
      const tip = await this.fetchTip(repo);
      if (!tip) return { entries: [], exclusions: [], problems: [] };
      return this.readHistoryAt(repo, tip, branch);
    });
  }

  /** Full runs of the branch's bounded history (all fingerprints of a run reassembled), newest first. */
  async fullRuns(branch: string): Promise<RunResult[]> {
    return this.withRepo(async (repo) => {
      const tip = await this.fetchTip(repo);
      if (!tip) return [];
      const prefix = this.branchPrefix(branch);
      const files = (await this.listFiles(repo, tip, prefix)).filter((p) =>
        /^[^/]+\/history\/[^/]+\.json$/.test(p.slice(prefix.length)),
      );
      const texts = await this.readAt(repo, tip, files);
      const byId = new Map<string, RunResult[]>();
      files.forEach((file, i) => {
        try {
          const run = decodeRunResult(texts[i]!, `${this.dataBranch}:${file}`);
          byId.set(runId(run), [...(byId.get(runId(run)) ?? []), run]);
        } catch (err) {
          this.options.logger?.warn(`skipped a corrupt history run: ${(err as Error).message}`);
        }
      });
      return [...byId.keys()]
        .sort()
        .reverse()
        .map((id) => reassemble(byId.get(id)!));
    });
  }

  private async readHistoryAt(repo: string, tip: string, branch: string): Promise<HistoryData> {
    const prefix = this.branchPrefix(branch);
    const files = await this.listFiles(repo, tip, prefix);
    const summaryFiles = files.filter((p) => {
      const m = /^[^/]+\/summaries\/([^/]+)$/.exec(p.slice(prefix.length));
      return !!m && (isLoose(m[1]!) || isPack(m[1]!));
    });
    const entries: HistoryEntry[] = [];
    const problems: string[] = [];
    const texts = await this.readAt(repo, tip, summaryFiles);
    summaryFiles.forEach((file, i) => {
      const source = `${this.dataBranch}:${file}`;
      if (isPack(file.slice(file.lastIndexOf('/') + 1))) {
        const pack = decodeHistoryPack(texts[i]!, source);
        entries.push(...pack.entries);
        problems.push(...pack.problems);
      } else {
        const d = decodeHistoryEntry(texts[i]!, source);
        if (d.ok) entries.push(d.value);
        else problems.push(d.problem);
      }
    });
    // Runs stored before summaries existed: only their full runs are there (per fingerprint directory).
    const known = new Set(entries.map((e) => `${e.id}@${e.scenarios.map((s) => s.fingerprint).join(',')}`));
    const legacy = files.filter((p) => {
      const m = /^([^/]+)\/history\/([^/]+)\.json$/.exec(p.slice(prefix.length));
      if (!m) return false;
      return ![...known].some((k) => k.startsWith(`${m[2]}@`));
    });
    const legacyTexts = await this.readAt(repo, tip, legacy);
    legacy.forEach((file, i) => {
      const d = decodeHistoryEntry(legacyTexts[i]!, `${this.dataBranch}:${file}`);
      if (d.ok) entries.push(d.value);
      else problems.push(d.problem);
    });
    for (const p of problems) this.options.logger?.warn(`history: skipped a corrupt entry: ${p}`);
    return {
      entries: mergeById(entries),
      exclusions: await this.readExclusionsAt(repo, tip, `${prefix}${EXCLUSIONS_FILE}`),
      problems,
    };
  }

  private async readExclusionsAt(repo: string, tip: string, file: string): Promise<HistoryExclusion[]> {
    const text = await this.readText(repo, tip, file);
    return text === undefined ? [] : decodeExclusions(text, `${this.dataBranch}:${file}`);
  }

  /** A file's text at the tip, undefined when it does not exist. */
  private async readText(repo: string, tip: string, file: string): Promise<string | undefined> {
    const exists = await this.run(
      repo,
      ['rev-parse', '--verify', '--quiet', `${tip}:${file}`],
      undefined,
      true,
    );
    if (exists.code !== 0) return undefined;
    return (await this.run(repo, ['cat-file', 'blob', `${tip}:${file}`])).stdout;
  }

  private async newestGoodRun(
    repo: string,
    tip: string,
    listed: string[],
    historyDir: string,
    exclusions: HistoryExclusion[],
  ): Promise<RunResult | undefined> {
    const files = listed
      .filter((p) => p.startsWith(historyDir) && p.endsWith('.json'))
      .sort()
      .reverse();
    for (const file of files) {
      const run = decodeRunResult((await this.readAt(repo, tip, [file]))[0]!, `${this.dataBranch}:${file}`);
      if (!isRunExcluded(run, exclusions)) return run;
    }
    return undefined;
  }

  /** Texts of files at the tip; blobs the partial fetch left out are fetched first, in one request. */
  private async readAt(repo: string, tip: string, files: string[]): Promise<string[]> {
    if (files.length === 0) return [];
    const listed = (await this.run(repo, ['ls-tree', '-r', '-z', tip, '--', ...files])).stdout
      .split('\0')
      .filter(Boolean)
      .map((line) => /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(line))
      .filter((m): m is RegExpExecArray => !!m);
    const byPath = new Map(listed.map((m) => [m[2]!, m[1]!]));
    const oids = files.map((f) => {
      const oid = byPath.get(f);
      if (!oid) throw new DataError(`${this.dataBranch}:${f} is not a file`, `${this.dataBranch}:${f}`);
      return oid;
    });
    await this.prefetch(repo, oids);
    return this.catBlobs(repo, oids);
  }

  /**
   * Fetches the blobs among `oids` that the partial fetch left out, in one request (git would otherwise fetch
   * them one by one on first read). A server that refuses is not an error: the reads then fetch lazily.
   */
  private async prefetch(repo: string, oids: string[]): Promise<void> {
    const missing = (
      await this.run(
        repo,
        ['rev-list', '--objects', '--missing=print', '--no-object-names', 'refs/perf-gate/tip'],
        undefined,
        true,
      )
    ).stdout
      .split('\n')
      .filter((l) => l.startsWith('?'))
      .map((l) => l.slice(1));
    const wanted = new Set(oids);
    const fetch = missing.filter((o) => wanted.has(o));
    if (fetch.length === 0) return;
    await this.run(
      repo,
      [
        '-c',
        'fetch.negotiationAlgorithm=noop',
        'fetch',
        '--quiet',
        '--no-tags',
        '--no-write-fetch-head',
        '--filter=blob:none',
        '--stdin',
        'origin',
      ],
      fetch.join('\n') + '\n',
      true,
    );
  }

  private async catBlobs(repo: string, oids: string[]): Promise<string[]> {
    const out: string[] = new Array<string>(oids.length);
    for (let i = 0; i < oids.length; i += 8) {
      const chunk = oids.slice(i, i + 8);
      const texts = await Promise.all(
        chunk.map(async (oid) => (await this.run(repo, ['cat-file', 'blob', oid])).stdout),
      );
      texts.forEach((t, j) => (out[i + j] = t));
    }
    return out;
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
