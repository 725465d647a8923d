// Regression attribution: Server-Timing phase shifts, the CPU-profile diff, and the PR's changed code,
// combined into ranked suspects. Pure: profile bytes, diffs and source texts come in through the input (the
// io/ folder reads them), and nothing here throws: whatever is missing or unusable is reported in
// `missing`, and the rest of the analysis still runs.
//
// Crediting. For each regressed function r (self CPU per request grew or appeared, significant, see
// profile-diff.ts), every candidate stack that ends in r is walked from r towards the root; the first frame
// that is changed code (r itself, a changed caller, or a frame of an upgraded dependency) receives that
// stack's share of r's increase: credit(c) += Δself(r) × weight(stacks of r whose nearest changed frame is
// c) / weight(all stacks of r). Stacks with no changed frame stay unattributed.
//
// Evidence, strongest first: changed lines of r carry samples ("changed-lines-hot"); r itself is a changed
// function ("self"); r is in an upgraded dependency ("dependency") or the nearest changed frame is a caller
// within 3 frames ("caller"); a farther caller ("distant-caller"); the file changed but its changed lines or
// source are unknown ("file").
//
// Confidence of a suspect (share = credit / total CPU increase per request):
//   high   — strong evidence (changed-lines-hot or self), share ≥ 50 %, tested with the trial-level
//            Mann–Whitney test (≥ 4 trials per side), and not a cost shift;
//   medium — share ≥ 20 % with strong or medium evidence (dependency, caller), or share ≥ 50 % with strong
//            evidence under a weaker test (Welch on 2–3 trials, Poisson on single runs); not a cost shift;
//   low    — everything else.

import { parseCpuProfileWindows } from './cpuprofile.ts';
import type { CpuProfileInput, TimeWindow } from './cpuprofile.ts';
import type { ChangedFile } from './diff.ts';
import { isLockfile } from './diff.ts';
import { MODULE_FUNCTION_NAME, changedFunctionsIn, scanFunctions } from './functions.ts';
import type { ChangedFunction, SourceFunction } from './functions.ts';
import { dependencyChanges, dependencyChangesFromLines } from './lockfiles.ts';
import type { DependencyChange } from './lockfiles.ts';
import { dependencyOf, profileUrlToRepoPath } from './paths.ts';
import type { PathMapping } from './paths.ts';
import { parsePprof } from './pprof.ts';
import { diffProfiles } from './profile-diff.ts';
import type { CpuChange, DiffFunction, ProfileDiff, ProfileDiffOptions, TestMethod } from './profile-diff.ts';
import { mergeProfiles } from './profile-model.ts';
import type { ProfileModel } from './profile-model.ts';
import { resolveFrames } from './resolve.ts';
import type { FileResolution } from './resolve.ts';
import { comparePhases } from './server-timing.ts';
import type { RequestPhaseComparison } from './server-timing.ts';
import type { TrialServerTiming } from '../contracts/run-result.ts';

export type ProfileSource =
  | { format: 'cpuprofile'; data: CpuProfileInput }
  /** Decompressed pprof protobuf (io/read-profile.ts gunzips). */
  | { format: 'pprof'; data: Uint8Array }
  | { format: 'model'; model: ProfileModel }
  /** The io layer could not obtain it; `reason` says why. */
  | { format: 'missing'; reason: string };

export interface ProfileCapture {
  /** One profile, or several to merge (the threads of one process). */
  sources: ProfileSource[];
  /**
   * One entry per trial the capture covers. With windows (µs on the profile clock; .cpuprofile only) one
   * capture of a long-running target yields one trial per window; without, the capture is one trial.
   */
  trials: { requests: number; window?: TimeWindow }[];
  /** Shown in messages (e.g. a file name). */
  label?: string;
}

export interface AttributionInput {
  profiles?: { baseline: readonly ProfileCapture[]; candidate: readonly ProfileCapture[] };
  serverTiming?: {
    baseline: readonly TrialServerTiming[];
    candidate: readonly TrialServerTiming[];
    envelopePhases?: readonly string[];
  };
  /** The PR's changed files (parseGitDiff / parseRestFiles); undefined when unknown. */
  changes?: readonly ChangedFile[];
  /** Why `changes` is missing, when the io layer knows. */
  changesUnavailable?: string;
  /** Head-version text of a repository file, or undefined when it cannot be read. */
  sources?: (repoPath: string) => string | undefined;
  /** Both versions of changed lockfiles, for exact dependency changes. */
  lockfiles?: readonly { path: string; base?: string; head?: string }[];
  /** Where the candidate's frames live (repository root, prefix rewrites). */
  paths?: PathMapping;
  /** The same for the baseline when it ran from another checkout (default: `paths`). */
  baselinePaths?: PathMapping;
  diffOptions?: ProfileDiffOptions;
  /** Suspects listed (default 10). */
  maxSuspects?: number;
}

export type MissingInput =
  'baseline-profile' | 'candidate-profile' | 'server-timing' | 'diff' | 'source' | 'lockfile' | 'internal';

export interface Missing {
  input: MissingInput;
  detail: string;
}

export type Evidence = 'changed-lines-hot' | 'self' | 'dependency' | 'caller' | 'distant-caller' | 'file';
export type Confidence = 'high' | 'medium' | 'low';

const STRENGTH: Record<Evidence, number> = {
  'changed-lines-hot': 5,
  self: 4,
  dependency: 3,
  caller: 3,
  'distant-caller': 2,
  file: 1,
};

export interface RegressedFunction {
  name: string;
  /** Repository path when the frame maps into the repository, else the profile URL. */
  file: string;
  inRepo: boolean;
  /** Source line of the function (resolved through the source when possible, else the profiler's). */
  line: number;
  endLine?: number;
  status: 'grew' | 'appeared';
  baselineSelfMs: number;
  candidateSelfMs: number;
  deltaSelfMs: number;
  deltaTotalMs: number;
  shareOfIncrease: number | null;
  p: number;
  method: TestMethod;
  /** Part of deltaSelfMs credited to changed code. */
  attributedMs: number;
}

export interface Contribution {
  function: string;
  file: string;
  line: number;
  deltaSelfMs: number;
  creditMs: number;
  /** Frames between the regressed function and this changed frame (0: the same function). */
  distance: number;
}

export interface Suspect {
  kind: 'function' | 'dependency' | 'file';
  /** Function name, package name, or file path. */
  name: string;
  file?: string;
  /** Span of the changed function in the head version. */
  line?: number;
  endLine?: number;
  /** Changed head lines inside it (at most 50) and whether line information exists at all. */
  changedLines?: number[];
  linesKnown: boolean;
  /** Dependency upgrade(s) behind a dependency suspect. */
  upgrades?: DependencyChange[];
  creditMs: number;
  /** creditMs / max(total CPU increase per request, sum of the regressed functions' increases). */
  share: number;
  evidence: Evidence;
  /** Candidate samples on changed lines of the function itself (changed-lines-hot evidence). */
  samplesOnChangedLines?: number;
  confidence: Confidence;
  contributions: Contribution[];
}

export interface PhaseHint {
  phase: string;
  requestName: string;
  /** A changed function whose text names the phase (e.g. `timing.time('db', …)`). */
  function: string;
  file: string;
  line: number;
}

export interface AttributionResult {
  status: 'ok' | 'partial' | 'unavailable';
  missing: Missing[];
  phases?: RequestPhaseComparison[];
  cpu?: CpuChange & { costShift: boolean };
  profileTrials?: { baseline: number; candidate: number };
  regressed: RegressedFunction[];
  suspects: Suspect[];
  unattributed: { ms: number; share: number | null; functions: { name: string; file: string; ms: number }[] };
  dependencyUpgrades: DependencyChange[];
  /** Latency grew while CPU per request did not: look at Server-Timing phases, not at the profile. */
  offCpu: boolean;
  phaseHints: PhaseHint[];
  notes: string[];
  /** The full profile diff, for artifacts (folded.ts). */
  diff?: ProfileDiff;
}

interface LoadedSide {
  trials: { model: ProfileModel; requests: number }[];
  missing: Missing[];
}

function loadSide(captures: readonly ProfileCapture[], side: 'baseline' | 'candidate'): LoadedSide {
  const input: MissingInput = side === 'baseline' ? 'baseline-profile' : 'candidate-profile';
  const out: LoadedSide = { trials: [], missing: [] };
  captures.forEach((capture, ci) => {
    const label = capture.label ?? `${side} capture ${ci + 1}`;
    const fail = (detail: string): void => void out.missing.push({ input, detail: `${label}: ${detail}` });
    if (capture.trials.length === 0) return fail('no trial attached to the profile');
    if (capture.sources.length === 0) return fail('no profile');
    const windowed = capture.trials.some((t) => t.window !== undefined);
    if (windowed && capture.trials.some((t) => t.window === undefined)) {
      return fail('either every trial of a capture has a window or none has');
    }
    if (!windowed && capture.trials.length > 1)
      return fail('several trials share one profile without windows');
    const windows = windowed ? capture.trials.map((t) => t.window!) : undefined;
    const perTrial: ProfileModel[][] = capture.trials.map(() => []);
    for (const source of capture.sources) {
      try {
        let models: ProfileModel[];
        switch (source.format) {
          case 'missing':
            return fail(`profile missing: ${source.reason}`);
          case 'cpuprofile':
            models = parseCpuProfileWindows(source.data, windows);
            break;
          case 'pprof':
            if (windows) return fail('trial windows need a .cpuprofile (pprof has no sample timestamps)');
            models = [parsePprof(source.data)];
            break;
          case 'model':
            if (windows) return fail('trial windows need a .cpuprofile, not a parsed model');
            models = [source.model];
            break;
        }
        models.forEach((m, i) => perTrial[i]!.push(m));
      } catch (err) {
        return fail(`unparsable profile: ${(err as Error).message}`);
      }
    }
    capture.trials.forEach((t, i) => {
      const model = mergeProfiles(perTrial[i]!);
      const where = windows ? ` (trial window ${i + 1})` : '';
      if (model.samples === 0) {
        out.missing.push({ input, detail: `${label}${where}: the profile has no CPU samples` });
      } else if (!(t.requests > 0)) {
        out.missing.push({ input, detail: `${label}${where}: no request completed while it was recorded` });
      } else {
        out.trials.push({ model, requests: t.requests });
      }
    });
  });
  return out;
}

const EMPTY_UNATTRIBUTED = { ms: 0, share: null, functions: [] };

/** Top-level attribution. Never throws: problems come back in `missing`. */
export function attribute(input: AttributionInput): AttributionResult {
  const result: AttributionResult = {
    status: 'ok',
    missing: [],
    regressed: [],
    suspects: [],
    unattributed: { ...EMPTY_UNATTRIBUTED },
    dependencyUpgrades: [],
    offCpu: false,
    phaseHints: [],
    notes: [],
  };
  try {
    run(input, result);
  } catch (err) {
    result.missing.push({ input: 'internal', detail: `attribution failed: ${(err as Error).message}` });
  }
  const haveSomething = result.phases !== undefined || result.cpu !== undefined;
  result.status = !haveSomething ? 'unavailable' : result.missing.length > 0 ? 'partial' : 'ok';
  return result;
}

function run(input: AttributionInput, result: AttributionResult): void {
  const maxSuspects = input.maxSuspects ?? 10;

  // 1. Server-Timing phases.
  if (input.serverTiming === undefined) {
    result.missing.push({ input: 'server-timing', detail: 'no Server-Timing data was collected' });
  } else if (input.serverTiming.baseline.length === 0 || input.serverTiming.candidate.length === 0) {
    result.missing.push({ input: 'server-timing', detail: 'Server-Timing data missing on one side' });
  } else {
    const options = input.serverTiming.envelopePhases
      ? { envelopePhases: input.serverTiming.envelopePhases }
      : {};
    const phases = comparePhases(input.serverTiming.baseline, input.serverTiming.candidate, options);
    const withPhases = phases.filter((r) => r.phases.length > 0);
    result.phases = phases;
    if (withPhases.length === 0) {
      result.missing.push({ input: 'server-timing', detail: 'responses carried no Server-Timing metrics' });
    }
  }

  // 2. Changed code and dependency upgrades.
  const code = codeContext(input);
  if (input.changes === undefined) {
    result.missing.push({
      input: 'diff',
      detail: input.changesUnavailable ?? 'the PR diff was not provided',
    });
  }
  result.dependencyUpgrades = dependencyUpgrades(input, result);

  // 3. Profiles.
  if (input.profiles === undefined) {
    result.missing.push({ input: 'baseline-profile', detail: 'no CPU profile was captured' });
    result.missing.push({ input: 'candidate-profile', detail: 'no CPU profile was captured' });
    finishOffCpu(input, result, code);
    return;
  }
  const base = loadSide(input.profiles.baseline, 'baseline');
  const cand = loadSide(input.profiles.candidate, 'candidate');
  result.missing.push(...base.missing, ...cand.missing);
  if (base.trials.length === 0 || cand.trials.length === 0) {
    for (const [side, loaded] of [
      ['baseline', base],
      ['candidate', cand],
    ] as const) {
      if (loaded.trials.length === 0 && loaded.missing.length === 0) {
        result.missing.push({ input: `${side}-profile`, detail: `no ${side} profile was captured` });
      }
    }
    finishOffCpu(input, result, code);
    return;
  }
  // Align functions by repository path, so checkouts at different absolute paths still match.
  const keyFor = (mapping: PathMapping) => (url: string) => profileUrlToRepoPath(url, mapping) ?? url;
  const diff = diffProfiles(base.trials, cand.trials, {
    urlKey: {
      baseline: keyFor(input.baselinePaths ?? input.paths ?? {}),
      candidate: keyFor(input.paths ?? {}),
    },
    ...input.diffOptions,
  });
  result.diff = diff;
  result.profileTrials = diff.trials;
  result.cpu = { ...diff.cpu, costShift: diff.costShift };
  if (diff.method === 'poisson') {
    result.notes.push(
      'Fewer than 2 profiled trials per side: changes were tested on pooled sample counts (Poisson), which ' +
        'understates noise; confidence is capped at medium.',
    );
  }
  if (diff.costShift) {
    result.notes.push(
      'CPU per request did not change significantly, but some functions grew: cost moved between functions ' +
        '(refactoring, inlining) rather than grew. Suspects are low confidence.',
    );
  }

  credit(input, result, diff, code, maxSuspects);
  finishOffCpu(input, result, code);
}

function dependencyUpgrades(input: AttributionInput, result: AttributionResult): DependencyChange[] {
  const out: DependencyChange[] = [];
  const exact = new Set<string>();
  for (const lf of input.lockfiles ?? []) {
    try {
      out.push(...dependencyChanges(lf.path, lf.base, lf.head));
      exact.add(lf.path);
    } catch (err) {
      result.missing.push({
        input: 'lockfile',
        detail: `${lf.path}: unparsable (${(err as Error).message})`,
      });
    }
  }
  for (const file of input.changes ?? []) {
    if (!isLockfile(file.path) || exact.has(file.path)) continue;
    if (file.lines === undefined || !file.linesKnown) {
      result.missing.push({
        input: 'lockfile',
        detail: `${file.path} changed but its contents are unavailable: dependency upgrades unknown`,
      });
      continue;
    }
    out.push(...dependencyChangesFromLines(file.path, file.lines.removed, file.lines.added));
  }
  return out;
}

interface Target {
  key: string;
  kind: Suspect['kind'];
  name: string;
  file?: string;
  fn?: ChangedFunction;
  upgrades?: DependencyChange[];
  linesKnown: boolean;
  /** The file's frames resolve by source line (so profiler line samples are source lines). */
  lineMode: boolean;
}

interface SourceFile {
  text: string;
  functions: SourceFunction[];
}

/** Lazy access to the PR's changed files, their head sources and changed functions. */
interface CodeContext {
  changedByPath: Map<string, ChangedFile>;
  /** Head source of a repository file (null when unavailable); scanned once. */
  source(path: string): SourceFile | null;
  /** Changed functions of a changed file whose lines and source are known. */
  changedFns(path: string): ChangedFunction[];
}

function codeContext(input: AttributionInput): CodeContext {
  const changedByPath = new Map<string, ChangedFile>();
  for (const f of input.changes ?? []) if (f.status !== 'deleted') changedByPath.set(f.path, f);
  const sources = new Map<string, SourceFile | null>();
  const changed = new Map<string, ChangedFunction[]>();
  const source = (path: string): SourceFile | null => {
    if (!sources.has(path)) {
      let text: string | undefined;
      try {
        text = input.sources?.(path);
      } catch {
        text = undefined;
      }
      sources.set(path, text === undefined ? null : { text, functions: scanFunctions(text, path) });
    }
    return sources.get(path)!;
  };
  return {
    changedByPath,
    source,
    changedFns(path) {
      let fns = changed.get(path);
      if (fns === undefined) {
        const src = source(path);
        const file = changedByPath.get(path);
        fns =
          src === null || file === undefined ? [] : changedFunctionsIn(src.functions, src.text, file.hunks);
        changed.set(path, fns);
      }
      return fns;
    },
  };
}

function credit(
  input: AttributionInput,
  result: AttributionResult,
  diff: ProfileDiff,
  code: CodeContext,
  maxSuspects: number,
): void {
  const paths = input.paths ?? {};
  const { changedByPath, source, changedFns } = code;
  const upgradesByName = new Map<string, DependencyChange[]>();
  for (const u of result.dependencyUpgrades) {
    const key = `${u.ecosystem}:${u.name}`;
    upgradesByName.set(key, [...(upgradesByName.get(key) ?? []), u]);
  }

  // Repository path of every profiled function, and the functions of each file.
  const pathOf = diff.functions.map((f) => profileUrlToRepoPath(f.url, paths));
  const framesByPath = new Map<string, DiffFunction[]>();
  diff.functions.forEach((f, i) => {
    const p = pathOf[i];
    if (p === undefined) return;
    const list = framesByPath.get(p);
    if (list) list.push(f);
    else framesByPath.set(p, [f]);
  });

  const missingSources = new Set<string>();
  const resolutionCache = new Map<string, FileResolution | null>();
  const resolution = (path: string): FileResolution | null => {
    if (!resolutionCache.has(path)) {
      const src = source(path);
      const frames = (framesByPath.get(path) ?? []).map((f) => ({
        id: f.index,
        name: f.name,
        line: f.line,
        column: f.column,
      }));
      resolutionCache.set(path, src === null ? null : resolveFrames(frames, src.functions));
    }
    return resolutionCache.get(path)!;
  };
  const targetCache = new Map<number, Target | null>();
  const targetOf = (fi: number): Target | null => {
    if (targetCache.has(fi)) return targetCache.get(fi)!;
    const f = diff.functions[fi]!;
    let target: Target | null = null;
    const dep = dependencyOf(f.url);
    const path = pathOf[fi];
    if (dep !== undefined && upgradesByName.has(`${dep.ecosystem}:${dep.name}`)) {
      target = {
        key: `dep:${dep.ecosystem}:${dep.name}`,
        kind: 'dependency',
        name: dep.name,
        upgrades: upgradesByName.get(`${dep.ecosystem}:${dep.name}`)!,
        linesKnown: true,
        lineMode: false,
      };
    } else if (path !== undefined && changedByPath.has(path)) {
      const file = changedByPath.get(path)!;
      const src = file.linesKnown ? source(path) : null;
      if (!file.linesKnown || src === null) {
        if (file.linesKnown) missingSources.add(path);
        target = {
          key: `file:${path}`,
          kind: 'file',
          name: path,
          file: path,
          linesKnown: false,
          lineMode: false,
        };
      } else {
        const res = resolution(path)!;
        const r = res.resolved.get(fi);
        if (r !== undefined) {
          const fns = changedFns(path);
          const hit =
            r.fn === 'module'
              ? fns.find((c) => c.name === MODULE_FUNCTION_NAME)
              : fns.find(
                  (c) => c.start === (r.fn as SourceFunction).start && c.end === (r.fn as SourceFunction).end,
                );
          if (hit !== undefined) {
            target = {
              key: `fn:${path}:${hit.startLine}:${hit.name}`,
              kind: 'function',
              name: hit.qualifiedName || '(anonymous)',
              file: path,
              fn: hit,
              linesKnown: true,
              lineMode: res.mode === 'lines',
            };
          }
        }
      }
    }
    targetCache.set(fi, target);
    return target;
  };

  // Display location of a profiled function.
  const locate = (f: DiffFunction): { file: string; inRepo: boolean; line: number; endLine?: number } => {
    const path = pathOf[f.index];
    if (path === undefined) return { file: f.url, inRepo: false, line: f.line };
    const res = resolution(path);
    const r = res?.resolved.get(f.index);
    if (r !== undefined && r.fn !== 'module')
      return { file: path, inRepo: true, line: r.fn.startLine, endLine: r.fn.endLine };
    return { file: path, inRepo: true, line: res?.mode === 'lines' || res === null ? f.line : 0 };
  };

  const regressed = diff.changed.filter(
    (f) => (f.status === 'grew' || f.status === 'appeared') && f.deltaSelfMs > 0 && f.kind !== 'idle',
  );
  const trie = diff.candidateStacks;
  const nodesOf = new Map<number, number[]>();
  const regressedSet = new Set(regressed.map((f) => f.index));
  for (let n = 0; n < trie.fn.length; n++) {
    const f = trie.fn[n]!;
    if (regressedSet.has(f) && trie.weight[n]! > 0) {
      const list = nodesOf.get(f);
      if (list) list.push(n);
      else nodesOf.set(f, [n]);
    }
  }

  interface Acc {
    target: Target;
    creditMs: number;
    evidence: Evidence;
    samplesOnChangedLines: number;
    contributions: Contribution[];
    methods: Set<TestMethod>;
  }
  const suspects = new Map<string, Acc>();
  // Shares are of the CPU increase per request; when regressed functions add up to more (others shrank),
  // of their sum, so a share never exceeds 100 %.
  const regressedSum = regressed.reduce((s, f) => s + Math.max(0, f.deltaSelfMs), 0);
  const totalIncrease = Math.max(diff.cpu.deltaMs, regressedSum);
  const unattributedFns: { name: string; file: string; ms: number }[] = [];
  let attributedTotal = 0;

  for (const r of regressed) {
    const byTarget = new Map<string, { target: Target; weight: number; distance: number }>();
    let all = 0;
    for (const node of nodesOf.get(r.index) ?? []) {
      const w = trie.weight[node]!;
      all += w;
      let distance = 0;
      for (let n = node; n >= 0; n = trie.parent[n]!, distance++) {
        const t = targetOf(trie.fn[n]!);
        if (t === null) continue;
        const acc = byTarget.get(t.key);
        if (acc) {
          acc.weight += w;
          acc.distance = Math.min(acc.distance, distance);
        } else byTarget.set(t.key, { target: t, weight: w, distance });
        break;
      }
    }
    const loc = locate(r);
    let attributed = 0;
    for (const { target, weight, distance } of byTarget.values()) {
      const creditMs = all > 0 ? (r.deltaSelfMs * weight) / all : 0;
      if (creditMs <= 0) continue;
      attributed += creditMs;
      let evidence: Evidence;
      let onChanged = 0;
      if (target.kind === 'dependency') evidence = 'dependency';
      else if (target.kind === 'file') evidence = 'file';
      else if (distance === 0) {
        evidence = 'self';
        if (target.lineMode && target.fn) {
          const changed = new Set(target.fn.changedLines);
          for (const [line, n] of r.candidateLineSamples) if (changed.has(line)) onChanged += n;
          if (onChanged > 0) evidence = 'changed-lines-hot';
        }
      } else evidence = distance <= 3 ? 'caller' : 'distant-caller';
      let acc = suspects.get(target.key);
      if (acc === undefined) {
        acc = {
          target,
          creditMs: 0,
          evidence,
          samplesOnChangedLines: 0,
          contributions: [],
          methods: new Set(),
        };
        suspects.set(target.key, acc);
      }
      acc.creditMs += creditMs;
      acc.samplesOnChangedLines += onChanged;
      if (STRENGTH[evidence] > STRENGTH[acc.evidence]) acc.evidence = evidence;
      acc.methods.add(r.method);
      acc.contributions.push({
        function: r.name === '' ? '(anonymous)' : r.name,
        file: loc.file,
        line: loc.line,
        deltaSelfMs: r.deltaSelfMs,
        creditMs,
        distance,
      });
    }
    attributedTotal += attributed;
    if (r.deltaSelfMs - attributed > 1e-12) {
      unattributedFns.push({
        name: r.name === '' ? '(anonymous)' : r.name,
        file: loc.file,
        ms: r.deltaSelfMs - attributed,
      });
    }
    result.regressed.push({
      name: r.name === '' ? '(anonymous)' : r.name,
      file: loc.file,
      inRepo: loc.inRepo,
      line: loc.line,
      ...(loc.endLine !== undefined ? { endLine: loc.endLine } : {}),
      status: r.status as 'grew' | 'appeared',
      baselineSelfMs: r.baselineSelfMs,
      candidateSelfMs: r.candidateSelfMs,
      deltaSelfMs: r.deltaSelfMs,
      deltaTotalMs: r.deltaTotalMs,
      shareOfIncrease: r.shareOfIncrease,
      p: r.p,
      method: r.method,
      attributedMs: attributed,
    });
  }

  for (const path of missingSources) {
    result.missing.push({
      input: 'source',
      detail: `${path}: head version unavailable, changed lines cannot be mapped to functions`,
    });
  }

  const list: Suspect[] = [...suspects.values()].map((acc) => {
    const share = totalIncrease > 0 ? acc.creditMs / totalIncrease : 0;
    const strength = STRENGTH[acc.evidence];
    const rankTested = acc.methods.size === 1 && acc.methods.has('mann-whitney');
    let confidence: Confidence = 'low';
    if (!diff.costShift) {
      if (strength >= 4 && share >= 0.5 && rankTested) confidence = 'high';
      else if (
        (strength >= 3 && share >= 0.2 && !acc.methods.has('poisson')) ||
        (strength >= 4 && share >= 0.5)
      )
        confidence = 'medium';
    }
    const t = acc.target;
    const suspect: Suspect = {
      kind: t.kind,
      name: t.name,
      linesKnown: t.linesKnown,
      creditMs: acc.creditMs,
      share,
      evidence: acc.evidence,
      confidence,
      contributions: acc.contributions.sort((a, b) => b.creditMs - a.creditMs),
    };
    if (t.file !== undefined) suspect.file = t.file;
    if (t.fn !== undefined) {
      suspect.line = t.fn.startLine;
      suspect.endLine = t.fn.endLine;
      suspect.changedLines = t.fn.changedLines.slice(0, 50);
    }
    if (t.upgrades !== undefined) suspect.upgrades = t.upgrades;
    if (acc.samplesOnChangedLines > 0) suspect.samplesOnChangedLines = acc.samplesOnChangedLines;
    return suspect;
  });
  list.sort((a, b) => b.creditMs - a.creditMs || a.name.localeCompare(b.name));
  result.suspects = list.slice(0, maxSuspects);
  const unattributedMs = Math.max(0, totalIncrease - attributedTotal);
  result.unattributed = {
    ms: unattributedMs,
    share: totalIncrease > 0 ? unattributedMs / totalIncrease : null,
    functions: unattributedFns.sort((a, b) => b.ms - a.ms).slice(0, 10),
  };
  if (regressed.length > 0 && input.changes === undefined) {
    result.notes.push('Functions regressed, but without the PR diff they cannot be tied to changed code.');
  }
}

/** Off-CPU regressions: latency up while CPU per request is flat. Low-confidence phase-name hints. */
function finishOffCpu(input: AttributionInput, result: AttributionResult, code: CodeContext): void {
  const grown = (result.phases ?? []).filter((r) => r.latencyShiftMs > 0);
  if (grown.length === 0) return;
  const cpuFlat = result.cpu === undefined || !result.cpu.significant || result.cpu.deltaMs <= 0;
  if (!cpuFlat) return;
  result.offCpu = true;
  result.notes.push(
    result.cpu === undefined
      ? 'Latency grew; without CPU profiles only the Server-Timing phases can say where.'
      : 'Latency grew but CPU per request did not: the time is spent waiting (I/O, database, downstream ' +
          'calls, locks), which a CPU profile cannot show. Look at the Server-Timing phases.',
  );
  // A changed function that names a grown phase (`timing.time('db', …)`) is worth a look.
  if (input.changes === undefined) return;
  for (const request of grown) {
    for (const phase of request.phases) {
      if (phase.envelope || phase.shiftMs <= 0 || (phase.explainsShare ?? 0) < 0.2) continue;
      const quoted = [`'${phase.phase}'`, `"${phase.phase}"`, `\`${phase.phase}\``];
      for (const [path, file] of code.changedByPath) {
        if (!file.linesKnown) continue;
        const src = code.source(path);
        if (src === null) continue;
        for (const fn of code.changedFns(path)) {
          if (fn.name === MODULE_FUNCTION_NAME) continue;
          const text = src.text.slice(fn.start, fn.end);
          if (quoted.some((q) => text.includes(q))) {
            result.phaseHints.push({
              phase: phase.phase,
              requestName: request.requestName,
              function: fn.qualifiedName || '(anonymous)',
              file: path,
              line: fn.startLine,
            });
          }
        }
      }
    }
  }
}
