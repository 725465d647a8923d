// A profile model as plain JSON, so per-trial profiles travel inside a RunResult and the baseline's
// profiles are stored with the baseline. Only what attribution reads is kept: the function table, the
// stack trie with its self time and samples, the per-line samples, and the totals. Pure.
import type { StoredProfile } from '../contracts/run-result.ts';
import type { ProfileFunction, ProfileModel } from './profile-model.ts';

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function encodeProfile(m: ProfileModel): StoredProfile {
  return {
    format: m.format,
    functions: m.functions.map((f) => [f.name, f.url, f.line, f.column, f.kind]),
    stackParent: Array.from(m.stackParent),
    stackFunction: Array.from(m.stackFunction),
    stackSelfMs: Array.from(m.stackSelfMs, r4),
    stackSelfSamples: Array.from(m.stackSelfSamples),
    lineSamples: [...m.lineSamples].map(([fn, lines]) => [fn, [...lines]]),
    cpuMs: r4(m.cpuMs),
    samples: m.samples,
    idleMs: r4(m.idleMs),
    idleSamples: m.idleSamples,
    wallMs: r4(m.wallMs),
  };
}

/** @throws Error when the arrays disagree in length or point outside the tables. */
export function decodeProfile(s: StoredProfile): ProfileModel {
  const n = s.stackParent.length;
  if (s.stackFunction.length !== n || s.stackSelfMs.length !== n || s.stackSelfSamples.length !== n) {
    throw new Error('stored profile: stack arrays differ in length');
  }
  for (let i = 0; i < n; i++) {
    const p = s.stackParent[i]!;
    const f = s.stackFunction[i]!;
    if (p >= i || p < -1 || f < 0 || f >= s.functions.length)
      throw new Error(`stored profile: bad stack node ${i}`);
  }
  const functions: ProfileFunction[] = s.functions.map(([name, url, line, column, kind]) => ({
    name,
    url,
    line,
    column,
    kind,
  }));
  return {
    format: s.format,
    functions,
    stackParent: Int32Array.from(s.stackParent),
    stackFunction: Int32Array.from(s.stackFunction),
    stackSelfMs: Float64Array.from(s.stackSelfMs),
    stackSelfSamples: Float64Array.from(s.stackSelfSamples),
    lineSamples: new Map(s.lineSamples.map(([fn, lines]) => [fn, new Map(lines)])),
    cpuMs: s.cpuMs,
    samples: s.samples,
    idleMs: s.idleMs,
    idleSamples: s.idleSamples,
    wallMs: s.wallMs,
  };
}
