// Baseline vs candidate CPU profiles, per function, in CPU milliseconds per request.
//
// Each trial's profile is normalised by the requests completed while it was recorded, so a uniform
// slowdown shows up even when the candidate served fewer requests (share-of-samples diffs hide it).
// Functions are aligned across versions by name + file (a PR shifts line numbers; anonymous functions
// keep their position in the key). Per function, self and total (inclusive) cost per trial are compared:
//   - ≥ rankTestMinTrials trials per side: two-sided Mann–Whitney U on the per-trial values;
//   - 2 or 3 per side: Welch's t-test on the per-trial values (a rank test cannot reach p < 0.1 there);
//   - fewer: a Poisson two-rate test on pooled sample counts (optimistic: sampling is autocorrelated).
// A change counts when p ≤ alpha and it clears the effect floors (absolute ms/request, share of the total
// CPU change, relative to the function's own baseline cost) and enough samples back it. Benjamini–Hochberg
// q-values are reported but not used to decide: with the few trials a CI run affords, exact rank p-values
// are too coarse to survive a correction over hundreds of functions; the floors keep A/A runs quiet.

import { benjaminiHochbergAdjust } from '../stats/adjust.ts';
import { mannWhitneyU } from '../stats/mann-whitney.ts';
import { normalCdf } from '../stats/normal.ts';
import { welchTTest } from '../stats/welch.ts';
import { groupTimes } from './profile-model.ts';
import type { ProfileModel } from './profile-model.ts';
import type { FrameKind } from '../contracts/run-result.ts';

export interface TrialProfile {
  model: ProfileModel;
  /** Requests completed while the profile (or its window) was recorded; > 0. */
  requests: number;
}

export interface ProfileDiffOptions {
  /**
   * Maps a frame URL to the path used to align functions across sides, per side (default: the URL).
   * Baseline and candidate often run from different checkouts (/tmp/a/src/x.ts vs /tmp/b/src/x.ts):
   * map both to repository-relative paths.
   */
  urlKey?: { baseline?: (url: string) => string; candidate?: (url: string) => string };
  /** Significance level of the per-function test (default 0.05). */
  alpha?: number;
  /** Trials per side from which the Mann–Whitney test is used (default 4). */
  rankTestMinTrials?: number;
  /** Smallest change worth reporting, CPU-ms per request (default 0.01). */
  minDeltaMsPerRequest?: number;
  /** Smallest change as a share of |total CPU change| (default 0.02). */
  minShareOfChange?: number;
  /** Smallest change relative to the function's baseline cost (default 0.1); appeared functions pass. */
  minRelativeChange?: number;
  /** Fewest samples (both sides pooled) behind a reported change (default 10). */
  minSamples?: number;
}

export type ChangeClass = 'appeared' | 'grew' | 'shrank' | 'disappeared' | 'unchanged';
export type TestMethod = 'mann-whitney' | 'welch' | 'poisson';

export interface DiffFunction {
  /** Index in ProfileDiff.functions (stack tries refer to it). */
  index: number;
  /** Alignment key: kind + name + file (+ position for anonymous functions). */
  key: string;
  name: string;
  url: string;
  kind: FrameKind;
  /** Start line/column of the heaviest position (candidate side first); 0 when unknown. */
  line: number;
  column: number;
  /** Distinct positions seen, heaviest first (at most 8); same-name functions of one file share a key. */
  positions: { line: number; column: number }[];
  /** Per-trial CPU-ms per request, for trial-level tests. */
  baselineSelf: number[];
  candidateSelf: number[];
  baselineTotal: number[];
  candidateTotal: number[];
  /** Means over trials, CPU-ms per request. */
  baselineSelfMs: number;
  candidateSelfMs: number;
  deltaSelfMs: number;
  baselineTotalMs: number;
  candidateTotalMs: number;
  deltaTotalMs: number;
  /** deltaSelfMs / total CPU increase, when CPU per request increased; else null. */
  shareOfIncrease: number | null;
  /** Candidate self samples per source line as the profiler reported lines (top 32), evidence only. */
  candidateLineSamples: [number, number][];
  /** Pooled self samples per side. */
  baselineSamples: number;
  candidateSamples: number;
  /** Test of the self cost; q is the Benjamini–Hochberg value over all functions (information only). */
  p: number;
  q: number;
  pTotal: number;
  method: TestMethod;
  status: ChangeClass;
  /** The same classification on inclusive time (a caller whose callees got slower). */
  totalStatus: ChangeClass;
}

/** Stack trie over DiffFunction indexes; weight = mean self CPU-ms per request with exactly this stack. */
export interface StackTrie {
  parent: Int32Array;
  fn: Int32Array;
  weight: Float64Array;
}

export interface CpuChange {
  baselineTrialMs: number[];
  candidateTrialMs: number[];
  baselineMs: number;
  candidateMs: number;
  deltaMs: number;
  /** deltaMs / baselineMs (null when the baseline is 0). */
  relative: number | null;
  p: number;
  method: TestMethod;
  significant: boolean;
}

export interface ProfileDiff {
  trials: { baseline: number; candidate: number };
  method: TestMethod;
  /** Total (non-idle) CPU per request. */
  cpu: CpuChange;
  /** Every function seen, largest self increase first. */
  functions: DiffFunction[];
  /** Significant self-time changes (status ≠ unchanged), largest increase first. */
  changed: DiffFunction[];
  /** CPU per request did not change significantly, yet functions grew: cost moved, it did not grow. */
  costShift: boolean;
  baselineStacks: StackTrie;
  candidateStacks: StackTrie;
  options: ResolvedDiffOptions;
}

export type ResolvedDiffOptions = Required<Omit<ProfileDiffOptions, 'urlKey'>>;

export const DEFAULT_PROFILE_DIFF_OPTIONS: ResolvedDiffOptions = {
  alpha: 0.05,
  rankTestMinTrials: 4,
  minDeltaMsPerRequest: 0.01,
  minShareOfChange: 0.02,
  minRelativeChange: 0.1,
  minSamples: 10,
};

function alignKey(kind: FrameKind, name: string, url: string, line: number, column: number): string {
  return name !== ''
    ? `${kind}\u0000${name}\u0000${url}`
    : `${kind}\u0000\u0000${url}\u0000${line}:${column}`;
}

const meanOf = (xs: readonly number[]): number =>
  xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;

function chooseMethod(nb: number, nc: number, rankMin: number): TestMethod {
  if (nb >= rankMin && nc >= rankMin) return 'mann-whitney';
  if (nb >= 2 && nc >= 2) return 'welch';
  return 'poisson';
}

/** Two-sided Poisson two-rate test of counts a/ra (baseline) vs b/rb (candidate). */
function poissonP(a: number, ra: number, b: number, rb: number): number {
  if (a + b === 0) return 1;
  const se = Math.sqrt(b / (rb * rb) + a / (ra * ra));
  if (!(se > 0)) return 1;
  const z = (b / rb - a / ra) / se;
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

function trialTest(
  method: TestMethod,
  base: readonly number[],
  cand: readonly number[],
  counts: { a: number; ra: number; b: number; rb: number },
): number {
  if (method === 'mann-whitney') return mannWhitneyU(cand, base, { alternative: 'two-sided' }).p;
  if (method === 'welch') {
    const same = base.every((x) => x === base[0]) && cand.every((x) => x === cand[0]);
    if (!same) return welchTTest(cand, base, 'two-sided').p;
    if (base[0] === cand[0]) return 1;
    // Both sides constant but different (e.g. never seen vs seen): only the counts can speak.
  }
  return poissonP(counts.a, counts.ra, counts.b, counts.rb);
}

interface Group {
  key: string;
  name: string;
  url: string;
  kind: FrameKind;
  positions: Map<string, { line: number; column: number; candidate: number; baseline: number }>;
  hotLines: Map<number, number>;
}

/**
 * Compares baseline and candidate trial profiles. Throws RangeError when a side has no trial or a trial
 * has no completed request (the top-level `attribute` turns that into a "missing" result).
 */
export function diffProfiles(
  baseline: readonly TrialProfile[],
  candidate: readonly TrialProfile[],
  options: ProfileDiffOptions = {},
): ProfileDiff {
  const { urlKey, ...numeric } = options;
  const opts: ResolvedDiffOptions = { ...DEFAULT_PROFILE_DIFF_OPTIONS, ...numeric };
  const keyUrl = {
    baseline: urlKey?.baseline ?? ((u: string) => u),
    candidate: urlKey?.candidate ?? ((u: string) => u),
  };
  if (baseline.length === 0 || candidate.length === 0) {
    throw new RangeError(
      `diffProfiles: need profiles on both sides (${baseline.length} baseline, ${candidate.length} candidate)`,
    );
  }
  for (const t of [...baseline, ...candidate]) {
    if (!(t.requests > 0)) throw new RangeError('diffProfiles: a trial profile has no completed request');
  }
  const method = chooseMethod(baseline.length, candidate.length, opts.rankTestMinTrials);

  // Global function groups.
  const groups: Group[] = [];
  const groupIndex = new Map<string, number>();
  const groupOfTrial = (t: TrialProfile, side: 'baseline' | 'candidate'): Int32Array => {
    const { functions } = t.model;
    const map = new Int32Array(functions.length);
    // Self time per function of this trial, to weigh positions.
    const fnSelf = new Float64Array(functions.length);
    for (let i = 0; i < t.model.stackFunction.length; i++)
      fnSelf[t.model.stackFunction[i]!]! += t.model.stackSelfMs[i]!;
    functions.forEach((fn, i) => {
      const key = alignKey(fn.kind, fn.name, keyUrl[side](fn.url), fn.line, fn.column);
      let g = groupIndex.get(key);
      if (g === undefined) {
        g = groups.length;
        groups.push({
          key,
          name: fn.name,
          url: fn.url,
          kind: fn.kind,
          positions: new Map(),
          hotLines: new Map(),
        });
        groupIndex.set(key, g);
      }
      map[i] = g;
      // Report the head (candidate) URL: that is where the changed code is.
      if (side === 'candidate') groups[g]!.url = fn.url;
      const posKey = `${fn.line}:${fn.column}`;
      const positions = groups[g]!.positions;
      let pos = positions.get(posKey);
      if (pos === undefined && positions.size < 64) {
        positions.set(posKey, (pos = { line: fn.line, column: fn.column, candidate: 0, baseline: 0 }));
      }
      if (pos !== undefined) pos[side] += fnSelf[i]! / t.requests + 1e-12;
    });
    if (side === 'candidate') {
      for (const [f, lines] of t.model.lineSamples) {
        const hot = groups[map[f]!]!.hotLines;
        for (const [line, n] of lines)
          if (hot.size < 256 || hot.has(line)) hot.set(line, (hot.get(line) ?? 0) + n);
      }
    }
    return map;
  };
  const baseMaps = baseline.map((t) => groupOfTrial(t, 'baseline'));
  const candMaps = candidate.map((t) => groupOfTrial(t, 'candidate'));
  const G = groups.length;

  const perTrial = (trials: readonly TrialProfile[], maps: Int32Array[]) =>
    trials.map((t, k) => {
      const times = groupTimes(t.model, maps[k]!, G);
      const r = t.requests;
      return {
        self: times.selfMs.map((x) => x / r),
        total: times.totalMs.map((x) => x / r),
        samples: times.selfSamples,
        totalSamples: times.totalSamples,
      };
    });
  const baseTimes = perTrial(baseline, baseMaps);
  const candTimes = perTrial(candidate, candMaps);
  const ra = baseline.reduce((s, t) => s + t.requests, 0);
  const rb = candidate.reduce((s, t) => s + t.requests, 0);

  // Total CPU per request.
  const baseCpu = baseline.map((t) => t.model.cpuMs / t.requests);
  const candCpu = candidate.map((t) => t.model.cpuMs / t.requests);
  const cpuA = baseline.reduce((s, t) => s + t.model.samples, 0);
  const cpuB = candidate.reduce((s, t) => s + t.model.samples, 0);
  const cpuP = trialTest(method, baseCpu, candCpu, { a: cpuA, ra, b: cpuB, rb });
  const cpuDelta = meanOf(candCpu) - meanOf(baseCpu);
  const cpu: CpuChange = {
    baselineTrialMs: baseCpu,
    candidateTrialMs: candCpu,
    baselineMs: meanOf(baseCpu),
    candidateMs: meanOf(candCpu),
    deltaMs: cpuDelta,
    relative: meanOf(baseCpu) > 0 ? cpuDelta / meanOf(baseCpu) : null,
    p: cpuP,
    method,
    significant: cpuP <= opts.alpha && Math.abs(cpuDelta) >= opts.minDeltaMsPerRequest,
  };

  const classify = (
    p: number,
    base: number,
    delta: number,
    candMean: number,
    samples: number,
  ): ChangeClass => {
    if (!(p <= opts.alpha)) return 'unchanged';
    if (samples < opts.minSamples) return 'unchanged';
    const floor = Math.max(opts.minDeltaMsPerRequest, opts.minShareOfChange * Math.abs(cpuDelta));
    if (Math.abs(delta) < floor) return 'unchanged';
    if (base > 0 && Math.abs(delta) < opts.minRelativeChange * base) return 'unchanged';
    if (delta > 0) return base === 0 ? 'appeared' : 'grew';
    return candMean === 0 ? 'disappeared' : 'shrank';
  };

  const functions: DiffFunction[] = [];
  for (let g = 0; g < G; g++) {
    const group = groups[g]!;
    const bSelf = baseTimes.map((t) => t.self[g]!);
    const cSelf = candTimes.map((t) => t.self[g]!);
    const bTotal = baseTimes.map((t) => t.total[g]!);
    const cTotal = candTimes.map((t) => t.total[g]!);
    const a = baseTimes.reduce((s, t) => s + t.samples[g]!, 0);
    const b = candTimes.reduce((s, t) => s + t.samples[g]!, 0);
    const aT = baseTimes.reduce((s, t) => s + t.totalSamples[g]!, 0);
    const bT = candTimes.reduce((s, t) => s + t.totalSamples[g]!, 0);
    if (a + b === 0 && aT + bT === 0) continue;
    const p = trialTest(method, bSelf, cSelf, { a, ra, b, rb });
    const pTotal = trialTest(method, bTotal, cTotal, { a: aT, ra, b: bT, rb });
    const baselineSelfMs = meanOf(bSelf);
    const candidateSelfMs = meanOf(cSelf);
    const baselineTotalMs = meanOf(bTotal);
    const candidateTotalMs = meanOf(cTotal);
    const deltaSelfMs = candidateSelfMs - baselineSelfMs;
    const deltaTotalMs = candidateTotalMs - baselineTotalMs;
    const positions = [...group.positions.values()]
      .sort((x, y) => y.candidate - x.candidate || y.baseline - x.baseline)
      .slice(0, 8)
      .map(({ line, column }) => ({ line, column }));
    functions.push({
      index: -1,
      key: group.key,
      name: group.name,
      url: group.url,
      kind: group.kind,
      line: positions[0]?.line ?? 0,
      column: positions[0]?.column ?? 0,
      positions,
      baselineSelf: bSelf,
      candidateSelf: cSelf,
      baselineTotal: bTotal,
      candidateTotal: cTotal,
      baselineSelfMs,
      candidateSelfMs,
      deltaSelfMs,
      baselineTotalMs,
      candidateTotalMs,
      deltaTotalMs,
      shareOfIncrease: cpuDelta > 0 ? deltaSelfMs / cpuDelta : null,
      candidateLineSamples: [...group.hotLines].sort((x, y) => y[1] - x[1]).slice(0, 32),
      baselineSamples: a,
      candidateSamples: b,
      p,
      q: p,
      pTotal,
      method,
      status: classify(p, baselineSelfMs, deltaSelfMs, candidateSelfMs, a + b),
      totalStatus: classify(pTotal, baselineTotalMs, deltaTotalMs, candidateTotalMs, aT + bT),
    });
  }
  const qs = functions.length > 0 ? benjaminiHochbergAdjust(functions.map((f) => f.p)) : [];
  functions.forEach((f, i) => (f.q = qs[i]!));
  functions.sort(
    (x, y) => y.deltaSelfMs - x.deltaSelfMs || y.deltaTotalMs - x.deltaTotalMs || (x.key < y.key ? -1 : 1),
  );
  const groupToIndex = new Int32Array(G).fill(-1);
  functions.forEach((f, i) => {
    f.index = i;
    groupToIndex[groupIndex.get(f.key)!] = i;
  });

  const grewSum = functions
    .filter((f) => f.status === 'grew' || f.status === 'appeared')
    .reduce((s, f) => s + f.deltaSelfMs, 0);
  const costShift = !cpu.significant && grewSum > 0 && Math.abs(cpuDelta) < 0.5 * grewSum;

  return {
    trials: { baseline: baseline.length, candidate: candidate.length },
    method,
    cpu,
    functions,
    changed: functions.filter((f) => f.status !== 'unchanged'),
    costShift,
    baselineStacks: sideTrie(baseline, baseMaps, groupToIndex),
    candidateStacks: sideTrie(candidate, candMaps, groupToIndex),
    options: opts,
  };
}

/** Merges a side's trial tries over diff-function indexes; weights are mean self CPU-ms per request. */
function sideTrie(trials: readonly TrialProfile[], maps: Int32Array[], groupToIndex: Int32Array): StackTrie {
  const parent: number[] = [];
  const fn: number[] = [];
  const weight: number[] = [];
  const index = new Map<string, number>();
  trials.forEach((t, k) => {
    const m = t.model;
    const nodeMap = new Int32Array(m.stackParent.length);
    for (let i = 0; i < m.stackParent.length; i++) {
      const p = m.stackParent[i]!;
      const f = groupToIndex[maps[k]![m.stackFunction[i]!]!]!;
      const parentNode = p < 0 ? -1 : nodeMap[p]!;
      const key = `${parentNode},${f}`;
      let node = index.get(key);
      if (node === undefined) {
        node = parent.length;
        parent.push(parentNode);
        fn.push(f);
        weight.push(0);
        index.set(key, node);
      }
      nodeMap[i] = node;
      weight[node]! += m.stackSelfMs[i]! / t.requests / trials.length;
    }
  });
  return { parent: Int32Array.from(parent), fn: Int32Array.from(fn), weight: Float64Array.from(weight) };
}
