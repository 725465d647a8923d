// A target that perf-gate starts itself (`service` in perf-gate.yml): spawned without a shell, ready
// when the target URL answers HTTP, stopped (SIGTERM, then SIGKILL) when the run ends. Its pid is the
// default resource probe; with `cpuProfile`, its inspector is the profiler (service-profiling.ts).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { RunFailure } from '../contracts/errors.ts';
import { checkReachable } from './preflight.ts';
import type { Logger } from './ports.ts';
import type { ProfilingConfig, ServiceConfig, ResourcesConfig } from '../config/load.ts';
import type { ProbeSetup } from './run-trials.ts';
import { redactUrl, type Redactor } from '../util/redact.ts';
import { inspectorLaunch, profilersFor, watchInspectorUrl } from './service-profiling.ts';
import type { TrialProfilers } from './trial-profiler.ts';
import { childEnv } from '../util/child-env.ts';

export interface RunningService {
  pid: number;
  stop(): Promise<void>;
  /** With `inspect`: the inspector's WebSocket URL the service announced, if it did. */
  inspectorUrl?: string;
  /** Set once the service has exited on its own (not stopped by us): how, with its last stderr lines. */
  exitedEarly(): string | undefined;
}

/** The last few non-empty lines of a process's stderr, joined for one message. */
function lastLines(stderr: string, n = 5): string {
  return stderr
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .slice(-n)
    .join(' | ');
}

export async function startService(
  config: ServiceConfig,
  target: string,
  options: {
    env: Record<string, string | undefined>;
    logger: Logger;
    redactor?: Redactor;
    /** Open the service's Node inspector on a free loopback port (service.cpuProfile). */
    inspect?: boolean;
    /** With `inspect`: keep V8's inlining (profile.keepInlining). */
    keepInlining?: boolean;
  },
): Promise<RunningService> {
  const [command, ...rest] = config.command as [string, ...string[]];
  // Without the GitHub token and the Action's inputs; what the config sets explicitly still applies.
  const baseEnv: Record<string, string | undefined> = { ...childEnv(options.env), ...config.env };
  const launch = options.inspect
    ? inspectorLaunch(command, rest, baseEnv, options.keepInlining)
    : { args: rest, env: baseEnv };
  const { args, env } = launch;
  const child = spawn(command, args, {
    cwd: config.cwd,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const inspectorUrl = options.inspect ? watchInspectorUrl(child.stderr!) : undefined;
  const what = config.command.join(' ');
  let stopping = false;
  let ready = false;
  let earlyExit: string | undefined;
  // Watched for its whole life: an exit while perf-gate measures is reported at once and again in
  // the run's failure, with the service's last stderr lines.
  child.on('exit', (code, signal) => {
    if (stopping || !ready) return;
    earlyExit =
      `the service '${what}' exited during the run (${signal ?? `code ${code}`})` +
      (stderr.trim() ? `; its last stderr lines: ${lastLines(stderr)}` : '; it wrote nothing to stderr');
    options.logger.error(earlyExit);
  });
  const exited = new Promise<never>((_, reject) => {
    child.on('error', (err) => reject(new RunFailure(`cannot start the service '${what}': ${err.message}`)));
    child.on('exit', (code, signal) =>
      reject(
        new RunFailure(
          `the service '${what}' exited (${signal ?? `code ${code}`}) before ${redactUrl(target, options.redactor)} answered` +
            (stderr.trim() ? `: ${lastLines(stderr)}` : ''),
        ),
      ),
    );
  });
  exited.catch(() => {}); // observed below; keep an early exit from being an unhandled rejection
  const stop = async () => {
    stopping = true;
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
            (stderr.trim() ? `: ${lastLines(stderr)}` : ''),
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  ready = true;
  options.logger.info(
    `service '${what}' started (pid ${child.pid}) and answers at ${redactUrl(target, options.redactor)}`,
  );
  const url = inspectorUrl?.();
  return { pid: child.pid!, stop, exitedEarly: () => earlyExit, ...(url ? { inspectorUrl: url } : {}) };
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
 * Runs `work` with the configured service started (when there is one), the resource probe set up and the
 * trial profilers chosen (the service's inspector with `service.cpuProfile`, else `profile`); the service
 * is stopped whatever happens.
 */
export async function withService<T>(
  config: {
    service?: ServiceConfig;
    resources?: ResourcesConfig;
    profiling?: ProfilingConfig;
    target?: string;
  },
  options: { env: Record<string, string | undefined>; logger: Logger; redactor?: Redactor },
  work: (probe: ProbeSetup | undefined, profilers: TrialProfilers) => Promise<T>,
): Promise<T> {
  if (!config.service) return work(probeSetup(config.resources), profilersFor(config.profiling));
  if (!config.target)
    throw new RunFailure("'service' needs the config's target URL: where the service will answer");
  const service = await startService(config.service, config.target, {
    ...options,
    inspect: config.service.cpuProfile,
    keepInlining: config.profiling?.keepInlining ?? false,
  });
  try {
    return await work(
      probeSetup(config.resources, service.pid),
      profilersFor(config.profiling, {
        cpuProfile: config.service.cpuProfile,
        inspectorUrl: service.inspectorUrl,
      }),
    );
  } catch (err) {
    // The run failed because the service died: say so, with its exit and stderr, keeping the partial result.
    const died = service.exitedEarly();
    if (died && err instanceof RunFailure) {
      const message = `${err.message}; ${options.redactor ? options.redactor.redact(died) : died}`;
      throw new RunFailure(message, err.partial);
    }
    throw err;
  } finally {
    await service.stop();
  }
}
