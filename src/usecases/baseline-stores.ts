// The one factory that makes a baseline store from settings, for every shell: a directory (the CLI's and
// the demo's default) or a git data branch (the Action's default, and the CLI's `--store git`).
import { DEFAULT_BASELINE_DIR } from '../config/parse/schema.ts';
import { FileBaselineStore } from '../store/file-store.ts';
import { DEFAULT_DATA_BRANCH, GitBranchBaselineStore } from '../store/git-branch-store.ts';
import { RegimeBaselineStore } from '../store/regime-baseline.ts';
import { Redactor } from '../util/redact.ts';
import type { Logger } from '../contracts/ports.ts';
import type { HistoryStore } from '../store/types.ts';

export { DEFAULT_BASELINE_DIR, DEFAULT_DATA_BRANCH };

export type BaselineStoreSettings =
  | { kind: 'file'; dir: string }
  | {
      kind: 'git';
      /** A git remote: https URL, ssh/scp address or local path. */
      remote: string;
      /** The orphan branch the baselines are committed to (default perf-gate-data). */
      dataBranch?: string;
      /** Sent for an https remote without credentials (as a header, never on a command line). */
      token?: string;
      /** The environment git runs in (default process.env). */
      env?: NodeJS.ProcessEnv;
    };

/** An https remote with the token as its credentials; other remotes, or one that has some, unchanged. */
export function remoteWithToken(remote: string, token: string | undefined): string {
  if (!token || !/^https:\/\/[^@/]+\//.test(remote)) return remote;
  return remote.replace('https://', `https://x-access-token:${encodeURIComponent(token)}@`);
}

export function createBaselineStore(
  settings: BaselineStoreSettings,
  ports: { logger: Logger; redactor?: Redactor },
): HistoryStore {
  if (settings.kind === 'file')
    return new FileBaselineStore(settings.dir, undefined, { logger: ports.logger });
  return new GitBranchBaselineStore({
    remote: remoteWithToken(settings.remote, settings.token),
    dataBranch: settings.dataBranch ?? DEFAULT_DATA_BRANCH,
    ...(settings.token ? { token: settings.token } : {}),
    ...(settings.env ? { env: settings.env } : {}),
    redactor: ports.redactor ?? new Redactor(),
    logger: ports.logger,
  });
}

/**
 * The store a gate compares against: `load` answers with the base branch's current level, pooled from the
 * runs after its last change point, and keeps the history analysis for the report.
 */
export function pooledBaselineStore(store: HistoryStore, logger: Logger): RegimeBaselineStore {
  return new RegimeBaselineStore(store, { logger });
}

/** The repository of this workflow as a git remote (GITHUB_SERVER_URL and GITHUB_REPOSITORY): the Action's. */
export function githubRemote(env: Record<string, string | undefined>): string {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repo = env.GITHUB_REPOSITORY;
  if (!repo) throw new Error('GITHUB_REPOSITORY is not set: the git-branch store needs the repository');
  return `${server}/${repo}.git`;
}
