// The built package imported by its name, as a user's script would: `import { ... } from 'perf-gate'`.
// dist/ is built by `npm ci` (the prepare script); Node resolves the name through package.json's exports.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

const script = `
const pg = await import('perf-gate');
const loaded = await pg.loadConfig({ configPath: 'scenarios/demo/perf-gate.yml', cwd: process.cwd(), env: {}, targetOverride: 'http://127.0.0.1:9' });
const schema = pg.configJsonSchema();
console.log(JSON.stringify({
  functions: Object.entries(pg).filter(([, v]) => typeof v === 'function').map(([k]) => k).sort(),
  exit: pg.EXIT,
  scenarios: loaded.scenarios.map((s) => s.name),
  schemaType: schema.type,
}));
`;

describe('library entry', () => {
  it('is built with its type declarations', () => {
    expect(existsSync(path.join(root, 'dist/index.js'))).toBe(true);
    expect(existsSync(path.join(root, 'dist/index.d.ts'))).toBe(true);
  });

  it('imports by package name and runs the load stage on the shipped demo config', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    const r = JSON.parse(out) as {
      functions: string[];
      exit: Record<string, number>;
      scenarios: string[];
      schemaType: string;
    };
    for (const fn of [
      'loadConfig',
      'measure',
      'startPaired',
      'runGate',
      'compareRuns',
      'decide',
      'createReportJson',
      'renderReport',
      'buildReportModel',
      'FileBaselineStore',
      'GitBranchBaselineStore',
      'decodeRunResult',
      'parseThresholds',
      'ruleFor',
    ]) {
      expect(r.functions).toContain(fn);
    }
    expect(r.exit).toEqual({ pass: 0, gateFailed: 1, usage: 2, targetOrRun: 3 });
    expect(r.scenarios.length).toBeGreaterThan(0);
    expect(r.schemaType).toBe('object');
  });
});
