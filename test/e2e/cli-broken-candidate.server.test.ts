// A broken candidate never passes, end to end through the CLI on real sockets: a service that dies
// mid-run is reported with its exit and stderr (exit 3), the run file keeps the trials measured before,
// and comparing that partial run with a healthy baseline fails. And one configuration for every command:
// baseline.dir, output and budgets of perf-gate.yml are honoured by run, baseline save/show, gate,
// compare and report without flags.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRunResult } from '../../src/store/codec/run-result-codec.ts';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { runCli } from '../helpers/cli.ts';
import { freePort } from '../helpers/net.ts';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-broken-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const SCENARIO = 'name: api\nrequests:\n  - name: r\n    path: /delay/2\n';
const defaults = (trials: number) =>
  `defaults:\n  trials: ${trials}\n  warmup: 0s\n  pause: 50ms\n  timeout: 1s\n` +
  '  load: { model: closed, connections: 2, duration: 600ms }\n' +
  // Generous generator limits: these tests are about the target, not the generator.
  'generator:\n  maxCpu: 4\n  maxEventLoopDelay: 1s\n';
const readRun = (file: string) => decodeRunResult(readFileSync(file, 'utf8'), file);

describe('a service that dies mid-run', () => {
  it('is exit 3 with its exit and stderr; the partial run fails against a healthy baseline', async () => {
    const port = await freePort();
    const service = (extra: string) =>
      `target: http://127.0.0.1:${port}\n` +
      `service:\n  command: ['${process.execPath}', '${DELAY_SERVER}', '--port=${port}'${extra}]\n` +
      defaults(6);
    const dir = project({
      'healthy.yml': service(''),
      'dying.yml': service(", '--die-after=1500'"),
      'scenarios/api.yml': SCENARIO,
    });
    const healthy = await runCli(['run', '-c', 'healthy.yml', '-o', 'base.json'], { cwd: dir });
    expect(healthy.code, healthy.stderr).toBe(0);

    const gate = await runCli(['gate', '-c', 'dying.yml', '--branch', 'main'], { cwd: dir });
    expect(gate.code).toBe(3);
    expect(gate.stderr).toMatch(/candidate api trial \d\/6: target failing: .*connection refused/);
    expect(gate.stderr).toMatch(/exited during the run \(code 7\).*dying as asked/);
    const partial = readRun(path.join(dir, '.perf-gate/run.json'));
    expect(partial.failure?.reason).toMatch(/connection refused/);
    const trials = partial.scenarios[0]!.trials;
    expect(trials[0]!.requests[0]!.ok).toBeGreaterThan(0);
    expect(trials.at(-1)!.fault).toBeDefined();

    const compare = await runCli(
      ['compare', '-c', 'healthy.yml', '--baseline', 'base.json', '--candidate', '.perf-gate/run.json'],
      { cwd: dir },
    );
    expect(compare.code).toBe(1);
    expect(compare.stdout).toMatch(/verdict: FAIL: Performance gate failed: the candidate run stopped/);
    expect(compare.stdout).toMatch(/candidate api \/ r: \d+ failed \(connection refused ×\d+/);
    // The comment names the failure and what the failed requests got.
    const comment = readFileSync(path.join(dir, '.perf-gate/comment.md'), 'utf8');
    expect(comment).toMatch(/the candidate run stopped/);
    expect(comment).toMatch(/failed request\(s\): connection refused ×\d+/);

    const save = await runCli(['baseline', 'save', '-c', 'healthy.yml', '--branch', 'main'], { cwd: dir });
    expect(save.code).toBe(3);
    expect(save.stderr).toMatch(/cannot be a baseline: the run stopped part-way/);
  });
});

describe('one configuration, every command', () => {
  let server: ChildServer;
  beforeAll(async () => {
    server = await startChildServer([DELAY_SERVER]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('honours baseline.dir, output and budgets of ./perf-gate.yml in save, show, gate, compare, report', async () => {
    const dir = project({
      'perf-gate.yml':
        `target: ${server.url}\noutput: out\nbaseline:\n  dir: perf-baselines\n` +
        // A budget no real request meets: only a command that reads the config fails on it.
        'thresholds:\n  budgets: ["p95 < 0.001ms"]\n' +
        defaults(3),
      'scenarios/api.yml': SCENARIO,
    });
    const run = await runCli(['run'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'out/run.json'))).toBe(true);

    const save = await runCli(['baseline', 'save', '--branch', 'main', '--allow-invalid'], { cwd: dir });
    expect(save.code, save.stderr).toBe(0);
    expect(save.stderr).toMatch(/saved to perf-baselines\//);
    const show = await runCli(['baseline', 'show', '--branch', 'main'], { cwd: dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/baseline for main: measured/);

    const gate = await runCli(['gate', '--branch', 'main'], { cwd: dir });
    expect(gate.stderr).toMatch(/baseline: branch main, measured/);
    expect(gate.code).toBe(1);
    expect(gate.stdout).toMatch(/breaks the budget p95 < 0.001ms/);
    expect(existsSync(path.join(dir, 'out/report.json'))).toBe(true);
    expect(existsSync(path.join(dir, '.perf-gate'))).toBe(false);

    const compare = await runCli(
      ['compare', '--baseline', 'out/run.json', '--candidate', 'out/run.json', '--out-dir', 'cmp'],
      { cwd: dir },
    );
    expect(compare.code).toBe(1);
    expect(compare.stdout).toMatch(/breaks the budget/);

    const report = await runCli(['report'], { cwd: dir });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/budget/i);
  });

  it('validate warns about a route that answers 5xx', async () => {
    const dir = project({
      'perf-gate.yml': `target: ${server.url}\n`,
      'scenarios/api.yml': 'name: api\nrequests:\n  - name: broken\n    path: /status/503\n',
    });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/api \/ broken: GET .*\/status\/503 answered HTTP 503 \(a server error\)/);
  });

  it('says so when a command runs without any config', async () => {
    const dir = project({});
    const r = await runCli(['baseline', 'show', '--branch', 'main'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no perf-gate\.yml .*default thresholds, no budgets/);
  });
});
