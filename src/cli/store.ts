// The baseline store a command reads or writes, from its flags and the config: the one factory behind
// every shell (src/usecases/baseline-stores.ts), so `--store git` is the Action's data branch.
import path from 'node:path';
import { UsageError } from '../contracts/errors.ts';
import {
  createBaselineStore,
  DEFAULT_BASELINE_DIR,
  githubRemote,
  type BaselineStoreSettings,
} from '../usecases/baseline-stores.ts';
import type { Logger } from '../contracts/ports.ts';
import type { HistoryStore } from '../store/types.ts';
import { Redactor, redactUrl } from '../util/redact.ts';
import type { CliIo } from './context.ts';

export interface StoreFlags {
  store?: 'file' | 'git';
  dir?: string;
  remote?: string;
  dataBranch?: string;
}

/** --store git (or --remote) is the git data branch; else --dir, the config's baseline.dir, the default. */
export function storeSettings(
  io: CliIo,
  flags: StoreFlags,
  configBaselineDir: string | undefined,
): BaselineStoreSettings {
  const git = flags.store === 'git' || (flags.store === undefined && flags.remote !== undefined);
  if (!git) {
    if (flags.remote) throw new UsageError("--remote is the git store's: it cannot go with --store file");
    const dir = flags.dir
      ? path.resolve(io.cwd, flags.dir)
      : (configBaselineDir ?? path.resolve(io.cwd, DEFAULT_BASELINE_DIR));
    return { kind: 'file', dir };
  }
  if (flags.dir) throw new UsageError("--dir is the file store's: it cannot go with --store git");
  if (!flags.remote && !io.env.GITHUB_REPOSITORY) {
    throw new UsageError('--store git needs --remote <git-remote> (or GITHUB_REPOSITORY, as in the Action)');
  }
  const token = io.env.GITHUB_TOKEN;
  return {
    kind: 'git',
    remote: flags.remote ? fromCwd(io, flags.remote) : githubRemote(io.env),
    ...(flags.dataBranch ? { dataBranch: flags.dataBranch } : {}),
    // A private repository: the token goes in the URL, from which the store moves it into a header.
    ...(token ? { token } : {}),
    env: io.env as NodeJS.ProcessEnv,
  };
}

/** A local-path remote is relative to the command's directory (URLs and scp-like addresses unchanged). */
function fromCwd(io: CliIo, remote: string): string {
  if (remote.includes('://') || /^[^/]*:/.test(remote)) return remote;
  return path.resolve(io.cwd, remote);
}

export function openStore(
  io: CliIo,
  flags: StoreFlags,
  configBaselineDir: string | undefined,
  logger: Logger,
  redactor = new Redactor(),
): HistoryStore {
  return createBaselineStore(storeSettings(io, flags, configBaselineDir), { logger, redactor });
}

/** Where a store is, for messages: its directory or its remote and data branch. */
export function storeLabel(io: CliIo, settings: BaselineStoreSettings): string {
  return settings.kind === 'file'
    ? path.relative(io.cwd, settings.dir) || settings.dir
    : `data branch ${settings.dataBranch ?? 'perf-gate-data'} of ${redactUrl(settings.remote, new Redactor())}`;
}
