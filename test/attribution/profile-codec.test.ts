// Stored profiles round-trip exactly (to 0.1 µs), and a damaged one is refused, not misread.
import { describe, expect, it } from 'vitest';
import { parseCpuProfile } from '../../src/attribution/cpuprofile.ts';
import { decodeProfile, encodeProfile } from '../../src/attribution/profile-codec.ts';
import { summarizeFunctions } from '../../src/attribution/profile-model.ts';

// A small .cpuprofile: root -> main -> (hot, cold), with samples spread over them.
const PROFILE = {
  nodes: [
    {
      id: 1,
      callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1, scriptId: '0' },
      children: [2, 5],
    },
    {
      id: 2,
      callFrame: {
        functionName: 'main',
        url: 'file:///app/src/main.js',
        lineNumber: 0,
        columnNumber: 0,
        scriptId: '1',
      },
      children: [3, 4],
    },
    {
      id: 3,
      callFrame: {
        functionName: 'hot',
        url: 'file:///app/src/main.js',
        lineNumber: 9,
        columnNumber: 2,
        scriptId: '1',
      },
      positionTicks: [{ line: 11, ticks: 3 }],
    },
    {
      id: 4,
      callFrame: {
        functionName: 'cold',
        url: 'file:///app/src/main.js',
        lineNumber: 19,
        columnNumber: 2,
        scriptId: '1',
      },
    },
    {
      id: 5,
      callFrame: { functionName: '(idle)', url: '', lineNumber: -1, columnNumber: -1, scriptId: '0' },
    },
  ],
  startTime: 1_000_000,
  endTime: 1_010_000,
  samples: [3, 3, 3, 4, 2, 5, 3, 4],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('stored profiles', () => {
  it('round-trip through JSON', () => {
    const model = parseCpuProfile(JSON.stringify(PROFILE));
    const back = decodeProfile(JSON.parse(JSON.stringify(encodeProfile(model))));
    expect(back.functions).toEqual(model.functions);
    expect(Array.from(back.stackParent)).toEqual(Array.from(model.stackParent));
    expect(Array.from(back.stackSelfSamples)).toEqual(Array.from(model.stackSelfSamples));
    expect(back.samples).toBe(model.samples);
    expect(summarizeFunctions(back)).toEqual(summarizeFunctions(model));
    expect([...back.lineSamples.entries()].map(([k, v]) => [k, [...v]])).toEqual(
      [...model.lineSamples.entries()].map(([k, v]) => [k, [...v]]),
    );
  });

  it('refuses stack arrays that disagree or point outside the function table', () => {
    const stored = encodeProfile(parseCpuProfile(JSON.stringify(PROFILE)));
    expect(() => decodeProfile({ ...stored, stackSelfMs: stored.stackSelfMs.slice(1) })).toThrow(
      /differ in length/,
    );
    expect(() => decodeProfile({ ...stored, stackFunction: stored.stackFunction.map(() => 99) })).toThrow(
      /bad stack node/,
    );
  });
});
