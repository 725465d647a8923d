// Hand-built `.cpuprofile` documents with known answers, for unit tests. Real V8 profiles are captured in
// the integration tests; these pin exact numbers (self/total per function, recursion, windows).

export interface Frame {
  name: string;
  url?: string;
  /** 1-based line/column (written 0-based as V8 does). */
  line?: number;
  column?: number;
}

export interface StackSpec {
  /** Root first, leaf last. */
  frames: (Frame | string)[];
  samples: number;
}

interface Node {
  id: number;
  callFrame: {
    functionName: string;
    scriptId: string;
    url: string;
    lineNumber: number;
    columnNumber: number;
  };
  hitCount: number;
  children: number[];
  positionTicks?: { line: number; ticks: number }[];
}

const asFrame = (f: Frame | string): Frame =>
  typeof f === 'string' ? { name: f, url: 'file:///app/src/a.js', line: 1 } : f;

/**
 * A `.cpuprofile` whose samples follow `stacks` (round-robin so stacks interleave in time), one sample
 * every `intervalUs`, starting at `startUs`. Special frames `(idle)`, `(program)`, `(garbage collector)`
 * may be used as single-frame stacks.
 */
export function makeCpuProfile(
  stacks: readonly StackSpec[],
  { intervalUs = 1000, startUs = 1_000_000, lineTicks = false } = {},
): { json: string; endUs: number } {
  const root: Node = {
    id: 1,
    callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 },
    hitCount: 0,
    children: [],
  };
  const nodes: Node[] = [root];
  const childKey = new Map<string, Node>();
  const leafOf: Node[] = [];
  for (const spec of stacks) {
    let parent = root;
    for (const raw of spec.frames) {
      const f = asFrame(raw);
      const special = f.name.startsWith('(');
      const url = special ? '' : (f.url ?? '');
      const key = `${parent.id}|${f.name}|${url}|${f.line ?? 0}|${f.column ?? 0}`;
      let node = childKey.get(key);
      if (node === undefined) {
        node = {
          id: nodes.length + 1,
          callFrame: {
            functionName: f.name,
            scriptId: special ? '0' : '1',
            url,
            lineNumber: special || f.line === undefined ? -1 : f.line - 1,
            columnNumber: special || f.column === undefined ? (special ? -1 : 0) : f.column - 1,
          },
          hitCount: 0,
          children: [],
        };
        nodes.push(node);
        parent.children.push(node.id);
        childKey.set(key, node);
      }
      parent = node;
    }
    leafOf.push(parent);
  }
  const samples: number[] = [];
  const remaining = stacks.map((s) => s.samples);
  for (let left = remaining.reduce((a, b) => a + b, 0); left > 0;) {
    remaining.forEach((n, i) => {
      if (n > 0) {
        samples.push(leafOf[i]!.id);
        leafOf[i]!.hitCount++;
        remaining[i] = n - 1;
        left--;
      }
    });
  }
  if (lineTicks) {
    for (const n of nodes) {
      if (n.hitCount > 0 && n.callFrame.lineNumber >= 0) {
        n.positionTicks = [{ line: n.callFrame.lineNumber + 2, ticks: n.hitCount }];
      }
    }
  }
  const timeDeltas = samples.map(() => intervalUs);
  const endUs = startUs + intervalUs * (samples.length + 1);
  const json = JSON.stringify({ nodes, startTime: startUs, endTime: endUs, samples, timeDeltas });
  return { json, endUs };
}
