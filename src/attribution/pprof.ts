// Reader of pprof profiles (profile.proto, decoded with pprof-format) into the per-function model.
//
// Input is the *decompressed* protobuf: on disk pprof is gzip-compressed, and gunzipping is left to the io
// layer (io/read-profile.ts) so this module stays pure. Value: the `cpu`/`nanoseconds` sample type when
// present, else `wall`/`nanoseconds`, else any nanoseconds type, else sample counts × period. Stacks:
// Sample.location_id is leaf first; within a Location, line[] lists inlined frames with the caller last.
// Function identity = name + file + start line (pprof has no column).

import { Profile } from 'pprof-format';
import { ProfileBuilder, ProfileFormatError, classifyFrame } from './profile-model.ts';
import type { ProfileModel } from './profile-model.ts';

type Numeric = number | bigint;

const num = (v: Numeric | undefined): number => (v === undefined ? 0 : Number(v));

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export interface PprofOptions {
  /** Sample type to read (e.g. 'cpu', 'wall'); default picks cpu, then wall, then any nanoseconds type. */
  sampleType?: string;
}

/** Parses a decompressed pprof protobuf. Throws ProfileFormatError on anything unusable. */
export function parsePprof(bytes: Uint8Array, options: PprofOptions = {}): ProfileModel {
  if (bytes.length === 0) throw new ProfileFormatError('empty pprof profile (0 bytes)');
  if (isGzip(bytes)) {
    throw new ProfileFormatError('gzip-compressed pprof: decompress it first (io/read-profile.ts does)');
  }
  let profile: Profile;
  try {
    profile = Profile.decode(bytes);
  } catch (err) {
    throw new ProfileFormatError(`unparsable pprof profile: ${(err as Error).message}`);
  }
  const strings = profile.stringTable.strings;
  const str = (i: Numeric): string => strings[num(i)] ?? '';
  const types = profile.sampleType.map((t) => ({ type: str(t.type), unit: str(t.unit) }));
  if (types.length === 0) throw new ProfileFormatError('pprof profile has no sample types');

  let valueIndex = -1;
  if (options.sampleType !== undefined) {
    valueIndex = types.findIndex((t) => t.type === options.sampleType);
    if (valueIndex < 0) {
      throw new ProfileFormatError(
        `pprof profile has no "${options.sampleType}" sample type (has ${types.map((t) => `${t.type}/${t.unit}`).join(', ')})`,
      );
    }
  } else {
    valueIndex = types.findIndex((t) => t.type === 'cpu' && t.unit === 'nanoseconds');
    if (valueIndex < 0) valueIndex = types.findIndex((t) => t.type === 'wall' && t.unit === 'nanoseconds');
    if (valueIndex < 0) valueIndex = types.findIndex((t) => t.unit === 'nanoseconds');
  }
  const countIndex = types.findIndex((t) => t.unit === 'count');
  const period = num(profile.period);
  const periodUnit = profile.periodType ? str(profile.periodType.unit) : '';
  if (valueIndex < 0 && !(countIndex >= 0 && periodUnit === 'nanoseconds' && period > 0)) {
    throw new ProfileFormatError(
      `pprof profile has no time sample type (has ${types.map((t) => `${t.type}/${t.unit}`).join(', ')})`,
    );
  }
  const nsPerUnit = valueIndex >= 0 ? 1 : period;
  const timeIndex = valueIndex >= 0 ? valueIndex : countIndex;

  const builder = new ProfileBuilder();
  const fnIndexById = new Map<number, number>();
  for (const f of profile.function) {
    const name = str(f.name) || str(f.systemName);
    const url = str(f.filename);
    fnIndexById.set(
      num(f.id),
      builder.addFunction({ name, url, line: num(f.startLine), column: 0, kind: classifyFrame(name, url) }),
    );
  }
  // Location id → its frames leaf first, as [function index, line].
  const framesByLocation = new Map<number, [number, number][]>();
  for (const loc of profile.location) {
    const frames: [number, number][] = [];
    for (const line of loc.line) {
      const fn = fnIndexById.get(num(line.functionId));
      if (fn === undefined) {
        throw new ProfileFormatError(`pprof location ${num(loc.id)} refers to unknown function`);
      }
      frames.push([fn, num(line.line)]);
    }
    if (frames.length === 0) {
      // Unsymbolized location: keep it as an address frame rather than dropping its time.
      const name = `0x${num(loc.address).toString(16)}`;
      frames.push([builder.addFunction({ name, url: '', line: 0, column: 0, kind: 'native' }), 0]);
    }
    framesByLocation.set(num(loc.id), frames);
  }

  const selfMs: number[] = [];
  const selfN: number[] = [];
  const lineSamples = new Map<number, Map<number, number>>();
  let cpuMs = 0;
  let samples = 0;
  let idleMs = 0;
  let idleSamples = 0;
  const path: [number, number][] = [];
  for (const sample of profile.sample) {
    const ms = (num(sample.value[timeIndex]) * nsPerUnit) / 1e6;
    const n = countIndex >= 0 ? num(sample.value[countIndex]) : 1;
    if (ms === 0 && n === 0) continue;
    path.length = 0;
    for (const locId of sample.locationId) {
      const frames = framesByLocation.get(num(locId));
      if (frames === undefined)
        throw new ProfileFormatError(`pprof sample refers to unknown location ${num(locId)}`);
      for (const f of frames) path.push(f);
    }
    if (path.length === 0) continue;
    const leaf = path[0]!;
    if (builder.functions[leaf[0]]!.kind === 'idle') {
      idleMs += ms;
      idleSamples += n;
      continue;
    }
    let node = -1;
    for (let k = path.length - 1; k >= 0; k--) node = builder.child(node, path[k]![0]);
    selfMs[node] = (selfMs[node] ?? 0) + ms;
    selfN[node] = (selfN[node] ?? 0) + n;
    cpuMs += ms;
    samples += n;
    if (leaf[1] > 0) {
      let lines = lineSamples.get(leaf[0]);
      if (lines === undefined) lineSamples.set(leaf[0], (lines = new Map()));
      lines.set(leaf[1], (lines.get(leaf[1]) ?? 0) + n);
    }
  }
  return builder.build('pprof', selfMs, selfN, {
    lineSamples,
    cpuMs,
    samples,
    idleMs,
    idleSamples,
    wallMs: num(profile.durationNanos) / 1e6,
  });
}
