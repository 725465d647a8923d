// Compiled JavaScript → its sources: profile frames of a tsc build or an esbuild bundle are moved to the
// TypeScript file, line and column their source map names, so the diff, the changed-code mapping and the
// report speak of `src/pricing.ts:12`, not `dist/server.js:3408`. Pure: the io layer finds and reads the
// maps (io/source-maps.ts) and hands them in as TraceMaps, whose sources are already resolved to URLs.
//
// A function is placed by its own position (V8 reports where its parameter list starts; the nearest
// mapping at or before it on that line is the header's). Line samples are moved line by line, through the
// first mapping of each generated line; a line that maps into another file (a bundle's neighbour) is
// dropped from the evidence rather than credited to the wrong source.
import {
  GREATEST_LOWER_BOUND,
  LEAST_UPPER_BOUND,
  originalPositionFor,
  type TraceMap,
} from '@jridgewell/trace-mapping';
import type { ProfileFunction, ProfileModel } from './profile-model.ts';

/** The source map of a script URL, or undefined when it has none (or it cannot be read). */
export type SourceMapLookup = (url: string) => TraceMap | undefined;

interface Position {
  source: string;
  line: number;
  column: number;
}

function original(map: TraceMap, line: number, column: number): Position | undefined {
  for (const bias of [GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND] as const) {
    const p = originalPositionFor(map, { line, column, bias });
    if (p.source !== null) return { source: p.source, line: p.line, column: p.column };
  }
  return undefined;
}

/**
 * The model with every frame that has a source map moved to its original source; frames without one are
 * unchanged. Returns the input itself when nothing maps.
 */
export function remapProfile(model: ProfileModel, lookup: SourceMapLookup): ProfileModel {
  let changed = false;
  const maps = new Map<string, TraceMap | undefined>();
  const mapOf = (url: string): TraceMap | undefined => {
    if (!maps.has(url)) {
      let map: TraceMap | undefined;
      try {
        map = lookup(url);
      } catch {
        map = undefined;
      }
      maps.set(url, map);
    }
    return maps.get(url);
  };
  const lineSamples = new Map(model.lineSamples);
  const functions = model.functions.map((fn, index): ProfileFunction => {
    if (fn.kind !== 'js' || fn.url === '' || fn.line <= 0) return fn;
    const map = mapOf(fn.url);
    if (!map) return fn;
    const at = original(map, fn.line, Math.max(0, fn.column - 1));
    if (!at) return fn;
    changed = true;
    const lines = model.lineSamples.get(index);
    if (lines) {
      const moved = new Map<number, number>();
      for (const [line, samples] of lines) {
        const p = original(map, line, 0);
        if (!p || p.source !== at.source) continue;
        moved.set(p.line, (moved.get(p.line) ?? 0) + samples);
      }
      lineSamples.set(index, moved);
    }
    return { ...fn, url: at.source, line: at.line, column: at.column + 1 };
  });
  return changed ? { ...model, functions, lineSamples } : model;
}
