import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { Scenario } from '../../src/scenario/model.ts';
import { rejectionOf } from '../helpers/config-error.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp project: `files` maps relative paths to contents. Returns its directory. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-gate-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const CONFIG = `# perf-gate.yml
target: \${TARGET:-http://127.0.0.1:3000}
scenarios:
  - scenarios/*.yml
  - extra/login.yaml
defaults:
  trials: 7
  warmup: 2s
  pause: 500ms
  timeout: 3s
  load: { model: closed, connections: 16, duration: 15s }
generator:
  maxCpu: 1.5
  maxEventLoopDelay: 50ms
output: out
baseline: { dir: base }
thresholds:
  p95: +12%
`;

const CHECKOUT = `name: checkout
headers:
  Authorization: Bearer \${API_TOKEN}
requests:
  - name: list
    path: /items?page=1
    weight: 3
  - name: create
    method: post
    path: /items
    json: { sku: A1, qty: 2 }
    expect: [201, 409]
`;

const LOGIN = `name: login
runner: k6
trials: 3
warmup: 0s
target: https://auth.example.com/v1/
load:
  model: rate
  rate: 250
  duration: 1m
requests:
  - name: login
    method: POST
    path: /login
    headers: { content-type: application/x-www-form-urlencoded }
    body: user=a&pass=b
    expect: 2xx
  - name: health
    method: head
    path: /health
    expect: 204
`;

const TWO_XX = Array.from({ length: 100 }, (_, i) => 200 + i);

describe('loadConfig', () => {
  it('resolves a full config and its scenario files to the exact scenarios', async () => {
    const dir = project({
      'perf-gate.yml': CONFIG,
      'scenarios/checkout.yml': CHECKOUT,
      'scenarios/notes.txt': 'not a scenario',
      'extra/login.yaml': LOGIN,
    });
    const loaded = await loadConfig({
      configPath: path.join(dir, 'perf-gate.yml'),
      env: { API_TOKEN: 's3cr3t' },
    });
    const checkout: Scenario = {
      name: 'checkout',
      file: path.join(dir, 'scenarios/checkout.yml'),
      runner: 'autocannon',
      target: 'http://127.0.0.1:3000',
      requests: [
        {
          name: 'list',
          method: 'GET',
          path: '/items?page=1',
          headers: { Authorization: 'Bearer s3cr3t' },
          expectStatus: TWO_XX,
          weight: 3,
        },
        {
          name: 'create',
          method: 'POST',
          path: '/items',
          headers: { Authorization: 'Bearer s3cr3t', 'content-type': 'application/json' },
          body: '{"sku":"A1","qty":2}',
          expectStatus: [201, 409],
          weight: 1,
        },
      ],
      load: { model: 'closed', connections: 16, durationMs: 15_000 },
      warmupMs: 2000,
      trials: 7,
      pauseMs: 500,
      timeoutMs: 3000,
    };
    const login: Scenario = {
      name: 'login',
      file: path.join(dir, 'extra/login.yaml'),
      runner: 'k6',
      target: 'https://auth.example.com/v1',
      requests: [
        {
          name: 'login',
          method: 'POST',
          path: '/login',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'user=a&pass=b',
          expectStatus: TWO_XX,
          weight: 1,
        },
        { name: 'health', method: 'HEAD', path: '/health', headers: {}, expectStatus: [204], weight: 1 },
      ],
      load: { model: 'rate', ratePerSec: 250, connections: 100, durationMs: 60_000 },
      warmupMs: 0,
      trials: 3,
      pauseMs: 500,
      timeoutMs: 3000,
    };
    expect(loaded).toEqual({
      adaptive: { first: 3, maxTimeMs: 600_000 },
      file: path.join(dir, 'perf-gate.yml'),
      dir,
      target: 'http://127.0.0.1:3000',
      scenarios: [checkout, login],
      generator: { maxCpuCores: 1.5, maxEventLoopDelayP99Ms: 50, minRateAchieved: 0.95 },
      outputDir: path.join(dir, 'out'),
      baselineDir: path.join(dir, 'base'),
      thresholds: {
        ...DEFAULT_THRESHOLDS,
        minEffect: { ...DEFAULT_THRESHOLDS.minEffect, p95: { kind: 'relative', value: 0.12, text: '+12%' } },
      },
      invalidTrials: { tolerated: 1 },
      secrets: ['s3cr3t'],
    });
  });

  it('uses the defaults: scenarios/*.yml, .perf-gate, --target', async () => {
    const dir = project({
      'perf-gate.yml': '# all defaults\n',
      'scenarios/b.yml': 'name: b\nrequests: [{name: r, path: /}]\n',
      'scenarios/a.yml': 'name: a\nrequests: [{name: r, path: /}]\n',
    });
    const loaded = await loadConfig({
      configPath: 'perf-gate.yml',
      cwd: dir,
      env: {},
      targetOverride: 'http://localhost:8080/',
    });
    expect(loaded.scenarios.map((s) => [s.name, s.file, s.target])).toEqual([
      ['a', 'scenarios/a.yml', 'http://localhost:8080'],
      ['b', 'scenarios/b.yml', 'http://localhost:8080'],
    ]);
    expect(loaded.scenarios[0]).toMatchObject({
      runner: 'autocannon',
      trials: 10,
      warmupMs: 5000,
      pauseMs: 1000,
      timeoutMs: 10_000,
      load: { model: 'closed', connections: 10, durationMs: 10_000 },
    });
    expect(loaded.generator).toEqual({ maxCpuCores: 0.9, maxEventLoopDelayP99Ms: 20, minRateAchieved: 0.95 });
    expect(loaded.outputDir).toBe(path.join(dir, '.perf-gate'));
    expect(loaded.baselineDir).toBe(path.join(dir, '.perf-gate/baselines'));
    expect(loaded.target).toBe('http://localhost:8080');
    expect(loaded.secrets).toEqual([]);
    expect(loaded.thresholds).toEqual(DEFAULT_THRESHOLDS);
  });

  it('a missing config file is a clear ConfigError', async () => {
    const dir = project({});
    const error = await rejectionOf(loadConfig({ configPath: path.join(dir, 'perf-gate.yml'), env: {} }));
    expect(error.issues).toHaveLength(1);
    expect(error.message).toContain('config file not found');
  });

  it('collects the problems of every file into one ConfigError', async () => {
    const dir = project({
      'perf-gate.yml':
        'target: http://x\nscenarios: [scenarios/*.yml, missing/*.yml]\ndefaults: {trials: 0}\n',
      'scenarios/a.yml': 'name: dup\nrequests: [{name: r, path: /}]\n',
      'scenarios/b.yml': 'name: dup\nrequests: [{name: r, path: /}]\n',
      'scenarios/c.yml': 'name: c\nrequests: [{name: r, path: nope}]\n',
      'scenarios/d.yml': 'name: d\nrequests: [{name: r, path: /, timeout: 1s}]\n',
    });
    const error = await rejectionOf(loadConfig({ configPath: path.join(dir, 'perf-gate.yml'), env: {} }));
    expect(error.issues.map((issue) => [path.basename(issue.file), issue.line, issue.path])).toEqual([
      ['perf-gate.yml', 2, 'scenarios[1]'],
      ['perf-gate.yml', 3, 'defaults.trials'],
      ['b.yml', 1, 'name'],
      ['c.yml', 2, 'requests[0].path'],
      ['d.yml', 2, 'requests[0].timeout'],
    ]);
    expect(error.issues[0]?.message).toContain("no file matches 'missing/*.yml'");
    expect(error.issues[2]?.message).toContain('duplicate scenario name');
    expect(error.message.split('\n')).toHaveLength(5);
  });

  it('reports a missing target once per scenario, and an invalid --target once', async () => {
    const dir = project({
      'perf-gate.yml': '',
      'scenarios/a.yml': 'name: a\nrequests: [{name: r, path: /}]\n',
      'scenarios/b.yml': 'name: b\ntarget: http://b\nrequests: [{name: r, path: /}]\n',
    });
    const missing = await rejectionOf(loadConfig({ configPath: path.join(dir, 'perf-gate.yml'), env: {} }));
    expect(missing.issues).toEqual([
      expect.objectContaining({ file: path.join(dir, 'scenarios/a.yml'), path: 'target' }),
    ]);
    const invalid = await rejectionOf(
      loadConfig({ configPath: path.join(dir, 'perf-gate.yml'), env: {}, targetOverride: 'localhost' }),
    );
    expect(invalid.issues).toEqual([expect.objectContaining({ file: '<command line>', path: '--target' })]);
  });

  it('the default scenario glob matching nothing is an issue', async () => {
    const dir = project({ 'perf-gate.yml': 'target: http://x\n' });
    const error = await rejectionOf(loadConfig({ configPath: path.join(dir, 'perf-gate.yml'), env: {} }));
    expect(error.issues).toEqual([expect.objectContaining({ path: 'scenarios' })]);
    expect(error.message).toContain("'scenarios/*.yml' matches nothing");
  });

  it('masks secrets and collects them across files', async () => {
    const dir = project({
      'perf-gate.yml': 'target: ${TARGET}\n',
      'scenarios/a.yml':
        'name: a\nheaders: {X-Key: "${KEY}"}\nrequests: [{name: r, path: /, weight: "${KEY}"}]\n',
    });
    const error = await rejectionOf(
      loadConfig({
        configPath: path.join(dir, 'perf-gate.yml'),
        env: { TARGET: 'http://t', KEY: 'k-123456' },
      }),
    );
    expect(error.message).not.toContain('k-123456');
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'requests[0].weight', found: "'***'", line: 3 }),
    ]);
  });
});

describe('profile: per-trial CPU profiles of targets perf-gate does not start', () => {
  const SCENARIO = 'name: home\nrequests:\n  - name: home\n    path: /\n';
  const load = (profile: string) =>
    loadConfig({
      configPath: path.join(
        project({
          'perf-gate.yml': `target: http://127.0.0.1:3000\nprofile:\n${profile}`,
          'scenarios/home.yml': SCENARIO,
        }),
        'perf-gate.yml',
      ),
      env: {},
    });

  it('resolves inspectors of both sides and the sampling interval in µs', async () => {
    const loaded = await load(
      '  inspector: http://127.0.0.1:9229\n  baselineInspector: ws://127.0.0.1:9230/abc\n  samplingInterval: 0.5ms\n',
    );
    expect(loaded.profiling).toEqual({
      target: { kind: 'inspector', url: 'http://127.0.0.1:9229' },
      baselineTarget: { kind: 'inspector', url: 'ws://127.0.0.1:9230/abc' },
      samplingIntervalUs: 500,
      keepInlining: false,
    });
    expect((await load('  pprof: http://127.0.0.1:6060/debug/pprof/profile\n')).profiling).toEqual({
      target: { kind: 'pprof', url: 'http://127.0.0.1:6060/debug/pprof/profile' },
      samplingIntervalUs: 1000,
      keepInlining: false,
    });
  });

  it('refuses two profilers for one side and a URL that is not an inspector, naming the field', async () => {
    const both = await rejectionOf(
      load('  pprof: http://127.0.0.1:6060/debug/pprof/profile\n  inspector: http://127.0.0.1:9229\n'),
    );
    expect(both.message).toMatch(/profile\.inspector: 'pprof' and 'inspector' profile the same side/);
    const bad = await rejectionOf(load('  baselineInspector: https://127.0.0.1:9229\n'));
    expect(bad.message).toMatch(/profile\.baselineInspector: unsupported protocol 'https:'.*inspector URL/);
  });
});
