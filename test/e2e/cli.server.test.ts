// The CLI end to end (in-process, real files, real loopback servers): exit codes and messages for bad
// input, an unreachable or silent target, and a real run whose secrets never reach the outputs.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRunResult } from '../../src/store/codec/run-result-codec.ts';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { runCli } from '../helpers/cli.ts';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const CONFIG = (target: string) => `target: ${target}
scenarios: scenarios/*.yml
defaults:
  trials: 2
  warmup: 300ms
  pause: 100ms
  timeout: 2s
  load: { model: closed, connections: 2, duration: 700ms }
`;

const SCENARIO = `name: api
headers:
  authorization: Bearer \${API_TOKEN}
requests:
  - name: fast
    path: /fast
  - name: slow
    path: /delay/3
    weight: 2
`;

let server: ChildServer;
beforeAll(async () => {
  server = await startChildServer([DELAY_SERVER]);
});
afterAll(async () => {
  await server?.stop();
});

describe('perf-gate CLI: bad input exits 2 naming file, line and field', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['YAML syntax error', 'name: api\nrequests:\n  - name: [unclosed\n', /scenarios\/api\.yml:\d+:\d+/],
    ['unknown key', SCENARIO.replace('requests:', 'requets:'), /scenarios\/api\.yml:\d+:\d+.*requets/],
    [
      'wrong type',
      SCENARIO + 'load: { model: closed, connections: ten, duration: 1s }\n',
      /api\.yml:\d+:\d+.*load\.connections/,
    ],
    [
      'negative duration',
      SCENARIO + 'load: { model: closed, connections: 2, duration: -5s }\n',
      /api\.yml:\d+:\d+.*load\.duration/,
    ],
    ['invalid URL', SCENARIO + 'target: not a url\n', /api\.yml:\d+:\d+.*target/],
  ];
  for (const [what, scenario, pattern] of cases) {
    it(what, async () => {
      const dir = project({ 'perf-gate.yml': CONFIG(server.url), 'scenarios/api.yml': scenario });
      const r = await runCli(['validate', '--no-reach'], { cwd: dir, env: { API_TOKEN: 'x' } });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it('missing environment variable', async () => {
    const dir = project({ 'perf-gate.yml': CONFIG(server.url), 'scenarios/api.yml': SCENARIO });
    const r = await runCli(['validate', '--no-reach'], { cwd: dir, env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/api\.yml:\d+:\d+.*API_TOKEN/);
  });

  it('unknown flag or command', async () => {
    const dir = project({});
    expect((await runCli(['run', '--frobnicate'], { cwd: dir })).code).toBe(2);
    expect((await runCli(['explode'], { cwd: dir })).code).toBe(2);
    const help = await runCli(['run', '--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--config/);
  });

  it('missing config file', async () => {
    const r = await runCli(['run'], { cwd: project({}) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/perf-gate\.yml/);
  });
});

describe('perf-gate CLI: target failures exit 3', () => {
  it('an unreachable target names the URL and the OS error', async () => {
    const dir = project({ 'perf-gate.yml': CONFIG('http://127.0.0.1:1'), 'scenarios/api.yml': SCENARIO });
    const t0 = performance.now();
    const r = await runCli(['run'], { cwd: dir, env: { API_TOKEN: 'x' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/http:\/\/127\.0\.0\.1:1.*ECONNREFUSED/);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('a target that accepts connections but never answers fails within the timeout', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const dir = project({
        'perf-gate.yml': CONFIG(`http://127.0.0.1:${port}`),
        'scenarios/api.yml': SCENARIO,
      });
      const t0 = performance.now();
      const r = await runCli(['run'], { cwd: dir, env: { API_TOKEN: 'x' } });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}.*did not answer within 2000 ms`));
      expect(performance.now() - t0).toBeLessThan(4000);
    } finally {
      silent.close();
    }
  });
});

describe('perf-gate CLI: a real run', () => {
  it('writes a valid RunResult with per-request trials and never the secret', async () => {
    const secret = 'tok-SECRET-4242';
    const dir = project({ 'perf-gate.yml': CONFIG(server.url), 'scenarios/api.yml': SCENARIO });
    const r = await runCli(['run', '--label', 'candidate'], { cwd: dir, env: { API_TOKEN: secret } });
    expect(r.stderr).toMatch(/api trial 2\/2/);
    expect(r.code).toBe(0);
    const text = readFileSync(path.join(dir, '.perf-gate/run.json'), 'utf8');
    const run = decodeRunResult(text, 'run.json');
    expect(run.meta.label).toBe('candidate');
    const s = run.scenarios[0]!;
    expect(s.trials).toHaveLength(2);
    expect(s.warmup?.attempts).toBeGreaterThan(0);
    const slow = s.trials[0]!.requests.find((q) => q.name === 'slow')!;
    expect(slow.latencyUs.p50).toBeGreaterThanOrEqual(3000);
    expect(text).not.toContain(secret);
    expect(r.stderr + r.stdout).not.toContain(secret);

    // baseline save / show on the file store (on a loaded machine the generator may lag: keep it anyway)
    const save = await runCli(['baseline', 'save', '--branch', 'main', '--allow-invalid'], { cwd: dir });
    expect(save.code, save.stderr).toBe(0);
    const show = await runCli(['baseline', 'show', '--branch', 'main'], { cwd: dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/api \/ slow/);
    const none = await runCli(['baseline', 'show', '--branch', 'other', '--json'], { cwd: dir });
    expect(JSON.parse(none.stdout)).toEqual({ branch: 'other', baseline: null });
  });
});
