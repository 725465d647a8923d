// Artifacts of a profile diff:
//   - `diff.folded`: Brendan Gregg's folded stacks with two counts, `frame;frame;leaf baseline candidate`,
//     the input of `flamegraph.pl` for a differential flame graph (what difffolded.pl produces);
//   - a speedscope file (https://www.speedscope.app/file-format-schema.json) with one "sampled" profile per
//     side, loadable in speedscope.app.
// Both use CPU per request (the diff's unit), so a throughput change does not masquerade as a regression.

import type { DiffFunction, ProfileDiff, StackTrie } from './profile-diff.ts';

export interface FoldedOptions {
  /** Count unit: nanoseconds (default) or microseconds of CPU per request, rounded to integers. */
  unit?: 'ns-per-request' | 'us-per-request';
  /** Strip this prefix from file URLs in frame labels (e.g. `file:///home/runner/work/app/app/`). */
  stripPrefix?: string;
}

function shortUrl(url: string, strip: string | undefined): string {
  let u = url;
  if (strip && u.startsWith(strip)) u = u.slice(strip.length);
  return u.replace(/^file:\/\//, '');
}

/** A frame label safe for folded stacks (no ';', no line breaks). */
export function frameLabel(fn: Pick<DiffFunction, 'name' | 'url' | 'line'>, strip?: string): string {
  const name = fn.name === '' ? '(anonymous)' : fn.name;
  const where = fn.url === '' ? '' : ` ${shortUrl(fn.url, strip)}${fn.line > 0 ? `:${fn.line}` : ''}`;
  return `${name}${where}`.replace(/[;\r\n]/g, ':');
}

interface MergedTrie {
  parent: number[];
  fn: number[];
  a: number[];
  b: number[];
  children: number[][];
}

function mergeTries(base: StackTrie, cand: StackTrie): MergedTrie {
  const m: MergedTrie = { parent: [], fn: [], a: [], b: [], children: [] };
  const roots: number[] = [];
  const index = new Map<string, number>();
  const add = (trie: StackTrie, side: 'a' | 'b'): void => {
    const map = new Int32Array(trie.parent.length);
    for (let i = 0; i < trie.parent.length; i++) {
      const p = trie.parent[i]!;
      const parentNode = p < 0 ? -1 : map[p]!;
      const key = `${parentNode},${trie.fn[i]!}`;
      let node = index.get(key);
      if (node === undefined) {
        node = m.parent.length;
        m.parent.push(parentNode);
        m.fn.push(trie.fn[i]!);
        m.a.push(0);
        m.b.push(0);
        m.children.push([]);
        index.set(key, node);
        if (parentNode < 0) roots.push(node);
        else m.children[parentNode]!.push(node);
      }
      map[i] = node;
      m[side][node]! += trie.weight[i]!;
    }
  };
  add(base, 'a');
  add(cand, 'b');
  m.children.push(roots); // virtual root at index length
  return m;
}

/** Depth-first walk over merged stacks; `visit` gets the frame path (root first) of nodes with weight. */
function walk(m: MergedTrie, visit: (path: readonly number[], a: number, b: number) => void): void {
  const path: number[] = [];
  const rootList = m.children[m.children.length - 1]!;
  const stack: { node: number; next: number }[] = [];
  for (const r of rootList) {
    stack.push({ node: r, next: 0 });
    path.push(m.fn[r]!);
    if (m.a[r]! > 0 || m.b[r]! > 0) visit(path, m.a[r]!, m.b[r]!);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const kids = m.children[top.node]!;
      if (top.next < kids.length) {
        const c = kids[top.next++]!;
        stack.push({ node: c, next: 0 });
        path.push(m.fn[c]!);
        if (m.a[c]! > 0 || m.b[c]! > 0) visit(path, m.a[c]!, m.b[c]!);
      } else {
        stack.pop();
        path.pop();
      }
    }
  }
}

/** `diff.folded` text: one line per stack with self time on either side, `stack baseline candidate`. */
export function diffFolded(diff: ProfileDiff, options: FoldedOptions = {}): string {
  const scale = options.unit === 'us-per-request' ? 1e3 : 1e6;
  const labels = diff.functions.map((f) => frameLabel(f, options.stripPrefix));
  const m = mergeTries(diff.baselineStacks, diff.candidateStacks);
  const lines: string[] = [];
  walk(m, (path, a, b) => {
    const ca = Math.round(a * scale);
    const cb = Math.round(b * scale);
    if (ca === 0 && cb === 0) return;
    lines.push(`${path.map((f) => labels[f]!).join(';')} ${ca} ${cb}`);
  });
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

export interface SpeedscopeFrame {
  name: string;
  file?: string;
  line?: number;
  col?: number;
}

export interface SpeedscopeSampledProfile {
  type: 'sampled';
  name: string;
  unit: 'milliseconds';
  startValue: number;
  endValue: number;
  samples: number[][];
  weights: number[];
}

export interface SpeedscopeFile {
  $schema: 'https://www.speedscope.app/file-format-schema.json';
  shared: { frames: SpeedscopeFrame[] };
  profiles: SpeedscopeSampledProfile[];
  name: string;
  activeProfileIndex: number;
  exporter: string;
}

/**
 * A speedscope file with the baseline and the candidate as two sampled profiles (weights: CPU-ms per
 * request, mean over trials). Frames are shared: the same function is the same frame on both sides.
 */
export function speedscopeFile(
  diff: ProfileDiff,
  options: { name?: string; stripPrefix?: string } = {},
): SpeedscopeFile {
  const frames: SpeedscopeFrame[] = diff.functions.map((f) => {
    const frame: SpeedscopeFrame = { name: f.name === '' ? '(anonymous)' : f.name };
    if (f.url !== '') frame.file = shortUrl(f.url, options.stripPrefix);
    if (f.line > 0) frame.line = f.line;
    if (f.column > 0) frame.col = f.column;
    return frame;
  });
  const side = (trie: StackTrie, name: string): SpeedscopeSampledProfile => {
    const samples: number[][] = [];
    const weights: number[] = [];
    const paths = new Map<number, number[]>();
    for (let i = 0; i < trie.parent.length; i++) {
      const p = trie.parent[i]!;
      const path = p < 0 ? [trie.fn[i]!] : [...paths.get(p)!, trie.fn[i]!];
      paths.set(i, path);
      if (trie.weight[i]! > 0) {
        samples.push(path);
        weights.push(trie.weight[i]!);
      }
    }
    const total = weights.reduce((s, w) => s + w, 0);
    return { type: 'sampled', name, unit: 'milliseconds', startValue: 0, endValue: total, samples, weights };
  };
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [
      side(diff.baselineStacks, 'baseline (CPU ms per request)'),
      side(diff.candidateStacks, 'candidate (CPU ms per request)'),
    ],
    name: options.name ?? 'perf-gate profile diff',
    activeProfileIndex: 1,
    exporter: 'perf-gate',
  };
}
