// A target that perf-gate starts itself (`service` in perf-gate.yml): spawned without a shell, ready
// when the target URL answers HTTP, stopped (SIGTERM, then SIGKILL) when the run ends. Its pid is the
// default resource probe.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { once } from 'node:events';
import { RunFailure, UsageError } from './errors.ts';
import { checkReachable } from './preflight.ts';
import type { Logger } from './ports.ts';
import type { ServiceConfig, ResourcesConfig } from '../config/load.ts';
import type { ProbeSetup } from './run-trials.ts';
import { redactUrl, type Redactor } from '../util/redact.ts';
import { childEnv } from '../util/child-env.ts';

export interface RunningService {
  pid: number;
  stop(): Promise<void>;
}

export async function startService(
  config: ServiceConfig,
  target: string,
  options: {
    env: Record<string, string | undefined>;
    logger: Logger;
    redactor?: Redactor;
    profileDir?: string;
  },
): Promise<RunningService> {
  const [command, ...rest] = config.command as [string, ...string[]];
  // Without the GitHub token and the Action's inputs; what the config sets explicitly still applies.
  const env: Record<string, string | undefined> = { ...childEnv(options.env), ...config.env };
  let args = rest;
  if (options.profileDir) {
    // Node refuses --cpu-prof in NODE_OPTIONS, so the flags go on node's own command line; Node writes
    // the profile when the process exits, and perf-gate cuts it into trials afterwards.
    if (!/^node(\.exe)?$|^nodejs$/.test(path.basename(command))) {
      throw new UsageError(
        `service.cpuProfile needs a command that starts with node (e.g. ['node', 'dist/server.js']); got '${command}'`,
      );
    }
    args = ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, ...rest];
  }
  const child = spawn(command, args, {
    cwd: config.cwd,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const what = config.command.join(' ');
  const exited = new Promise<never>((_, reject) => {
    child.on('error', (err) => reject(new RunFailure(`cannot start the service '${what}': ${err.message}`)));
    child.on('exit', (code, signal) =>
      reject(
        new RunFailure(
          `the service '${what}' exited (${signal ?? `code ${code}`}) before ${redactUrl(target, options.redactor)} answered` +
            (stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''),
        ),
      ),
    );
  });
  exited.catch(() => {}); // observed below; keep an early exit from being an unhandled rejection
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(timer);
  };
  const deadline = performance.now() + config.readyTimeoutMs;
  for (;;) {
    try {
      await Promise.race([checkReachable(target, 1000), exited]);
      break;
    } catch (err) {
      if (
        child.exitCode !== null ||
        child.signalCode !== null ||
        !(err instanceof RunFailure) ||
        /exited|cannot start/.test(err.message)
      ) {
        await stop();
        throw err;
      }
      if (performance.now() > deadline) {
        await stop();
        throw new RunFailure(
          `the service '${what}' did not answer at ${redactUrl(target, options.redactor)} within ${config.readyTimeoutMs} ms` +
            (stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''),
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  options.logger.info(
    `service '${what}' started (pid ${child.pid}) and answers at ${redactUrl(target, options.redactor)}`,
  );
  return { pid: child.pid!, stop };
}

/** The probe to run with each trial: the configured one, or the started service's process. */
export function probeSetup(
  resources: ResourcesConfig | undefined,
  servicePid?: number,
): ProbeSetup | undefined {
  if (!resources) return undefined;
  if (resources.probe === 'service') {
    return servicePid === undefined
      ? undefined
      : { spec: { kind: 'pid', pid: servicePid }, intervalMs: resources.intervalMs };
  }
  return { spec: resources.probe, intervalMs: resources.intervalMs };
}

/**
 * Runs `work` with the configured service started (when there is one) and the resource probe set up;
 * the service is stopped whatever happens.
 */
export async function withService<T>(
  config: { service?: ServiceConfig; resources?: ResourcesConfig; target?: string; outputDir?: string },
  options: { env: Record<string, string | undefined>; logger: Logger; redactor?: Redactor },
  work: (probe: ProbeSetup | undefined) => Promise<T>,
  /** With `service.cpuProfile`: adds the service's profile (written when it stopped) to the result. */
  attach?: (value: T, profileDir: string) => T,
): Promise<T> {
  if (!config.service) return work(probeSetup(config.resources));
  if (!config.target)
    throw new RunFailure("'service' needs the config's target URL: where the service will answer");
  const profileDir =
    config.service.cpuProfile && config.outputDir
      ? path.join(config.outputDir, 'profiles', `${Date.now()}-${process.pid}`)
      : undefined;
  const service = await startService(config.service, config.target, {
    ...options,
    ...(profileDir ? { profileDir } : {}),
  });
  let value: T;
  try {
    value = await work(probeSetup(config.resources, service.pid));
  } finally {
    await service.stop();
  }
  return profileDir && attach ? attach(value, profileDir) : value;
}
