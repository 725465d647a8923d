// A Node service perf-gate starts with `service.cpuProfile`: each trial is profiled over its inspector and
// stored with the run and the baseline (latest only), and a later gate attributes the CPU regression to
// the function that got slower, from the stored baseline's profiles and the candidate's.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRunResult } from '../../src/store/codec/run-result-codec.ts';
import { REGRESSED_FUNCTION } from '../../src/demo/fees.ts';
import { runCli } from '../helpers/cli.ts';
import { freePort } from '../helpers/net.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function config(port: number, variant: string): string {
  return [
    `target: http://127.0.0.1:${port}`,
    'service:',
    `  command: ['${process.execPath}', '--import', 'tsx', 'src/demo/main.ts', '--variant', '${variant}', '--port', '${port}']`,
    `  cwd: '${ROOT}'`,
    '  cpuProfile: true',
    // Six engineers share two cores: a lagging generator must not drop trials from this outcome test.
    'generator: { maxCpu: 1, maxEventLoopDelay: 500ms }',
    'defaults:',
    '  trials: 5',
    '  warmup: 300ms',
    '  pause: 50ms',
    '  load: { model: closed, connections: 4, duration: 500ms }',
    '',
  ].join('\n');
}

describe('CPU profiles of a service perf-gate starts', () => {
  it('stores per-trial profiles with the baseline and attributes a CPU regression to the slowed function', async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-prof-'));
    mkdirSync(path.join(dir, 'scenarios'));
    writeFileSync(
      path.join(dir, 'scenarios/quote.yml'),
      'name: quote\nrequests:\n  - name: quote\n    path: /api/quote?amount=12500&currency=USD\n',
    );
    writeFileSync(path.join(dir, 'perf-gate.yml'), config(port, 'baseline'));
    const run = await runCli(['run'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const measured = decodeRunResult(readFileSync(path.join(dir, '.perf-gate/run.json'), 'utf8'), 'run.json');
    const profiles = measured.scenarios[0]!.profiles!;
    expect(profiles).toHaveLength(5);
    expect(profiles.every((p) => p !== null && p.samples > 0)).toBe(true);

    // Default generator limits on a loaded runner may invalidate a trial; this test is about profiles.
    expect(
      (await runCli(['baseline', 'save', '--branch', 'main', '--allow-invalid'], { cwd: dir })).code,
    ).toBe(0);
    const branchDir = path.join(dir, '.perf-gate/baselines/main');
    expect(readFileSync(path.join(branchDir, 'latest.json'), 'utf8')).toContain('"profiles"');
    const history = readdirSync(path.join(branchDir, 'history'));
    expect(readFileSync(path.join(branchDir, 'history', history[0]!), 'utf8')).not.toContain('"profiles"');

    writeFileSync(path.join(dir, 'perf-gate.yml'), config(port, 'regressed'));
    const gate = await runCli(['gate', '--branch', 'main'], { cwd: dir });
    expect(gate.code, gate.stderr + gate.stdout).toBe(1);
    const report = JSON.parse(readFileSync(path.join(dir, '.perf-gate/report.json'), 'utf8'));
    expect(report.attribution.profileTrials).toEqual({ baseline: 5, candidate: 5 });
    expect(report.attribution.cpu.significant).toBe(true);
    // The slowed function leads the repository's regressed functions. Native frames are left out: V8
    // charges socket writes to `writev` unevenly between processes (docs/attribution.md, "Limits"), so it
    // can top the raw list; with a diff it is only ever a low-confidence suspect.
    const inRepo = report.attribution.regressed.filter((r: { inRepo: boolean }) => r.inRepo);
    expect(inRepo[0]).toMatchObject({
      name: REGRESSED_FUNCTION.name,
      file: REGRESSED_FUNCTION.file,
    });
  });
});
