// Per-trial `.cpuprofile` files given to `perf-gate compare` are moved to their TypeScript sources through
// the source maps next to the profiled scripts, as profiles perf-gate captures itself are.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { perTrialProfileCaptures } from '../../src/usecases/attribution-input.ts';
import type { TrialResult } from '../../src/contracts/run-result.ts';
import { makeCpuProfile } from '../attribution/synthetic.ts';

const SOURCE = [
  '// Pricing.',
  'type Cents = number;',
  '',
  'export function formatPrice(cents: Cents): string {',
  '  return (cents / 100).toFixed(2);',
  '}',
  '',
].join('\n');

const dir = mkdtempSync(path.join(tmpdir(), 'pg-compare-maps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('perTrialProfileCaptures', () => {
  it('maps frames of a tsc build back to the TypeScript source', () => {
    mkdirSync(path.join(dir, 'dist'));
    mkdirSync(path.join(dir, 'profiles'));
    const out = ts.transpileModule(SOURCE, {
      fileName: 'pricing.ts',
      compilerOptions: { sourceMap: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
    });
    const map = JSON.parse(out.sourceMapText!) as { sources: string[] };
    map.sources = ['../src/pricing.ts'];
    writeFileSync(path.join(dir, 'dist/pricing.js'), out.outputText);
    writeFileSync(path.join(dir, 'dist/pricing.js.map'), JSON.stringify(map));
    const js = out.outputText; // ends with `//# sourceMappingURL=pricing.js.map`
    const at = js.indexOf('(', js.indexOf('function formatPrice'));
    const before = js.slice(0, at).split('\n');
    const url = pathToFileURL(path.join(dir, 'dist/pricing.js')).href;
    const frame = { name: 'formatPrice', url, line: before.length, column: before.at(-1)!.length + 1 };
    writeFileSync(
      path.join(dir, 'profiles/trial-1.cpuprofile'),
      makeCpuProfile([{ frames: ['main', frame], samples: 20 }]).json,
    );
    const trials = [{ requests: [{ attempts: 10 }] }] as unknown as TrialResult[];
    const [capture] = perTrialProfileCaptures(path.join(dir, 'profiles'), trials, 'baseline');
    const source = capture!.sources[0]!;
    if (source.format !== 'model') throw new Error(`expected a mapped model, got ${source.format}`);
    expect(source.model.functions.find((f) => f.name === 'formatPrice')).toMatchObject({
      url: pathToFileURL(path.join(dir, 'src/pricing.ts')).href,
      line: 4,
    });
  });
});
