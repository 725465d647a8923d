// Pieces shared by the CLI commands: loading the config with its secrets, building the redactor and
// the logger, writing JSON output.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.ts';
import { Redactor } from '../util/redact.ts';
import { createStderrLogger } from './logger.ts';
import type { CliIo } from './context.ts';
import type { Logger } from '../contracts/ports.ts';
import { gitInfo, hostInfo, toolVersions } from '../measure/meta.ts';
import type { RunMeta } from '../contracts/run-result.ts';
import type { Scenario } from '../scenario/model.ts';

export interface Loaded {
  config: LoadedConfig;
  redactor: Redactor;
  logger: Logger;
}

export async function loadWithLogger(
  io: CliIo,
  opts: { config: string; target?: string; quiet?: boolean },
): Promise<Loaded> {
  const config = await loadConfig({
    configPath: path.resolve(io.cwd, opts.config),
    env: io.env,
    ...(opts.target ? { targetOverride: opts.target } : {}),
  });
  const redactor = new Redactor(config.secrets);
  const logger = createStderrLogger({ stream: io.stderr, redactor, quiet: opts.quiet ?? false });
  return { config, redactor, logger };
}

export function collectMeta(io: CliIo): Pick<RunMeta, 'git' | 'tool' | 'host'> {
  const git = gitInfo(io.cwd, io.env);
  return { ...(git ? { git } : {}), tool: toolVersions(), host: hostInfo() };
}

/** `--trials n`: every scenario runs n trials (run, gate, calibrate, demo). */
export function withTrials(scenarios: Scenario[], trials: number | undefined): Scenario[] {
  return trials ? scenarios.map((s) => ({ ...s, trials })) : scenarios;
}

/** Who a `--approve` or `mark-bad` is recorded as: the CI actor, else the OS user. */
export function actorOf(io: CliIo): string | undefined {
  return io.env.GITHUB_ACTOR || io.env.USER || undefined;
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The config file every command reads when no --config is given. */
export const DEFAULT_CONFIG_FILE = 'perf-gate.yml';

/**
 * The settings of a command that measures nothing (compare, baseline, report): thresholds, budgets,
 * invalid-trial tolerance, output and baseline directories. `--config` must exist; without it,
 * ./perf-gate.yml is read when present, and the command says when it runs on defaults.
 */
export async function loadSettings(
  io: CliIo,
  flag: string | undefined,
  logger: Logger,
): Promise<LoadedConfig | undefined> {
  const file = path.resolve(io.cwd, flag ?? DEFAULT_CONFIG_FILE);
  if (flag === undefined && !existsSync(file)) {
    logger.info(
      `no ${DEFAULT_CONFIG_FILE} in ${io.cwd} (and no --config): default thresholds, no budgets, default directories`,
    );
    return undefined;
  }
  // These commands use the config's settings, never its scenarios or secrets: a placeholder target lets
  // a config whose target is given with --target at measurement time load here too, and a ${VAR} that
  // is only set where load runs (a token in a header) does not stop a comparison.
  const env = new Proxy(io.env, {
    get: (target, name) => (typeof name === 'string' ? (target[name] ?? `unset-${name}`) : undefined),
  });
  return loadConfig({ configPath: file, env, targetOverride: 'http://127.0.0.1', cwd: io.cwd });
}
