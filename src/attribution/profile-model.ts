// The per-function CPU profile model shared by the `.cpuprofile` and pprof readers.
//
// A profile is reduced to a table of functions and a stack trie over function indexes: each trie node is a
// distinct call path (root first) and carries the CPU time and sample count observed with exactly that
// stack. Everything downstream (self/total per function, per-request normalisation, ancestors for
// attribution, folded stacks) derives from this trie, so memory is proportional to distinct call paths
// and functions, never to the number of samples.

import type { FrameKind } from '../contracts/run-result.ts';

export interface ProfileFunction {
  /** '' for anonymous functions. */
  name: string;
  /** Script URL or file name as the profiler reported it ('' for natives). */
  url: string;
  /** 1-based start line of the function; 0 when unknown. */
  line: number;
  /** 1-based start column; 0 when unknown (pprof has none). */
  column: number;
  kind: FrameKind;
}

export interface ProfileModel {
  format: 'cpuprofile' | 'pprof';
  functions: ProfileFunction[];
  /** Trie node i: parent node index (-1 for a root) and function index. Parents precede children. */
  stackParent: Int32Array;
  stackFunction: Int32Array;
  /** CPU milliseconds and samples observed with exactly this stack (leaf = the node's function). */
  stackSelfMs: Float64Array;
  stackSelfSamples: Float64Array;
  /** Self samples per source line (1-based, as the profiler reports it) per function index; evidence only. */
  lineSamples: Map<number, Map<number, number>>;
  /** Non-idle CPU time and samples in the profile (or window). */
  cpuMs: number;
  samples: number;
  idleMs: number;
  idleSamples: number;
  /** Wall-clock span the model covers, milliseconds. */
  wallMs: number;
}

/** Special frames: `(idle)` is excluded from CPU time, `(program)` and `(garbage collector)` stay as rows. */
export function classifyFrame(name: string, url: string): FrameKind {
  switch (name) {
    case '(idle)':
      return 'idle';
    case '(program)':
    case 'runtime._System':
    case 'runtime._ExternalCode':
    case 'runtime._VDSO':
      return 'program';
    case '(garbage collector)':
    case 'runtime._GC':
      return 'gc';
  }
  return url === '' ? 'native' : 'js';
}

/** Exact identity of a profile function: name + file + start line (+ column when the profiler gives one). */
export function functionKey(fn: ProfileFunction): string {
  return `${fn.name}\u0000${fn.url}\u0000${fn.line}\u0000${fn.column}`;
}

/** Incremental builder of the function table and the stack trie. */
export class ProfileBuilder {
  readonly functions: ProfileFunction[] = [];
  private readonly functionIndex = new Map<string, number>();
  readonly parent: number[] = [];
  readonly func: number[] = [];
  private readonly childIndex = new Map<string, number>();

  addFunction(fn: ProfileFunction): number {
    const key = functionKey(fn);
    let index = this.functionIndex.get(key);
    if (index === undefined) {
      index = this.functions.length;
      this.functions.push(fn);
      this.functionIndex.set(key, index);
    }
    return index;
  }

  /** Trie node for `fnIndex` called from trie node `parent` (-1: a root frame). */
  child(parent: number, fnIndex: number): number {
    const key = `${parent},${fnIndex}`;
    let node = this.childIndex.get(key);
    if (node === undefined) {
      node = this.parent.length;
      this.parent.push(parent);
      this.func.push(fnIndex);
      this.childIndex.set(key, node);
    }
    return node;
  }

  get nodeCount(): number {
    return this.parent.length;
  }

  /** The model of this trie, with the self time and samples per trie node (missing nodes count 0). */
  build(
    format: ProfileModel['format'],
    selfMs: readonly (number | undefined)[],
    selfSamples: readonly (number | undefined)[],
    rest: Pick<ProfileModel, 'lineSamples' | 'cpuMs' | 'samples' | 'idleMs' | 'idleSamples' | 'wallMs'>,
  ): ProfileModel {
    const n = this.nodeCount;
    return {
      format,
      functions: this.functions,
      stackParent: Int32Array.from(this.parent),
      stackFunction: Int32Array.from(this.func),
      stackSelfMs: Float64Array.from({ length: n }, (_, i) => selfMs[i] ?? 0),
      stackSelfSamples: Float64Array.from({ length: n }, (_, i) => selfSamples[i] ?? 0),
      ...rest,
    };
  }
}

export interface GroupTimes {
  selfMs: Float64Array;
  totalMs: Float64Array;
  selfSamples: Float64Array;
  totalSamples: Float64Array;
}

/** Children of each trie node in CSR form (offsets into `children`). */
function childLists(parent: Int32Array): { offsets: Int32Array; children: Int32Array } {
  const n = parent.length;
  const offsets = new Int32Array(n + 2);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    offsets[p + 2]!++; // slot 0 is the virtual root (parent -1)
  }
  for (let i = 2; i < n + 2; i++) offsets[i]! += offsets[i - 1]!;
  const fill = offsets.slice(0, n + 1);
  const children = new Int32Array(n);
  for (let i = 0; i < n; i++) children[fill[parent[i]! + 1]!++] = i;
  return { offsets, children };
}

/**
 * Self and total (inclusive) time per group, where `groupOf[f]` maps function index f to a group (identity
 * for per-function figures; coarser keys for cross-profile alignment). Total counts a group once per stack
 * however often it recurses: only its outermost occurrence on a path adds the subtree's time.
 */
export function groupTimes(model: ProfileModel, groupOf: Int32Array, groupCount: number): GroupTimes {
  const { stackParent: parent, stackFunction: func, stackSelfMs: selfMs, stackSelfSamples: selfN } = model;
  const n = parent.length;
  const subMs = Float64Array.from(selfMs);
  const subN = Float64Array.from(selfN);
  for (let i = n - 1; i >= 0; i--) {
    const p = parent[i]!;
    if (p >= 0) {
      subMs[p]! += subMs[i]!;
      subN[p]! += subN[i]!;
    }
  }
  const out: GroupTimes = {
    selfMs: new Float64Array(groupCount),
    totalMs: new Float64Array(groupCount),
    selfSamples: new Float64Array(groupCount),
    totalSamples: new Float64Array(groupCount),
  };
  for (let i = 0; i < n; i++) {
    const g = groupOf[func[i]!]!;
    out.selfMs[g]! += selfMs[i]!;
    out.selfSamples[g]! += selfN[i]!;
  }
  // Iterative DFS with an on-stack counter per group, so recursion is counted once.
  const { offsets, children } = childLists(parent);
  const onStack = new Int32Array(groupCount);
  const stack: number[] = [];
  const cursor: number[] = [];
  const visit = (node: number): void => {
    const g = groupOf[func[node]!]!;
    if (onStack[g] === 0) {
      out.totalMs[g]! += subMs[node]!;
      out.totalSamples[g]! += subN[node]!;
    }
    onStack[g]!++;
    stack.push(node);
    cursor.push(offsets[node + 1]!);
  };
  for (let r = offsets[0]!; r < offsets[1]!; r++) {
    visit(children[r]!);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const node = stack[top]!;
      const next = cursor[top]!;
      if (next < offsets[node + 2]!) {
        cursor[top] = next + 1;
        visit(children[next]!);
      } else {
        onStack[groupOf[func[node]!]!]!--;
        stack.pop();
        cursor.pop();
      }
    }
  }
  return out;
}

export interface FunctionTimes extends ProfileFunction {
  selfMs: number;
  totalMs: number;
  selfSamples: number;
  totalSamples: number;
}

/** Per-function self and total time of one profile, functions with any time only, by self time. */
export function summarizeFunctions(model: ProfileModel): FunctionTimes[] {
  const n = model.functions.length;
  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  const t = groupTimes(model, identity, n);
  const out: FunctionTimes[] = [];
  for (let i = 0; i < n; i++) {
    if (t.totalSamples[i]! === 0 && t.totalMs[i]! === 0) continue;
    out.push({
      ...model.functions[i]!,
      selfMs: t.selfMs[i]!,
      totalMs: t.totalMs[i]!,
      selfSamples: t.selfSamples[i]!,
      totalSamples: t.totalSamples[i]!,
    });
  }
  return out.sort((a, b) => b.selfMs - a.selfMs || b.totalMs - a.totalMs);
}

/** Merges several profiles (e.g. the main thread and a worker of one process) into one model. */
export function mergeProfiles(models: readonly ProfileModel[]): ProfileModel {
  if (models.length === 0) throw new RangeError('mergeProfiles: no profile');
  if (models.length === 1) return models[0]!;
  const b = new ProfileBuilder();
  const selfMs: number[] = [];
  const selfN: number[] = [];
  const lineSamples = new Map<number, Map<number, number>>();
  let cpuMs = 0;
  let samples = 0;
  let idleMs = 0;
  let idleSamples = 0;
  let wallMs = 0;
  for (const m of models) {
    const fnMap = m.functions.map((fn) => b.addFunction(fn));
    const nodeMap = new Int32Array(m.stackParent.length);
    for (let i = 0; i < m.stackParent.length; i++) {
      const p = m.stackParent[i]!;
      const node = b.child(p < 0 ? -1 : nodeMap[p]!, fnMap[m.stackFunction[i]!]!);
      nodeMap[i] = node;
      selfMs[node] = (selfMs[node] ?? 0) + m.stackSelfMs[i]!;
      selfN[node] = (selfN[node] ?? 0) + m.stackSelfSamples[i]!;
    }
    for (const [f, lines] of m.lineSamples) {
      const target = fnMap[f]!;
      let into = lineSamples.get(target);
      if (into === undefined) lineSamples.set(target, (into = new Map()));
      for (const [line, count] of lines) into.set(line, (into.get(line) ?? 0) + count);
    }
    cpuMs += m.cpuMs;
    samples += m.samples;
    idleMs += m.idleMs;
    idleSamples += m.idleSamples;
    wallMs = Math.max(wallMs, m.wallMs);
  }
  return b.build(models[0]!.format, selfMs, selfN, {
    lineSamples,
    cpuMs,
    samples,
    idleMs,
    idleSamples,
    wallMs,
  });
}

/** A reader's failure: what was wrong with the input, never an exception out of the top-level API. */
export class ProfileFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileFormatError';
  }
}
