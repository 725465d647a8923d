import { describe, expect, it } from 'vitest';
import { ConfigError, formatIssue } from '../../../src/config/parse/errors.ts';
import { issuesOf } from '../../helpers/config-error.ts';
import { parseConfigText, parseScenarioText } from '../../../src/config/parse/parse-config.ts';
import { expandExpect, resolveScenario } from '../../../src/config/parse/resolve-scenario.ts';
import type { RawConfig } from '../../../src/config/parse/schema.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/compare/rules.ts';

const FILE = 'scenarios/checkout.yml';

const scenarioIssues = (text: string, env: Record<string, string | undefined> = {}) =>
  issuesOf(() => parseScenarioText(text, FILE, env));

/** The text of a scenario with `lines` appended to a valid head. */
const scenario = (...lines: string[]) => ['name: checkout', ...lines].join('\n') + '\n';
const oneRequest = ['requests:', '  - name: home', '    path: /'];

const config = (text = ''): RawConfig => parseConfigText(text, 'perf-gate.yml', {}).value;

describe('parseScenarioText: each problem with file, line, column and field path', () => {
  it('YAML syntax error', () => {
    const issues = scenarioIssues('name: checkout\nrequests: [\n  - name: a\n');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({
      file: FILE,
      path: '',
      line: expect.any(Number),
      column: expect.any(Number),
    });
    expect(issues[0]?.message).toMatch(/^invalid YAML: /);
  });

  it('unknown key (a typo), pointing at the key and suggesting the right one', () => {
    const issues = scenarioIssues('name: checkout\nrequets:\n  - name: a\n    path: /\n');
    expect(issues).toEqual([
      // the real key is then missing: pointed at the object it is missing from (the document)
      expect.objectContaining({ line: 1, column: 1, path: 'requests', message: 'missing required field' }),
      expect.objectContaining({ file: FILE, line: 2, column: 1, path: 'requets' }),
    ]);
    expect(issues[1]?.message).toBe("unknown key, did you mean 'requests'?");
    expect(issues[1]?.expected).toContain('requests');
  });

  it('wrong type', () => {
    const issues = scenarioIssues(
      scenario('load:', '  model: closed', '  connections: "ten"', '  duration: 10s', ...oneRequest),
    );
    expect(issues).toEqual([
      {
        file: FILE,
        line: 4,
        column: 16,
        path: 'load.connections',
        message: 'wrong type',
        expected: 'an integer',
        found: "'ten'",
      },
    ]);
  });

  it('negative duration', () => {
    const [issue, ...rest] = scenarioIssues(scenario('warmup: -5s', ...oneRequest));
    expect(rest).toEqual([]);
    expect(formatIssue(issue!)).toBe(
      `${FILE}:2:9: warmup: a duration cannot be negative (expected a duration such as '10s' or '500ms', found '-5s')`,
    );
  });

  it('duration without a unit', () => {
    const [issue] = scenarioIssues(scenario('timeout: 10', ...oneRequest));
    expect(formatIssue(issue!)).toBe(
      `${FILE}:2:10: timeout: a duration needs a unit (ms, s, m or h) (expected a duration such as '10s' or '500ms', found 10)`,
    );
  });

  it('missing environment variable, named, at the value that uses it', () => {
    const issues = scenarioIssues(
      scenario('headers:', '  Authorization: Bearer ${API_TOKEN}', ...oneRequest),
      {},
    );
    expect(issues).toEqual([expect.objectContaining({ line: 3, column: 18, path: 'headers.Authorization' })]);
    expect(issues[0]?.message).toBe('environment variable API_TOKEN is not set');
  });

  it('invalid URL', () => {
    expect(scenarioIssues(scenario('target: localhost:3000', ...oneRequest))).toEqual([
      expect.objectContaining({ line: 2, column: 9, path: 'target', found: "'localhost:3000'" }),
    ]);
    expect(scenarioIssues(scenario('target: not a url', ...oneRequest))[0]?.message).toBe('not a valid URL');
  });

  it('body and json together', () => {
    const issues = scenarioIssues(
      scenario(
        'requests:',
        '  - name: create',
        '    method: post',
        '    path: /items',
        '    body: "{}"',
        '    json: {a: 1}',
      ),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        line: 7,
        column: 11,
        path: 'requests[0].json',
        message: "'body' and 'json' cannot be used together",
      }),
    ]);
  });

  it('duplicate request names', () => {
    const issues = scenarioIssues(
      scenario('requests:', '  - name: home', '    path: /', '  - name: home', '    path: /again'),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        line: 5,
        column: 11,
        path: 'requests[1].name',
        message: 'duplicate request name (first used by requests[0])',
        found: "'home'",
      }),
    ]);
  });

  it('empty requests', () => {
    expect(scenarioIssues(scenario('requests: []'))).toEqual([
      expect.objectContaining({
        line: 2,
        column: 11,
        path: 'requests',
        message: 'must have at least 1 item',
      }),
    ]);
  });

  it('missing key points at the object it is missing from', () => {
    const issues = scenarioIssues(scenario('requests:', '  - name: home', '    method: GET'));
    expect(issues).toEqual([
      expect.objectContaining({
        line: 3,
        column: 5,
        path: 'requests[0].path',
        message: 'missing required field',
      }),
    ]);
  });

  it('unknown load model and unknown keys inside the chosen model', () => {
    expect(scenarioIssues(scenario('load: {model: burst, duration: 1s}', ...oneRequest))).toEqual([
      expect.objectContaining({
        line: 2,
        column: 15,
        path: 'load.model',
        message: 'invalid value',
        expected: "one of 'closed', 'rate'",
        found: "'burst'",
      }),
    ]);
    const issues = scenarioIssues(
      scenario('load: {model: rate, rate: 50, duration: 1s, conections: 5}', ...oneRequest),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        line: 2,
        column: 45,
        path: 'load.conections',
        message: "unknown key, did you mean 'connections'?",
      }),
    ]);
  });

  it('an empty file', () => {
    expect(scenarioIssues('')).toEqual([
      { file: FILE, line: 1, column: 1, path: '', message: 'the file is empty', expected: 'a YAML mapping' },
    ]);
  });

  it('reports ALL problems of a file at once, in file order', () => {
    const text = [
      'name: checkout', // 1
      'warmup: 10', // 2  duration without unit
      'pause: -1s', // 3  negative duration
      'load:', // 4
      '  model: closed', // 5
      '  connections: "ten"', // 6  wrong type
      '  duration: 10s', // 7
      'target: ftp://example.com', // 8  invalid URL
      'requests:', // 9
      '  - name: a', // 10
      '    method: fetch', // 11 invalid method
      '    path: a', // 12 path without '/'
      '    expect: 999', // 13 invalid status
      '  - name: a', // 14 duplicate name
      '    path: /b', // 15
      '    requets: 1', // 16 unknown key
    ].join('\n');
    let error: unknown;
    try {
      parseScenarioText(text, FILE, {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { issues, message } = error as ConfigError;
    expect(issues.map((issue) => [issue.line, issue.path])).toEqual([
      [2, 'warmup'],
      [3, 'pause'],
      [6, 'load.connections'],
      [8, 'target'],
      [11, 'requests[0].method'],
      [12, 'requests[0].path'],
      [13, 'requests[0].expect'],
      [14, 'requests[1].name'],
      [16, 'requests[1].requets'],
    ]);
    expect(message.split('\n')).toHaveLength(9);
    expect(message.split('\n')[4]).toBe(
      `${FILE}:11:13: requests[0].method: invalid value (expected one of 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', found 'FETCH')`,
    );
  });

  it('masks secrets in messages', () => {
    const issues = scenarioIssues(scenario('target: ${TARGET}', ...oneRequest), {
      TARGET: 'http://user:hunter2@internal.example.com/?x=1',
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.found).toBe("'***'");
  });
});

describe('parseConfigText', () => {
  it('applies every default', () => {
    expect(config('target: http://127.0.0.1:3000\n')).toEqual({
      target: 'http://127.0.0.1:3000',
      scenarios: 'scenarios/*.yml',
      defaults: {
        trials: 10,
        warmup: '5s',
        pause: '1s',
        timeout: '10s',
        load: { model: 'closed', connections: 10, duration: '10s' },
        runner: 'autocannon',
        sequential: { enabled: true, first: 3, maxTime: '10m' },
      },
      generator: { maxCpu: 0.9, maxEventLoopDelay: '20ms', minRateAchieved: 0.95 },
      invalidTrials: { tolerated: 1 },
      output: '.perf-gate',
      baseline: { dir: '.perf-gate/baselines' },
    });
  });

  it('parses thresholds once, into rules with the defaults filled in', () => {
    const thresholds = config('thresholds:\n  p95: +12%\n  budgets: [p95 < 300ms]\n').thresholds;
    expect(thresholds?.minEffect.p95).toEqual({ kind: 'relative', value: 0.12, text: '+12%' });
    expect(thresholds?.minEffect.p50).toEqual(DEFAULT_THRESHOLDS.minEffect.p50);
    expect(thresholds?.budgets).toEqual([{ metric: 'p95', op: '<', value: 300_000, text: 'p95 < 300ms' }]);
    expect(thresholds?.gate).toEqual(DEFAULT_THRESHOLDS.gate);
    // A section whose entries are all commented out means the defaults.
    expect(config('thresholds:\n  # p95: +10%\n').thresholds).toBeNull();
  });

  it('reports threshold problems where they are, with what was expected', () => {
    const issues = issuesOf(() =>
      parseConfigText(
        'thresholds:\n  troughput: -5%\n  p95: 10%\n  p99: 15\n  throughput: +5%\n  gate: [p95, p42]\n  budgets: [p95 < 300]\n  overrides:\n    - { p95: +20% }\n  approve:\n    - { metric: p95 }\n  alpha: 2\n',
        'perf-gate.yml',
        {},
      ),
    );
    expect(issues.map(formatIssue)).toEqual([
      "perf-gate.yml:2:3: thresholds.troughput: unknown key, did you mean 'throughput'? (expected one of alpha, gate, budgets, control, overrides, approve, p50, p90, p95, p99, throughput, errorRate, cpuMsPerRequest, cpuCores, memoryPeak)",
      "perf-gate.yml:3:8: thresholds.p95: not a minimum effect (expected a relative change such as '+10%' (an increase is worse), found '10%')",
      "perf-gate.yml:4:8: thresholds.p99: wrong type (expected a relative change such as '+10%' (an increase is worse), found 15)",
      "perf-gate.yml:5:15: thresholds.throughput: throughput gets worse when it falls (expected a relative change such as '-10%' (a decrease is worse), found '+5%')",
      "perf-gate.yml:6:15: thresholds.gate[1]: unknown metric (expected one of 'p50', 'p90', 'p95', 'p99', 'throughput', 'errorRate', 'cpuMsPerRequest', 'cpuCores', 'memoryPeak', found 'p42')",
      "perf-gate.yml:7:13: thresholds.budgets[0]: p95 latency needs a unit (us, ms or s) (expected '<metric> <op> <value>' such as 'p95 < 300ms', 'errorRate < 1%' or 'throughput > 200/s', found 'p95 < 300')",
      'perf-gate.yml:9:7: thresholds.overrides[0]: an override names a scenario, a request, or both (expected scenario: or request:)',
      'perf-gate.yml:11:7: thresholds.approve[0].reason: an approval needs a reason (expected a string)',
      'perf-gate.yml:12:10: thresholds.alpha: must be less than 0.5 (found 2)',
    ]);
  });

  it('reports unknown keys and out-of-range values in nested sections', () => {
    const issues = issuesOf(() =>
      parseConfigText(
        'defaults:\n  trials: 0\n  runer: k6\ngenerator:\n  minRateAchieved: 2\n',
        'perf-gate.yml',
        {},
      ),
    );
    expect(issues.map(formatIssue)).toEqual([
      'perf-gate.yml:2:11: defaults.trials: must be at least 1 (found 0)',
      "perf-gate.yml:3:3: defaults.runer: unknown key, did you mean 'runner'? (expected one of trials, warmup, pause, timeout, load, runner, sequential)",
      'perf-gate.yml:5:20: generator.minRateAchieved: must be at most 1 (found 2)',
    ]);
  });

  it('returns the secrets it substituted', () => {
    const parsed = parseConfigText(
      'target: ${TARGET:-http://localhost:3000}\noutput: ${OUT}\n',
      'perf-gate.yml',
      {
        OUT: 'results',
      },
    );
    expect(parsed.value.target).toBe('http://localhost:3000');
    expect(parsed.value.output).toBe('results');
    expect(parsed.secrets).toEqual(['results']);
  });

  it('adaptive trials: on by default, off with enabled: false, out-of-range settings name file:line', () => {
    expect(config('defaults: {sequential: {enabled: false}}').defaults.sequential.enabled).toBe(false);
    expect(config('defaults: {sequential: {first: 5}}').defaults.sequential).toEqual({
      enabled: true,
      first: 5,
      maxTime: '10m',
    });
    const issues = issuesOf(() =>
      parseConfigText(
        'defaults:\n  trials: 200\n  sequential:\n    first: 1\n    maxTime: 0s\n',
        'perf-gate.yml',
        {},
      ),
    ).map(formatIssue);
    expect(issues).toEqual([
      'perf-gate.yml:2:11: defaults.trials: must be at most 100 (found 200)',
      'perf-gate.yml:4:12: defaults.sequential.first: must be at least 2 (found 1)',
      "perf-gate.yml:5:14: defaults.sequential.maxTime: a duration must be greater than zero (expected a duration such as '10s' or '500ms', found '0s')",
    ]);
  });

  it('accepts 0s warm-up but not a 0s timeout', () => {
    expect(config('defaults: {warmup: 0s, pause: 0s}').defaults.warmup).toBe('0s');
    expect(issuesOf(() => parseConfigText('defaults: {timeout: 0s}', 'c.yml', {}))[0]?.message).toBe(
      'a duration must be greater than zero',
    );
  });
});

describe('resolveScenario', () => {
  const resolve = (text: string, cfg = 'target: http://127.0.0.1:3000/api/\n', targetOverride?: string) =>
    resolveScenario(parseScenarioText(text, FILE, {}).value, config(cfg), {
      file: FILE,
      ...(targetOverride !== undefined ? { targetOverride } : {}),
    });

  it('normalises methods to upper case', () => {
    const resolved = resolve(
      scenario('requests:', '  - {name: a, path: /, method: post}', '  - {name: b, path: /}'),
    );
    expect(resolved.requests.map((request) => request.method)).toEqual(['POST', 'GET']);
  });

  it('serialises a json body and sets content-type unless given', () => {
    const resolved = resolve(
      scenario(
        'headers: {Accept: application/json}',
        'requests:',
        '  - name: create',
        '    method: POST',
        '    path: /items',
        '    json: {name: widget, tags: [a, b], price: 9.5, ok: true}',
        '  - name: typed',
        '    method: PUT',
        '    path: /items/1',
        '    headers: {Content-Type: application/merge-patch+json, accept: text/plain}',
        '    json: [1, null]',
      ),
    );
    expect(resolved.requests[0]).toMatchObject({
      body: '{"name":"widget","tags":["a","b"],"price":9.5,"ok":true}',
      headers: { Accept: 'application/json', 'content-type': 'application/json' },
    });
    expect(resolved.requests[1]?.body).toBe('[1,null]');
    // request headers win over scenario headers whatever their case
    expect(resolved.requests[1]?.headers).toEqual({
      'Content-Type': 'application/merge-patch+json',
      accept: 'text/plain',
    });
  });

  it('expands expect', () => {
    const twoXx = Array.from({ length: 100 }, (_, i) => 200 + i);
    expect(expandExpect(undefined)).toEqual(twoXx);
    expect(expandExpect('2xx')).toEqual(twoXx);
    expect(expandExpect(404)).toEqual([404]);
    expect(expandExpect([404, 200, '3XX', 200])).toEqual([
      200,
      ...Array.from({ length: 100 }, (_, i) => 300 + i),
      404,
    ]);
    const resolved = resolve(
      scenario('requests:', '  - {name: a, path: /, expect: [200, 404]}', '  - {name: b, path: /}'),
    );
    expect(resolved.requests.map((request) => request.expectStatus)).toEqual([[200, 404], twoXx]);
  });

  it('rejects invalid expect values', () => {
    expect(scenarioIssues(scenario('requests:', '  - {name: a, path: /, expect: 6xx}'))[0]).toMatchObject({
      path: 'requests[0].expect',
      message: "not a status class such as '2xx'",
    });
    expect(
      scenarioIssues(scenario('requests:', '  - {name: a, path: /, expect: [200, 99]}'))[0],
    ).toMatchObject({
      path: 'requests[0].expect[1]',
      message: 'must be at least 100',
    });
    expect(scenarioIssues(scenario('requests:', '  - {name: a, path: /, expect: {ok: 1}}'))[0]).toMatchObject(
      {
        path: 'requests[0].expect',
        message: "expected a status code (100-599), a status class such as '2xx', or a list of these",
        found: 'a mapping',
      },
    );
  });

  it('scenario values override the defaults, and the rate model converts', () => {
    const resolved = resolve(
      scenario(
        'runner: k6',
        'trials: 3',
        'warmup: 0s',
        'pause: 250ms',
        'timeout: 2s',
        'load: {model: rate, rate: 200, duration: 30s}',
        ...oneRequest,
      ),
    );
    expect(resolved).toMatchObject({
      runner: 'k6',
      trials: 3,
      warmupMs: 0,
      pauseMs: 250,
      timeoutMs: 2000,
      load: { model: 'rate', ratePerSec: 200, connections: 100, durationMs: 30_000 },
      target: 'http://127.0.0.1:3000/api',
    });
  });

  it('target: --target wins, then the scenario, then the config; none is an issue on target', () => {
    expect(resolve(scenario('target: http://scenario:1', ...oneRequest)).target).toBe('http://scenario:1');
    expect(
      resolve(scenario('target: http://scenario:1', ...oneRequest), undefined, 'http://cli:2').target,
    ).toBe('http://cli:2');
    expect(issuesOf(() => resolve(scenario(...oneRequest), ''))).toEqual([
      expect.objectContaining({ file: FILE, path: 'target', message: 'no target URL for this scenario' }),
    ]);
    expect(issuesOf(() => resolve(scenario(...oneRequest), '', 'ftp://x'))).toEqual([
      expect.objectContaining({ path: '--target', message: "unsupported protocol 'ftp:'" }),
    ]);
  });
});
