// Gathers what attribution needs from this machine: the runs' Server-Timing phases, CPU profiles cut
// into per-trial windows, and the change under test (a git diff, or a list of changed files given by
// the caller). The analysis itself is pure (src/attribution).
import path from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import {
  attribute,
  type AttributionInput,
  type AttributionResult,
  type ProfileCapture,
  type ProfileSource,
} from '../attribution/attribute.ts';
import type { Verdict } from '../verdict/types.ts';
import type { ChangedFile } from '../attribution/diff.ts';
import { parseGitDiff } from '../attribution/diff.ts';
import { gitDiff } from '../attribution/io/git.ts';
import { listCpuProfiles, readProfileSource, workingTreeSources } from '../attribution/io/read-profile.ts';
import type { RunResult, ScenarioResult, TrialResult } from '../contracts/run-result.ts';
import { decodeProfile } from '../attribution/profile-codec.ts';
import { inferCheckoutRoot } from '../attribution/paths.ts';
import { parseCpuProfile } from '../attribution/cpuprofile.ts';
import { remapProfile, type SourceMapLookup } from '../attribution/source-maps.ts';
import { fileSourceMaps } from '../attribution/io/source-maps.ts';

/** Per-trial profiles stored in a scenario result, one capture per valid trial that has one. */
function storedCaptures(s: ScenarioResult | undefined, side: string): ProfileCapture[] | undefined {
  if (!s?.profiles) return undefined;
  const captures: ProfileCapture[] = [];
  s.trials.forEach((t, i) => {
    const p = s.profiles![i];
    if (!t.valid || !p) return;
    try {
      captures.push({
        label: `${side} trial ${i + 1}`,
        sources: [{ format: 'model', model: decodeProfile(p) }],
        trials: [{ requests: t.requests.reduce((n, r) => n + r.attempts, 0) }],
      });
    } catch (err) {
      captures.push({
        label: `${side} trial ${i + 1}`,
        sources: [{ format: 'missing', reason: `stored profile unusable: ${(err as Error).message}` }],
        trials: [{ requests: 1 }],
      });
    }
  });
  return captures.length ? captures : undefined;
}

/**
 * Where the baseline's profiled code lived when not in this checkout (paired mode against a deployment
 * running from its own directory), so its frames align with the candidate's by repository path.
 */
function checkoutRootOf(captures: ProfileCapture[], repoRoot: string): string | undefined {
  const urls = captures.flatMap((c) =>
    c.sources.flatMap((s) => (s.format === 'model' ? s.model.functions.map((f) => f.url) : [])),
  );
  return inferCheckoutRoot(urls, repoRoot, (p) => existsSync(path.join(repoRoot, p)));
}

/** One scenario's valid trials (the ones the comparison used), in order. */
function validTrials(run: RunResult, scenario: string): TrialResult[] {
  return run.scenarios.find((s) => s.name === scenario)?.trials.filter((t) => t.valid) ?? [];
}

/**
 * The profiles a service wrote with `--cpu-prof --cpu-prof-dir=DIR` (one .cpuprofile per process, on
 * exit), cut into the trials' windows on the shared monotonic clock.
 */
export function profileCapture(dir: string, trials: TrialResult[], label: string): ProfileCapture {
  const files = existsSync(dir) ? listCpuProfiles(dir) : [];
  const windowed = trials.filter((t) => t.monotonicUs);
  return {
    label,
    sources: files.length
      ? files.map(readProfileSource)
      : [
          {
            format: 'missing',
            reason: `no .cpuprofile in ${dir} (was the service started with --cpu-prof?)`,
          },
        ],
    trials: windowed.map((t) => ({
      requests: t.requests.reduce((n, r) => n + r.attempts, 0),
      window: { startUs: t.monotonicUs!.start, endUs: t.monotonicUs!.end },
    })),
  };
}

export interface AttributionGather {
  baseline: RunResult;
  candidate: RunResult;
  /** The scenario to explain (attribution is per scenario). */
  scenario: string;
  /** How the baseline was obtained: says which setting would have profiled it. */
  mode?: 'stored' | 'paired';
  /** Directories of the services' CPU profiles, when perf-gate started them with --cpu-prof. */
  profiles?: { baselineDir: string; candidateDir: string };
  /** The repository the candidate ran from (frames map into it; sources are read from it). */
  repoRoot: string;
  /** The change under test: given directly, or the git diff of the checkout against this base. */
  changes?: ChangedFile[];
  diffBase?: string;
}

/** Why a side has no profiles at all, with the setting that fixes it (one line of the PR comment). */
export function noProfilesReason(side: 'baseline' | 'candidate', mode?: 'stored' | 'paired'): string {
  const enable =
    'service.cpuProfile: true (a Node service perf-gate starts), profile.inspector (a running Node process) or profile.pprof (other runtimes)';
  if (side === 'candidate') return `this run was not profiled: set ${enable}`;
  if (mode === 'paired')
    return 'the baseline deployment was not profiled: set profile.baselineInspector (a Node process started with --inspect) or profile.baselinePprof';
  if (mode === 'stored')
    return `the stored baseline has no CPU profiles (it was saved from a run without profiling): save the baseline again from a run with ${enable}`;
  return `the baseline run has no CPU profiles: measure it with ${enable}`;
}

export function gatherAttributionInput(g: AttributionGather): AttributionInput {
  const baseTrials = validTrials(g.baseline, g.scenario);
  const candTrials = validTrials(g.candidate, g.scenario);
  const timing = (ts: TrialResult[]) => ts.flatMap((t) => (t.serverTiming ? [t.serverTiming] : []));
  const input: AttributionInput = {
    serverTiming: { baseline: timing(baseTrials), candidate: timing(candTrials) },
    sources: workingTreeSources(g.repoRoot),
    paths: { repoRoot: g.repoRoot },
  };
  const stored = (run: RunResult) => run.scenarios.find((s) => s.name === g.scenario);
  const baseStored = storedCaptures(stored(g.baseline), 'baseline');
  const candStored = storedCaptures(stored(g.candidate), 'candidate');
  if (baseStored || candStored || !g.profiles) {
    // Profiles recorded with the runs; the baseline's came with the stored baseline (stored mode) or were
    // recorded in this job (paired mode). A side without any says why, and which setting fixes it.
    const none = (side: 'baseline' | 'candidate'): ProfileCapture[] => [
      {
        label: `${side} profile`,
        sources: [
          {
            format: 'missing',
            reason:
              stored(side === 'baseline' ? g.baseline : g.candidate)?.profilesMissing ??
              noProfilesReason(side, g.mode),
          },
        ],
        trials: [{ requests: 1 }],
      },
    ];
    input.profiles = {
      baseline: baseStored ?? none('baseline'),
      candidate: candStored ?? none('candidate'),
    };
    const baselineRoot = baseStored ? checkoutRootOf(baseStored, g.repoRoot) : undefined;
    if (baselineRoot) input.baselinePaths = { repoRoot: baselineRoot };
  } else if (g.profiles) {
    input.profiles = {
      baseline: [
        profileCapture(
          g.profiles.baselineDir,
          baseTrials,
          `baseline profile (${path.basename(g.profiles.baselineDir)})`,
        ),
      ],
      candidate: [
        profileCapture(
          g.profiles.candidateDir,
          candTrials,
          `candidate profile (${path.basename(g.profiles.candidateDir)})`,
        ),
      ],
    };
  }
  if (g.changes) {
    input.changes = g.changes;
  } else if (g.diffBase) {
    const diff = gitDiff(g.repoRoot, g.diffBase);
    if (diff.ok) input.changes = parseGitDiff(diff.stdout);
    else input.changesUnavailable = `git diff against ${g.diffBase} failed: ${diff.error}`;
  }
  return input;
}

/** The profiles a user provides: one `.cpuprofile` (or pprof) file per trial, in trial order. */
export function perTrialProfileCaptures(dir: string, trials: TrialResult[], side: string): ProfileCapture[] {
  const files = existsSync(dir) ? listCpuProfilesAndPprof(dir) : [];
  if (files.length === 0) {
    return [
      {
        label: `${side} profiles`,
        sources: [{ format: 'missing', reason: `no profile files in ${dir}` }],
        trials: [{ requests: 1 }],
      },
    ];
  }
  const maps = fileSourceMaps();
  return files.slice(0, trials.length).map((file, i) => ({
    label: `${side} ${path.basename(file)}`,
    sources: [withSourceMaps(readProfileSource(file), maps)],
    trials: [{ requests: trials[i]!.requests.reduce((n, r) => n + r.attempts, 0) }],
  }));
}

/**
 * A `.cpuprofile` of compiled code, moved to its sources (as captured profiles are); a file that does not
 * parse is left for `attribute`, which reports it.
 */
function withSourceMaps(source: ProfileSource, maps: SourceMapLookup): ProfileSource {
  if (source.format !== 'cpuprofile') return source;
  try {
    return { format: 'model', model: remapProfile(parseCpuProfile(source.data), maps) };
  } catch {
    return source;
  }
}

function listCpuProfilesAndPprof(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(cpuprofile|pb\.gz|pprof|pb)$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

export interface ExplainOptions {
  baseline: RunResult;
  candidate: RunResult;
  verdict: Verdict;
  repoRoot: string;
  changes?: ChangedFile[];
  changesUnavailable?: string;
  diffBase?: string;
  /** Directories of per-trial profile files, one file per valid trial, in order. */
  profileDirs?: { baseline: string; candidate: string };
  /** How the baseline was obtained (stored or paired), for the reason a profile is missing. */
  mode?: 'stored' | 'paired';
}

/**
 * Attribution for the scenario of the largest regression (or warning): nothing to explain gives
 * undefined. Never throws: what could not be used is listed in the result.
 */
export function explainRegressions(o: ExplainOptions): AttributionResult | undefined {
  const worst = o.verdict.findings.find((f) => f.status === 'regression' || f.status === 'warning');
  if (!worst) return undefined;
  const input = gatherAttributionInput({
    baseline: o.baseline,
    candidate: o.candidate,
    scenario: worst.scenario,
    repoRoot: o.repoRoot,
    ...(o.mode ? { mode: o.mode } : {}),
    ...(o.changes ? { changes: o.changes } : {}),
    ...(o.diffBase ? { diffBase: o.diffBase } : {}),
  });
  if (!o.changes && !o.diffBase && o.changesUnavailable) input.changesUnavailable = o.changesUnavailable;
  if (o.profileDirs) {
    input.profiles = {
      baseline: perTrialProfileCaptures(
        o.profileDirs.baseline,
        validTrials(o.baseline, worst.scenario),
        'baseline',
      ),
      candidate: perTrialProfileCaptures(
        o.profileDirs.candidate,
        validTrials(o.candidate, worst.scenario),
        'candidate',
      ),
    };
  }
  return attribute(input);
}
