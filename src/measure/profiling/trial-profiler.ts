// One CPU profile per measured trial, from whichever source the config names: a Node inspector (a
// service perf-gate started with --inspect, or a process it is pointed at) or a pprof HTTP endpoint.
// Starting and finishing never throw: a profile that cannot be had becomes the reason why, and that reason
// says which setting fixes it, because it ends up in the PR comment.
import { parseCpuProfile } from '../../attribution/cpuprofile.ts';
import { encodeProfile } from '../../attribution/profile-codec.ts';
import { type StoredProfile } from '../../contracts/run-result.ts';
import { remapProfile, type SourceMapLookup } from '../../attribution/source-maps.ts';
import { startInspectorProfile } from '../../attribution/io/inspector.ts';
import { fileSourceMaps } from '../../attribution/io/source-maps.ts';
import { capturePprof } from './pprof-capture.ts';
import { redactUrl, type Redactor } from '../../util/redact.ts';

export type ProfilerTarget = { kind: 'pprof'; url: string } | { kind: 'inspector'; url: string };

/** How to profile one side's trials, or why that side cannot be profiled. */
export type ProfilerSetup =
  | {
      target: ProfilerTarget;
      /** Inspector sampling interval, µs (V8's default is 1000). */
      samplingIntervalUs: number;
      /** Source maps of the profiled scripts (tsc, esbuild); read once per run. */
      sourceMaps?: SourceMapLookup;
    }
  | { unavailable: string };

/** The profilers of a run: the candidate's (or the only run's) and, in paired mode, the baseline's. */
export interface TrialProfilers {
  profiler?: ProfilerSetup;
  baselineProfiler?: ProfilerSetup;
}

export interface TrialProfile {
  /** Ends the capture; the stored profile, or why there is none. */
  finish(): Promise<StoredProfile | string>;
}

export const DEFAULT_SAMPLING_INTERVAL_US = 1000;

const INSPECTOR_HINT =
  'is the process running with --inspect (profile.inspector), or started by perf-gate (service.cpuProfile)?';

/** Starts profiling a trial of `durationMs` (pprof records for that long; the inspector until finish). */
export async function startTrialProfile(
  setup: ProfilerSetup,
  durationMs: number,
  redactor?: Redactor,
): Promise<TrialProfile> {
  if ('unavailable' in setup) return { finish: async () => setup.unavailable };
  const { target } = setup;
  if (target.kind === 'pprof') {
    const capture = capturePprof({ url: target.url }, durationMs / 1000, redactor);
    return { finish: () => capture };
  }
  const shown = redactUrl(target.url, redactor);
  let running: Awaited<ReturnType<typeof startInspectorProfile>>;
  try {
    running = await startInspectorProfile(target.url, setup.samplingIntervalUs);
  } catch (err) {
    const why = `inspector ${shown}: ${(err as Error).message} (${INSPECTOR_HINT})`;
    return { finish: async () => why };
  }
  return {
    async finish() {
      let text: string;
      try {
        text = await running.stop();
      } catch (err) {
        return `inspector ${shown}: the profile could not be stopped (${(err as Error).message}); did the process exit during the trial?`;
      }
      try {
        const model = parseCpuProfile(text);
        return encodeProfile(setup.sourceMaps ? remapProfile(model, setup.sourceMaps) : model);
      } catch (err) {
        return `inspector ${shown}: unusable profile (${(err as Error).message})`;
      }
    },
  };
}

/** A profiler setup for an inspector or pprof target, with source maps for inspector profiles. */
export function profilerFor(target: ProfilerTarget, samplingIntervalUs: number): ProfilerSetup {
  return {
    target,
    samplingIntervalUs,
    ...(target.kind === 'inspector' ? { sourceMaps: fileSourceMaps() } : {}),
  };
}
