// Profile frames of compiled JavaScript moved to their TypeScript source through a real tsc source map.
import ts from 'typescript';
import { TraceMap } from '@jridgewell/trace-mapping';
import { describe, expect, it } from 'vitest';
import { parseCpuProfile } from '../../src/attribution/cpuprofile.ts';
import { remapProfile } from '../../src/attribution/source-maps.ts';
import { makeCpuProfile } from './synthetic.ts';

const SOURCE = [
  '// Pricing.',
  'export interface Tier {',
  '  floor: number;',
  '}',
  '',
  'const TIERS: Tier[] = [{ floor: 0 }, { floor: 100 }];',
  '',
  'export function findTier(',
  '  amount: number,',
  '): Tier {',
  '  let best: Tier = TIERS[0]!;',
  '  for (const t of TIERS) if (t.floor <= amount) best = t;',
  '  return best;',
  '}',
  '',
].join('\n');

const JS_URL = 'file:///app/dist/pricing.js';

function compiled(): { js: string; map: TraceMap } {
  const out = ts.transpileModule(SOURCE, {
    fileName: 'pricing.ts',
    compilerOptions: { sourceMap: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
  });
  const map = JSON.parse(out.sourceMapText!) as {
    version: 3;
    sources: string[];
    names: string[];
    mappings: string;
  };
  map.sources = ['../src/pricing.ts'];
  return { js: out.outputText, map: new TraceMap(map, 'file:///app/dist/pricing.js.map') };
}

/** 1-based line and column of the first `(` after `function name` in a text: where V8 places a function. */
function header(text: string, name: string): { line: number; column: number } {
  const at = text.indexOf('(', text.indexOf(`function ${name}`));
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('remapProfile', () => {
  it('moves a tsc-compiled frame and its line samples to the TypeScript source', () => {
    const { js, map } = compiled();
    const at = header(js, 'findTier');
    const { json } = makeCpuProfile(
      [
        { frames: ['main', { name: 'findTier', url: JS_URL, ...at }], samples: 30 },
        { frames: [{ name: 'writev', url: '' }], samples: 5 },
      ],
      { lineTicks: true },
    );
    const model = remapProfile(parseCpuProfile(json), (url) => (url === JS_URL ? map : undefined));
    const index = model.functions.findIndex((f) => f.name === 'findTier');
    expect(model.functions[index]).toMatchObject({
      url: 'file:///app/src/pricing.ts',
      line: 8, // `export function findTier(`: the TypeScript header, not the JavaScript one
    });
    // The sampled JavaScript line after the header is the parameter list's continuation in TypeScript.
    const lines = [...model.lineSamples.get(index)!.keys()];
    expect(lines.every((l) => l >= 8 && l <= 14)).toBe(true);
    // Frames without a map (natives, other scripts) are untouched.
    expect(model.functions.find((f) => f.name === 'main')!.url).toBe('file:///app/src/a.js');
  });

  it('returns the model itself when no frame has a source map', () => {
    const { json } = makeCpuProfile([{ frames: ['main', 'work'], samples: 10 }]);
    const model = parseCpuProfile(json);
    expect(remapProfile(model, () => undefined)).toBe(model);
  });
});
