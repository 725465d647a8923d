// Fuzzing CPU profiles: .cpuprofile JSON (V8 inspector) and pprof protobuf. Each input is read into a
// profile model or refused with a ProfileFormatError; a cycle in the node graph or a dangling id
// is an error, never a hang or a crash.
import fc from 'fast-check';
import { Function as PFunction, Line, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { parseCpuProfile } from '../../src/attribution/cpuprofile.ts';
import { parsePprof } from '../../src/attribution/pprof.ts';
import { ProfileFormatError } from '../../src/attribution/profile-model.ts';
import { makeCpuProfile } from '../attribution/synthetic.ts';
import {
  corpus,
  fuzz,
  mutatedBytes,
  mutatedJson,
  mutatedText,
  parsesOrRaises,
  pathological,
} from './fuzz.ts';

const CPUPROFILE = makeCpuProfile([
  { frames: ['main', 'handler', 'fees'], samples: 5 },
  { frames: ['main', { name: 'db', url: 'file:///app/db.js', line: 3 }], samples: 3 },
  { frames: ['(garbage collector)'], samples: 1 },
]).json;

function pprofSample(): Uint8Array {
  const strings = new StringTable();
  const fn = (id: number, name: string) =>
    new PFunction({
      id,
      name: strings.dedup(name),
      systemName: strings.dedup(name),
      filename: strings.dedup('/app/a.js'),
    });
  const functions = [fn(1, 'main'), fn(2, 'handler')];
  const locations = functions.map(
    (f) => new Location({ id: f.id, line: [new Line({ functionId: f.id, line: 3 })] }),
  );
  return new Profile({
    sampleType: [
      new ValueType({ type: strings.dedup('samples'), unit: strings.dedup('count') }),
      new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') }),
    ],
    sample: [
      new Sample({ locationId: [2, 1], value: [3, 3_000_000] }),
      new Sample({ locationId: [1], value: [1, 1_000_000] }),
    ],
    location: locations,
    function: functions,
    stringTable: strings,
    periodType: new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') }),
    period: 1_000_000,
  }).encode();
}
const PPROF = pprofSample();

const checkCpuprofile = (input: string | Uint8Array) => {
  parsesOrRaises(() => parseCpuProfile(input), ProfileFormatError);
};
const checkPprof = (bytes: Uint8Array) => {
  parsesOrRaises(() => parsePprof(bytes), ProfileFormatError);
};

describe('fuzz: .cpuprofile', () => {
  it('the sample parses', () => {
    expect(parseCpuProfile(CPUPROFILE).cpuMs).toBeGreaterThan(0);
  });
  it('profiles with hostile values parse or raise ProfileFormatError', () => {
    fuzz(mutatedJson(JSON.parse(CPUPROFILE)), (v) => checkCpuprofile(JSON.stringify(v)));
  });
  it('profile text with random edits parses or raises ProfileFormatError', () => {
    fuzz(
      mutatedText(CPUPROFILE, fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '-1', '1e999', '\\u0000')),
      checkCpuprofile,
    );
  });
  it('pathological and corpus inputs end', () => {
    for (const text of pathological(['{', '[', '"', '\\', '{"nodes":['], 20_000)) checkCpuprofile(text);
    for (const { bytes } of corpus('cpuprofile')) checkCpuprofile(bytes);
  });
});

describe('fuzz: pprof', () => {
  it('the sample parses', () => {
    expect(parsePprof(PPROF).cpuMs).toBeGreaterThan(0);
  });
  it('byte-mutated protobufs parse or raise ProfileFormatError', () => {
    fuzz(mutatedBytes(PPROF), checkPprof);
  });
  it('arbitrary bytes parse or raise ProfileFormatError', () => {
    fuzz(fc.uint8Array({ maxLength: 300 }), checkPprof);
  });
  it('corpus inputs end', () => {
    for (const { bytes } of corpus('pprof')) checkPprof(bytes);
  });
});
