import { describe, expect, it } from 'vitest';
import { scanFunctions } from '../../src/attribution/functions.ts';
import { nameScore, resolveFrames } from '../../src/attribution/resolve.ts';
import type { FrameRef } from '../../src/attribution/resolve.ts';

const source = [
  'export function parse(s) {', // 1
  '  return s.split(",").map((x) => Number(x));', // 2: anonymous arrow
  '}',
  'class A {',
  '  run(x) { return x; }', // 5
  '}',
  'class B {',
  '  run(x) { return x * 2; }', // 8
  '}',
  'export const format = (n) => `${n}`;', // 10
].join('\n');
const fns = scanFunctions(source);
const lineOf = (r: ReturnType<typeof resolveFrames>, id: number) => {
  const fn = r.resolved.get(id)?.fn;
  return fn === undefined ? undefined : fn === 'module' ? 'module' : fn.startLine;
};

describe('resolveFrames', () => {
  it('lines mode: trustworthy V8 positions (header line/column) pick the function, same names included', () => {
    const frames: FrameRef[] = fns.map((f, id) => ({
      id,
      name: f.name,
      line: f.headerLine,
      column: f.headerColumn,
    }));
    const r = resolveFrames(frames, fns);
    expect(r.mode).toBe('lines');
    frames.forEach((f, id) => expect(lineOf(r, id)).toBe(fns[id]!.startLine));
  });

  it('order mode: tsx-style positions (line 1, columns in source order) are aligned by name and order', () => {
    // As under tsx: every frame on line 1, columns increasing in source order; the anonymous arrow is absent.
    const frames: FrameRef[] = [
      { id: 0, name: '', line: 1, column: 1 }, // module top level
      { id: 1, name: 'parse', line: 1, column: 20 },
      { id: 2, name: 'run', line: 1, column: 120 },
      { id: 3, name: 'run', line: 1, column: 180 },
      { id: 4, name: 'format', line: 1, column: 260 },
    ];
    const r = resolveFrames(frames, fns);
    expect(r.mode).toBe('order');
    expect([0, 1, 2, 3, 4].map((id) => lineOf(r, id))).toEqual(['module', 1, 5, 8, 10]);
  });

  it('order mode: the order of neighbours tells apart functions with the same name', () => {
    const src = [
      'function a() {}', // 1
      'const o1 = { run() { return 1; } };', // 2
      'function b() {}', // 3
      'const o2 = { run() { return 2; } };', // 4
      'function c() {}', // 5
    ].join('\n');
    const scanned = scanFunctions(src);
    const frames: FrameRef[] = [
      { id: 1, name: 'b', line: 1, column: 70 },
      { id: 2, name: 'run', line: 1, column: 100 }, // after b: the second run
      { id: 3, name: 'c', line: 1, column: 140 },
    ];
    const r = resolveFrames(frames, scanned);
    expect(r.mode).toBe('order');
    expect([1, 2, 3].map((id) => lineOf(r, id))).toEqual([3, 4, 5]);
  });

  it('name scores: exact, last segment of a dotted V8 name, anonymous pairs', () => {
    expect(nameScore('run', 'run')).toBe(3);
    expect(nameScore('Readable.on', 'on')).toBe(2);
    expect(nameScore('', '')).toBe(1);
    expect(nameScore('', 'x')).toBe(0);
    expect(nameScore('a', 'b')).toBe(0);
  });
});
