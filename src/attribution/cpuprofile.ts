// Reader of V8 / Node `.cpuprofile` files (Chrome DevTools Protocol `Profiler.Profile`) into the
// per-function model (profile-model.ts).
//
// Format: { nodes: [{ id, callFrame: { functionName, url, lineNumber, columnNumber } (0-based), children?,
// parent?, positionTicks?: [{ line (1-based), ticks }] }], startTime, endTime (µs), samples: node id per
// sample, timeDeltas: µs since the previous sample (the first since startTime) }.
//
// Only `nodes` is JSON-parsed; `samples` and `timeDeltas` are streamed from the bytes with two cursors, so a
// 50 MB profile costs memory for its nodes, not for its millions of samples. A sample's CPU time is the
// interval to the next sample (the last one reuses its own interval); the busy (non-idle) time so measured
// is then shared evenly by the busy samples, so a scheduling gap does not inflate one random function.
// `(root)` is dropped, `(idle)` is counted apart from CPU time, `(program)` and `(garbage collector)` stay
// as their own rows.
//
// Windows (µs on the profile clock, which for Node is the same monotonic clock as process.hrtime) cut one
// profile into several models, e.g. one per trial of a target that ran all trials in one process.

import { ByteCursor, bytesSource, decodeUtf8, readExact } from './bytes.ts';
import type { ByteSource } from './bytes.ts';
import { ProfileBuilder, ProfileFormatError, classifyFrame } from './profile-model.ts';
import type { ProfileModel } from './profile-model.ts';

export interface TimeWindow {
  /** Microseconds on the profile's clock (`startTime`/`endTime` scale). */
  startUs: number;
  endUs: number;
}

export type CpuProfileInput = Uint8Array | string | ByteSource;

interface RawNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
  parent?: number;
  positionTicks?: { line: number; ticks: number }[];
}

interface Ranges {
  nodes?: [number, number];
  samples?: [number, number];
  timeDeltas?: [number, number];
  startTime?: number;
  endTime?: number;
}

function toSource(input: CpuProfileInput): ByteSource {
  if (typeof input === 'string') return bytesSource(new TextEncoder().encode(input));
  if (input instanceof Uint8Array) return bytesSource(input);
  return input;
}

function scanTopLevel(source: ByteSource): Ranges {
  const c = new ByteCursor(source);
  c.skipWhitespace();
  if (c.byte() !== 0x7b) throw new ProfileFormatError('not a .cpuprofile: the input is not a JSON object');
  c.pos++;
  const ranges: Ranges = {};
  for (;;) {
    c.skipWhitespace();
    const b = c.byte();
    if (b === 0x7d) break;
    if (b === 0x2c) {
      c.pos++;
      continue;
    }
    if (b !== 0x22) throw new SyntaxError(`expected a key at byte ${c.pos}`);
    const key = c.readString();
    c.skipWhitespace();
    if (c.byte() !== 0x3a) throw new SyntaxError(`expected ':' at byte ${c.pos}`);
    c.pos++;
    c.skipWhitespace();
    const start = c.pos;
    switch (key) {
      case 'startTime':
        ranges.startTime = c.readNumber();
        break;
      case 'endTime':
        ranges.endTime = c.readNumber();
        break;
      case 'nodes':
      case 'samples':
      case 'timeDeltas':
        c.skipValue();
        ranges[key] = [start, c.pos];
        break;
      default:
        c.skipValue();
    }
  }
  return ranges;
}

function readNodes(source: ByteSource, range: [number, number]): RawNode[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeUtf8(readExact(source, range[0], range[1] - range[0])));
  } catch (err) {
    throw new ProfileFormatError(`unparsable .cpuprofile: "nodes": ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new ProfileFormatError('not a .cpuprofile: "nodes" is not an array');
  const isId = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  for (const n of parsed as RawNode[]) {
    if (
      typeof n !== 'object' ||
      n === null ||
      !isId(n.id) ||
      typeof n.callFrame !== 'object' ||
      n.callFrame === null ||
      typeof n.callFrame.functionName !== 'string'
    ) {
      throw new ProfileFormatError('not a .cpuprofile: a node lacks id or callFrame');
    }
    // A hand-made or truncated profile: ids and links must be what V8 writes (non-negative integers).
    if (n.children !== undefined && !(Array.isArray(n.children) && n.children.every(isId))) {
      throw new ProfileFormatError(`not a .cpuprofile: node ${n.id} has children that are not node ids`);
    }
    if (n.parent !== undefined && !isId(n.parent)) {
      throw new ProfileFormatError(`not a .cpuprofile: node ${n.id} has a parent that is not a node id`);
    }
  }
  return parsed as RawNode[];
}

/** Parses a whole `.cpuprofile` into one model. */
export function parseCpuProfile(input: CpuProfileInput): ProfileModel {
  return parseCpuProfileWindows(input, undefined)[0]!;
}

/**
 * Parses a `.cpuprofile` into one model per window (or one for the whole profile when `windows` is
 * undefined). Throws ProfileFormatError / SyntaxError on malformed input.
 */
export function parseCpuProfileWindows(
  input: CpuProfileInput,
  windows: readonly TimeWindow[] | undefined,
): ProfileModel[] {
  const source = toSource(input);
  if (source.length === 0) throw new ProfileFormatError('empty .cpuprofile (0 bytes)');
  let ranges: Ranges;
  try {
    ranges = scanTopLevel(source);
  } catch (err) {
    if (err instanceof ProfileFormatError) throw err;
    throw new ProfileFormatError(`unparsable .cpuprofile: ${(err as Error).message}`);
  }
  if (ranges.nodes === undefined) throw new ProfileFormatError('not a .cpuprofile: no "nodes"');
  const nodes = readNodes(source, ranges.nodes);
  if (nodes.length === 0) throw new ProfileFormatError('not a .cpuprofile: "nodes" is empty');
  const startTime = ranges.startTime ?? 0;
  const endTime = ranges.endTime ?? startTime;

  // Node id → index (dense array when ids are small, the usual case).
  let maxId = 0;
  for (const n of nodes) maxId = Math.max(maxId, n.id);
  const dense = maxId < 4 * nodes.length + 1024;
  const idArray = dense ? new Int32Array(maxId + 1).fill(-1) : undefined;
  const idMap = dense ? undefined : new Map<number, number>();
  nodes.forEach((n, i) => {
    if (idArray) idArray[n.id] = i;
    else idMap!.set(n.id, i);
  });
  const indexOf = (id: number): number => (idArray ? (idArray[id] ?? -1) : (idMap!.get(id) ?? -1));

  const parentIndex = new Int32Array(nodes.length).fill(-1);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.children) {
      for (const childId of n.children) {
        const c = indexOf(childId);
        if (c < 0) throw new ProfileFormatError(`not a .cpuprofile: unknown child node id ${childId}`);
        parentIndex[c] = i;
      }
    } else if (typeof n.parent === 'number') {
      parentIndex[i] = indexOf(n.parent);
    }
  }

  // Trie node per profile node, parents first (BFS from the roots): -1 = (root), -2 = (idle).
  const builder = new ProfileBuilder();
  const trieOf = new Int32Array(nodes.length).fill(-1);
  const fnOfNode = new Int32Array(nodes.length).fill(-1);
  const childrenOf: number[][] = nodes.map(() => []);
  const order: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    if (parentIndex[i]! < 0) order.push(i);
    else childrenOf[parentIndex[i]!]!.push(i);
  }
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    for (const c of childrenOf[i]!) order.push(c);
    const { functionName: name, url = '', lineNumber = -1, columnNumber = -1 } = nodes[i]!.callFrame;
    const p = parentIndex[i]!;
    if (p < 0 && name === '(root)') {
      trieOf[i] = -1;
      continue;
    }
    const kind = classifyFrame(name, url);
    if (kind === 'idle') {
      trieOf[i] = -2;
      continue;
    }
    const fn = builder.addFunction({
      name,
      url,
      line: lineNumber >= 0 ? lineNumber + 1 : 0,
      column: columnNumber >= 0 ? columnNumber + 1 : 0,
      kind,
    });
    fnOfNode[i] = fn;
    const parentTrie = p < 0 ? -1 : trieOf[p]!;
    trieOf[i] = builder.child(parentTrie < 0 ? -1 : parentTrie, fn);
  }
  if (order.length !== nodes.length)
    throw new ProfileFormatError('not a .cpuprofile: node graph has a cycle');

  const sorted = windows
    ? [...windows].map((w, i) => ({ ...w, i })).sort((a, b) => a.startUs - b.startUs)
    : [];
  const slots = windows ? windows.length : 1;
  const trieCount = builder.nodeCount;
  const selfMs = Array.from({ length: slots }, () => new Float64Array(trieCount));
  const selfN = Array.from({ length: slots }, () => new Float64Array(trieCount));
  const nodeSamples = Array.from({ length: slots }, () => new Float64Array(nodes.length));
  const nodeAll = new Float64Array(nodes.length);
  const idleMs = new Float64Array(slots);
  const idleN = new Float64Array(slots);

  const slotOf = (t: number): number => {
    if (!windows) return 0;
    // The last window starting at or before t (windows are not expected to overlap).
    let lo = 0;
    let hi = sorted.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.startUs <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && t < sorted[found]!.endUs ? sorted[found]!.i : -1;
  };

  // Per profile node during the sample loop (cheap increments); folded into the trie afterwards.
  const nodeUs = Array.from({ length: slots }, () => new Float64Array(nodes.length));
  const nodeUs0 = nodeUs[0]!;
  const nodeN0 = nodeSamples[0]!;
  const record = windows
    ? (nodeIndex: number, t: number, weightUs: number): void => {
        nodeAll[nodeIndex]!++;
        const slot = slotOf(t);
        if (slot < 0) return;
        if (weightUs > 0) nodeUs[slot]![nodeIndex]! += weightUs;
        nodeSamples[slot]![nodeIndex]!++;
      }
    : (nodeIndex: number, _t: number, weightUs: number): void => {
        nodeAll[nodeIndex]!++;
        if (weightUs > 0) nodeUs0[nodeIndex]! += weightUs;
        nodeN0[nodeIndex]!++;
      };

  if (ranges.samples !== undefined) {
    const samplesRange = ranges.samples;
    const idsCursor = () => new ByteCursor(source, samplesRange[0] + 1, samplesRange[1] - 1);
    const nodeOf = (id: number): number => {
      const node = idArray !== undefined ? (id >= 0 && id < idArray.length ? idArray[id]! : -1) : indexOf(id);
      if (node < 0) throw new ProfileFormatError(`not a .cpuprofile: sample refers to unknown node ${id}`);
      return node;
    };
    try {
      if (ranges.timeDeltas === undefined) {
        // No timeDeltas: spread the profile's span evenly over the samples.
        let count = 0;
        for (const ids = idsCursor(); ids.nextArrayNumber() !== undefined;) count++;
        const interval = count > 0 ? (endTime - startTime) / count : 0;
        const ids = idsCursor();
        for (let k = 0; ; k++) {
          const id = ids.nextArrayNumber();
          if (id === undefined) break;
          record(nodeOf(id), startTime + k * interval, interval);
        }
      } else {
        const ids = idsCursor();
        const deltas = new ByteCursor(source, ranges.timeDeltas[0] + 1, ranges.timeDeltas[1] - 1);
        // Each sample is charged the interval up to the next one: record the previous sample on arrival.
        let prevNode = -1;
        let prevT = startTime;
        let prevDelta = 0;
        let t = startTime;
        for (;;) {
          const id = ids.nextArrayNumber();
          if (id === undefined) break;
          const delta = deltas.nextArrayNumber();
          if (delta === undefined)
            throw new ProfileFormatError('not a .cpuprofile: fewer timeDeltas than samples');
          const node = nodeOf(id);
          t += delta;
          if (prevNode >= 0) record(prevNode, prevT, t - prevT);
          prevNode = node;
          prevT = t;
          prevDelta = delta;
        }
        if (prevNode >= 0) record(prevNode, prevT, prevDelta);
      }
    } catch (err) {
      if (err instanceof ProfileFormatError) throw err;
      throw new ProfileFormatError(`unparsable .cpuprofile samples: ${(err as Error).message}`);
    }
  }

  for (let slot = 0; slot < slots; slot++) {
    // Busy samples share the measured busy time evenly: a long gap between two samples (the process was
    // descheduled) must not land on whichever function happened to be sampled before it.
    let busyUs = 0;
    let busyN = 0;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodeSamples[slot]![i]!;
      if (n === 0) continue;
      const trie = trieOf[i]!;
      if (trie === -2) {
        idleMs[slot]! += nodeUs[slot]![i]! / 1000;
        idleN[slot]! += n;
      } else if (trie >= 0) {
        busyUs += nodeUs[slot]![i]!;
        busyN += n;
        selfN[slot]![trie]! += n;
      }
      // Samples on (root) itself carry no function; they are dropped.
    }
    const msPerSample = busyN > 0 ? busyUs / busyN / 1000 : 0;
    const ms = selfMs[slot]!;
    const n = selfN[slot]!;
    for (let k = 0; k < trieCount; k++) ms[k] = n[k]! * msPerSample;
  }

  const stackParent = Int32Array.from(builder.parent);
  const stackFunction = Int32Array.from(builder.func);
  const models: ProfileModel[] = [];
  for (let s = 0; s < slots; s++) {
    // Line ticks are whole-profile counts; scale them to the window by the node's share of samples in it.
    const lineSamples = new Map<number, Map<number, number>>();
    for (let i = 0; i < nodes.length; i++) {
      const ticks = nodes[i]!.positionTicks;
      const fn = fnOfNode[i]!;
      if (!ticks || fn < 0 || nodeAll[i]! === 0) continue;
      const scale = nodeSamples[s]![i]! / nodeAll[i]!;
      if (scale === 0) continue;
      let lines = lineSamples.get(fn);
      if (lines === undefined) lineSamples.set(fn, (lines = new Map()));
      for (const { line, ticks: n } of ticks) lines.set(line, (lines.get(line) ?? 0) + n * scale);
    }
    let cpuMs = 0;
    let samples = 0;
    for (let k = 0; k < trieCount; k++) {
      cpuMs += selfMs[s]![k]!;
      samples += selfN[s]![k]!;
    }
    const w = windows?.[s];
    models.push({
      format: 'cpuprofile',
      functions: builder.functions,
      stackParent,
      stackFunction,
      stackSelfMs: selfMs[s]!,
      stackSelfSamples: selfN[s]!,
      lineSamples,
      cpuMs,
      samples,
      idleMs: idleMs[s]!,
      idleSamples: idleN[s]!,
      wallMs: (w ? w.endUs - w.startUs : endTime - startTime) / 1000,
    });
  }
  return models;
}
