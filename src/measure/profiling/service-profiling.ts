// The profiling hook of a service perf-gate starts (`service.cpuProfile`): the service's Node opens its
// inspector on a free loopback port, perf-gate reads the WebSocket URL Node prints on stderr, and each
// trial is profiled over it (trial-profiler.ts). Unlike --cpu-prof, nothing waits for the process to exit
// cleanly, so a service that dies on SIGTERM, as most do, is profiled all the same.
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { ProfilingConfig } from '../settings.ts';
import {
  DEFAULT_SAMPLING_INTERVAL_US,
  profilerFor,
  type ProfilerSetup,
  type TrialProfilers,
} from './trial-profiler.ts';

/** Port 0: the kernel picks a free port, so parallel jobs and a developer's own debugger never clash. */
const INSPECT_FLAG = '--inspect=127.0.0.1:0';

const isNode = (command: string): boolean => /^node(\.exe)?$|^nodejs$/.test(path.basename(command));

/**
 * Node's CPU profiler does not reliably report inlined functions as frames of their own (measured on
 * Node 20: a hot function inlined into a Fastify handler had its time charged to the handler, to its
 * caller or to Fastify, differently from one process to the next), so the function a PR slowed could
 * vanish from the profile. Without TurboFan inlining every function keeps its frame; both sides of the
 * comparison run with the same flags, and the cost is measured in test/bench/profiling-overhead.bench.ts.
 */
const NO_INLINING_FLAG = '--no-turbo-inlining';

/**
 * The arguments and environment that open the inspector: on node's own command line when the command is
 * node, else through NODE_OPTIONS (`npm start`, `tsx server.ts`: every Node process of the tree then opens
 * one, and the last to announce itself, the one that ends up running the server, is profiled). Node does
 * not accept V8 flags in NODE_OPTIONS, so inlining stays on in that case.
 */
export function inspectorLaunch(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  keepInlining = false,
): { args: string[]; env: Record<string, string | undefined> } {
  if (isNode(command))
    return { args: [INSPECT_FLAG, ...(keepInlining ? [] : [NO_INLINING_FLAG]), ...args], env };
  const options = [env.NODE_OPTIONS, INSPECT_FLAG].filter(Boolean).join(' ');
  return { args, env: { ...env, NODE_OPTIONS: options } };
}

const ANNOUNCEMENT = /Debugger listening on (ws:\/\/\S+)/g;

/** Follows a process's stderr for Node's "Debugger listening on ws://…" lines; the latest one wins. */
export function watchInspectorUrl(stderr: Readable): () => string | undefined {
  let latest: string | undefined;
  let tail = '';
  stderr.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-2000);
    for (const m of tail.matchAll(ANNOUNCEMENT)) latest = m[1];
  });
  return () => latest;
}

/**
 * The run's profilers: the started service's inspector when `service.cpuProfile` is on (it takes the
 * place of `profile.inspector`/`profile.pprof`), else what `profile` names; the baseline's from
 * `profile.baselineInspector`/`baselinePprof` (paired mode).
 */
export function profilersFor(
  profiling: ProfilingConfig | undefined,
  service?: { cpuProfile: boolean; inspectorUrl: string | undefined },
): TrialProfilers {
  const interval = profiling?.samplingIntervalUs ?? DEFAULT_SAMPLING_INTERVAL_US;
  let profiler: ProfilerSetup | undefined;
  if (service?.cpuProfile) {
    profiler = service.inspectorUrl
      ? profilerFor({ kind: 'inspector', url: service.inspectorUrl }, interval)
      : {
          unavailable:
            'service.cpuProfile: the service never printed an inspector URL on stderr (is it a Node process? a service whose NODE_OPTIONS are overridden cannot be profiled: point profile.inspector at its --inspect port)',
        };
  } else if (profiling?.target) {
    profiler = profilerFor(profiling.target, interval);
  }
  const baseline = profiling?.baselineTarget;
  return {
    ...(profiler ? { profiler } : {}),
    ...(baseline ? { baselineProfiler: profilerFor(baseline, interval) } : {}),
  };
}
