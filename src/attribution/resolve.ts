// Profile frames of one file → the source functions they belong to.
//
// V8 reports a function at the position where its parameters start, which the scanner records as the
// header position, so with trustworthy positions a frame is matched by name and header line. Positions are
// not always trustworthy: under tsx (esbuild, whitespace-minified), every frame of a TypeScript module
// reports line 1 and a column in the one-line transpiled text. The transpiled code keeps the source order of
// functions, so frames sorted by (line, column) are aligned with the source functions sorted by header
// offset: a longest-common-subsequence alignment that only pairs equal names (anonymous with anonymous).
// The mode is chosen per file: 'lines' when at least half of the named frames sit exactly on a same-named
// function's header line, else 'order'.

import type { SourceFunction } from './functions.ts';

export interface FrameRef {
  /** Caller's id for the frame (e.g. a DiffFunction index). */
  id: number;
  name: string;
  /** 1-based line and column as the profiler reported them (0: unknown). */
  line: number;
  column: number;
}

export interface FrameResolution {
  /** The source function, or 'module' for the module's top-level code. */
  fn: SourceFunction | 'module';
  how: 'line' | 'order' | 'name';
}

export interface FileResolution {
  mode: 'lines' | 'order';
  resolved: Map<number, FrameResolution>;
}

const lastSegment = (s: string): string => s.slice(s.lastIndexOf('.') + 1);

/** 3: same name; 2: same last segment (`Readable.on` vs `on`); 1: both anonymous; 0: no match. */
export function nameScore(frameName: string, sourceName: string): number {
  if (frameName === '' || sourceName === '') return frameName === sourceName ? 1 : 0;
  if (frameName === sourceName) return 3;
  return lastSegment(frameName) === lastSegment(sourceName) ? 2 : 0;
}

const isModuleFrame = (f: FrameRef): boolean => f.name === '' && f.line <= 1 && f.column <= 1;

export function resolveFrames(
  frames: readonly FrameRef[],
  functions: readonly SourceFunction[],
): FileResolution {
  const resolved = new Map<number, FrameResolution>();
  const rest: FrameRef[] = [];
  for (const f of frames) {
    if (isModuleFrame(f)) resolved.set(f.id, { fn: 'module', how: 'line' });
    else rest.push(f);
  }
  const named = rest.filter((f) => f.name !== '' && f.line > 0);
  const exact = named.filter((f) =>
    functions.some((s) => s.headerLine === f.line && nameScore(f.name, s.name) >= 2),
  );
  const mode: 'lines' | 'order' = named.length > 0 && exact.length * 2 >= named.length ? 'lines' : 'order';

  if (mode === 'lines') {
    for (const f of rest) {
      const candidates = functions.filter((s) => nameScore(f.name, s.name) > 0);
      let best = candidates.find(
        (s) => s.headerLine === f.line && (f.column === 0 || s.headerColumn === f.column),
      );
      best ??= candidates.find((s) => s.headerLine === f.line);
      if (best === undefined && f.line > 0) {
        const containing = candidates.filter((s) => s.startLine <= f.line && f.line <= s.endLine);
        containing.sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine));
        best = containing[0];
      }
      if (best !== undefined) resolved.set(f.id, { fn: best, how: 'line' });
      else if (f.name !== '' && candidates.length === 1)
        resolved.set(f.id, { fn: candidates[0]!, how: 'name' });
    }
    return { mode, resolved };
  }

  // 'order': monotone alignment maximising the summed name scores.
  const P = [...rest].sort((a, b) => a.line - b.line || a.column - b.column);
  const S = [...functions].sort((a, b) => a.headerOffset - b.headerOffset);
  const p = P.length;
  const s = S.length;
  const width = s + 1;
  const score = new Float64Array((p + 1) * width);
  const move = new Uint8Array((p + 1) * width); // 1: skip frame, 2: skip function, 3: match
  for (let i = 1; i <= p; i++) {
    for (let j = 1; j <= s; j++) {
      const up = score[(i - 1) * width + j]!;
      const left = score[i * width + j - 1]!;
      const w = nameScore(P[i - 1]!.name, S[j - 1]!.name);
      const diag = w > 0 ? score[(i - 1) * width + j - 1]! + w : -1;
      let best = up;
      let m = 1;
      if (left > best) {
        best = left;
        m = 2;
      }
      if (diag > best) {
        best = diag;
        m = 3;
      }
      score[i * width + j] = best;
      move[i * width + j] = m;
    }
  }
  for (let i = p, j = s; i > 0 && j > 0;) {
    const m = move[i * width + j]!;
    if (m === 3) {
      resolved.set(P[i - 1]!.id, { fn: S[j - 1]!, how: 'order' });
      i--;
      j--;
    } else if (m === 1) i--;
    else j--;
  }
  // Frames left out of the alignment (reordered code): take a unique exact name match.
  for (const f of P) {
    if (resolved.has(f.id) || f.name === '') continue;
    const same = S.filter((x) => x.name === f.name);
    if (same.length === 1) resolved.set(f.id, { fn: same[0]!, how: 'name' });
  }
  return { mode, resolved };
}
