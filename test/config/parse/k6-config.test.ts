// The scenario file's `k6` options, parsed and resolved.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { issuesOf } from '../../helpers/config-error.ts';
import { parseConfigText, parseScenarioText } from '../../../src/config/parse/parse-config.ts';
import { resolveScenario } from '../../../src/config/parse/resolve-scenario.ts';

const FILE = 'scenarios/k6.yml';
const config = parseConfigText('target: http://127.0.0.1:3000\n', 'perf-gate.yml', {}).value;

const resolve = (text: string, baseDir = '/repo/scenarios') =>
  resolveScenario(parseScenarioText(text, FILE, {}).value, config, { file: FILE, baseDir });

describe('scenario k6 options', () => {
  it("a user's script replaces requests; paths resolve against the scenario file", () => {
    const scenario = resolve(
      [
        'name: browse',
        'runner: k6',
        'k6:',
        '  script: ../k6/browse.js',
        '  binary: ../tools/k6',
        '  distributed: { parallelism: 4, namespace: load, image: "grafana/k6:1.0.0", startTimeout: 2m }',
      ].join('\n'),
    );
    expect(scenario.requests).toEqual([]);
    expect(scenario.k6).toEqual({
      binary: path.resolve('/repo/tools/k6'),
      script: path.resolve('/repo/k6/browse.js'),
      distributed: {
        parallelism: 4,
        namespace: 'load',
        kubectl: 'kubectl',
        image: 'grafana/k6:1.0.0',
        startTimeoutMs: 120_000,
      },
    });
  });

  it('a bare command stays a PATH lookup; defaults apply', () => {
    const scenario = resolve(
      'name: a\nrunner: k6\nk6: { binary: k6-custom, distributed: { parallelism: 2, kubectl: kubectl-1.30 } }\nrequests: [{name: r, path: /}]\n',
    );
    expect(scenario.k6).toEqual({
      binary: 'k6-custom',
      distributed: { parallelism: 2, kubectl: 'kubectl-1.30', startTimeoutMs: 300_000 },
    });
    expect(scenario.requests.map((r) => r.name)).toEqual(['r']);
  });

  it('no k6 key: no k6 options (the engine uses k6 on PATH and a generated script)', () => {
    expect(resolve('name: a\nrunner: k6\nrequests: [{name: r, path: /}]\n')).not.toHaveProperty('k6');
  });

  it('requests are required without a script, and refused with one', () => {
    expect(issuesOf(() => parseScenarioText('name: a\nrunner: k6\n', FILE, {}))).toEqual([
      expect.objectContaining({ path: 'requests', message: 'missing required field', line: 1, column: 1 }),
    ]);
    expect(
      issuesOf(() =>
        parseScenarioText(
          'name: a\nrunner: k6\nk6: { script: a.js }\nrequests: [{name: r, path: /}]\n',
          FILE,
          {},
        ),
      ),
    ).toEqual([
      expect.objectContaining({
        path: 'k6.script',
        line: 3,
        message: "'requests' and 'k6.script' cannot be used together",
      }),
    ]);
  });

  it('k6 options with another runner are a config error', () => {
    expect(issuesOf(() => resolve('name: a\nk6: { script: a.js }\n'))).toEqual([
      expect.objectContaining({
        file: FILE,
        path: 'k6',
        message: 'k6 options need runner: k6 (this scenario runs on autocannon)',
      }),
    ]);
  });

  it('validates the distributed settings', () => {
    const issues = issuesOf(() =>
      parseScenarioText(
        'name: a\nrunner: k6\nk6: { distributed: { parallelism: 0, namespace: Load_NS, paralelism: 2 } }\nrequests: [{name: r, path: /}]\n',
        FILE,
        {},
      ),
    );
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['k6.distributed.parallelism', 'must be at least 1'],
      ['k6.distributed.namespace', 'not a Kubernetes namespace name'],
      ['k6.distributed.paralelism', "unknown key, did you mean 'parallelism'?"],
    ]);
  });
});
