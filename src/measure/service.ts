// The one process starter: a target that perf-gate starts itself (`service` in perf-gate.yml, or the demo's
// sample service). Spawned without a shell; ready when its URL answers HTTP, or when it prints the URL it
// listens on; watched for its whole life; stopped (SIGTERM, then SIGKILL) when the run ends. Its pid is the
// default resource probe; with `cpuProfile`, its inspector is the profiler (service-profiling.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { RunFailure } from '../contracts/errors.ts';
import { checkReachable } from './preflight.ts';
import type { Logger } from '../contracts/ports.ts';
import type { ProcessStarter } from './process-starter.ts';
import type { ProfilingConfig, ServiceConfig, ResourcesConfig } from './settings.ts';
import type { ProbeSetup } from './run-trials.ts';
import { redactUrl, type Redactor } from '../util/redact.ts';
import { inspectorLaunch, profilersFor, watchInspectorUrl } from './profiling/service-profiling.ts';
import type { TrialProfilers } from './profiling/trial-profiler.ts';
import { childEnv } from '../util/child-env.ts';

export interface RunningService {
  pid: number;
  /** The URL the service answers at (given, or the one it printed). */
  url: string;
  stop(): Promise<void>;
  /** With `inspect`: the inspector's WebSocket URL the service announced, if it did. */
  inspectorUrl?: string;
  /** Set once the service has exited on its own (not stopped by us): how, with its last stderr lines. */
  exitedEarly(): string | undefined;
}

/** When a started process counts as ready. */
export type Readiness =
  /** Its URL answers HTTP (any status). */
  | { answersAt: string; timeoutMs: number }
  /** It printed a line matching `pattern` on stdout; the first capture group is its URL. */
  | { printsUrl: RegExp; timeoutMs: number };

export interface StartProcessOptions {
  command: string;
  args: string[];
  cwd?: string;
  /** The complete environment of the process. */
  env?: Record<string, string | undefined>;
  ready: Readiness;
  logger?: Logger;
  redactor?: Redactor;
  /** Watch stderr for the Node inspector's URL (a service started with --inspect). */
  watchInspector?: boolean;
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

/** Stops a child: SIGTERM, SIGKILL after 5 s; immediate when it has already exited. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await done;
  clearTimeout(timer);
}

export async function startProcess(options: StartProcessOptions): Promise<RunningService> {
  const { ready, redactor } = options;
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv | undefined,
    stdio: ['ignore', 'printsUrl' in ready ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const inspectorUrl = options.watchInspector ? watchInspectorUrl(child.stderr!) : undefined;
  const what = [options.command, ...options.args].join(' ');
  const where = 'answersAt' in ready ? redactUrl(ready.answersAt, redactor) : 'its URL';
  let stopping = false;
  let isReady = false;
  let earlyExit: string | undefined;
  // Watched for its whole life: an exit while perf-gate measures is reported at once and again in the
  // run's failure, with the service's last stderr lines.
  child.on('exit', (code, signal) => {
    if (stopping || !isReady) return;
    earlyExit =
      `the service '${what}' exited during the run (${signal ?? `code ${code}`})` +
      (stderr.trim() ? `; its last stderr lines: ${lastLines(stderr)}` : '; it wrote nothing to stderr');
    options.logger?.error(earlyExit);
  });
  const exited = new Promise<never>((_, reject) => {
    child.on('error', (err) => reject(new RunFailure(`cannot start the service '${what}': ${err.message}`)));
    child.on('exit', (code, signal) =>
      reject(
        new RunFailure(
          `the service '${what}' exited (${signal ?? `code ${code}`}) before ${where} answered` +
            (stderr.trim() ? `: ${lastLines(stderr)}` : ''),
        ),
      ),
    );
  });
  exited.catch(() => {}); // observed below; keep an early exit from being an unhandled rejection
  const stop = async () => {
    stopping = true;
    await stopChild(child);
  };
  let url: string;
  try {
    url =
      'answersAt' in ready
        ? await answering(ready.answersAt, ready.timeoutMs, exited, child)
        : await Promise.race([printedUrl(child, ready.printsUrl), exited, timeout(ready.timeoutMs)]);
  } catch (err) {
    await stop();
    if (err instanceof Timeout) {
      throw new RunFailure(
        `the service '${what}' did not answer at ${where} within ${ready.timeoutMs} ms` +
          (stderr.trim() ? `: ${lastLines(stderr)}` : ''),
      );
    }
    throw err;
  }
  isReady = true;
  options.logger?.info(
    `service '${what}' started (pid ${child.pid}) and answers at ${redactUrl(url, redactor)}`,
  );
  const inspector = inspectorUrl?.();
  return {
    pid: child.pid!,
    url,
    stop,
    exitedEarly: () => earlyExit,
    ...(inspector ? { inspectorUrl: inspector } : {}),
  };
}

class Timeout extends Error {}

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Timeout()), ms).unref());
}

/** Polls the URL until it answers; a process that exits or cannot start ends the wait at once. */
async function answering(url: string, timeoutMs: number, exited: Promise<never>, child: ChildProcess) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      await Promise.race([checkReachable(url, 1000), exited]);
      return url;
    } catch (err) {
      const gone = child.exitCode !== null || child.signalCode !== null;
      if (gone || !(err instanceof RunFailure) || /exited|cannot start/.test(err.message)) throw err;
      if (performance.now() > deadline) throw new Timeout();
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The URL of the first stdout line that matches `pattern`; stdout keeps flowing afterwards. */
function printedUrl(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = pattern.exec(out);
      if (m?.[1]) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
  });
}

/** Starts a configured `service`: ready when the config's target URL answers. */
export function startService(
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
  const { args, env } = options.inspect
    ? inspectorLaunch(command, rest, baseEnv, options.keepInlining)
    : { args: rest, env: baseEnv };
  return startProcess({
    command,
    args,
    ...(config.cwd ? { cwd: config.cwd } : {}),
    env,
    ready: { answersAt: target, timeoutMs: config.readyTimeoutMs },
    logger: options.logger,
    ...(options.redactor ? { redactor: options.redactor } : {}),
    watchInspector: options.inspect ?? false,
  });
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
 * Runs `work` with `service` running; it is stopped whatever happens. A run that failed because the service
 * died says so, with its exit and stderr, keeping the partial result.
 */
export async function whileRunning<T>(
  service: RunningService,
  redactor: Redactor | undefined,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const died = service.exitedEarly();
    if (died && err instanceof RunFailure) {
      throw new RunFailure(`${err.message}; ${redactor ? redactor.redact(died) : died}`, err.partial);
    }
    throw err;
  } finally {
    await service.stop();
  }
}

export interface ServiceSettings {
  service?: ServiceConfig;
  resources?: ResourcesConfig;
  profiling?: ProfilingConfig;
  target?: string;
}

export interface ServiceContext {
  env: Record<string, string | undefined>;
  logger: Logger;
  redactor?: Redactor;
}

/**
 * Runs `work` with the configured service started (when there is one), the resource probe set up and the
 * trial profilers chosen (the service's inspector with `service.cpuProfile`, else `profile`); the service
 * is stopped whatever happens.
 */
export async function withService<T>(
  config: ServiceSettings,
  options: ServiceContext,
  work: (probe: ProbeSetup | undefined, profilers: TrialProfilers) => Promise<T>,
): Promise<T> {
  const settings = config.service;
  if (!settings) return work(probeSetup(config.resources), profilersFor(config.profiling));
  if (!config.target)
    throw new RunFailure("'service' needs the config's target URL: where the service will answer");
  const service = await startService(settings, config.target, {
    ...options,
    inspect: settings.cpuProfile,
    keepInlining: config.profiling?.keepInlining ?? false,
  });
  return whileRunning(service, options.redactor, () =>
    work(
      probeSetup(config.resources, service.pid),
      profilersFor(config.profiling, {
        cpuProfile: settings.cpuProfile,
        inspectorUrl: service.inspectorUrl,
      }),
    ),
  );
}

/** The process-starter port for a config: its `service` (when it has one) around each unit of work. */
export function configuredService(config: ServiceSettings, options: ServiceContext): ProcessStarter {
  return {
    around: (work) =>
      withService(config, options, (probe, profilers) => work({ ...(probe ? { probe } : {}), ...profilers })),
  };
}
