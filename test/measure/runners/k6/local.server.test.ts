// The local k6 engine end to end, spawn path included. k6 cannot be installed on the build machines, so
// these tests run test/fixtures/k6/fake-k6.mjs in its place: a STAND-IN that replays the real k6 NDJSON
// run (or a given file) to `--out json=<file>` and exits like k6 (0, 99, 107, or killed), without
// running any script. What is tested is perf-gate's side: the command line, the generated script, the
// following and parsing of the growing output, and the handling of every way k6 can end.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrialRecorder } from '../../../../src/measure/collectors/request-recorder.ts';
import { EXIT, exitCodeFor, RunFailure } from '../../../../src/contracts/errors.ts';
import { silentLogger } from '../../../../src/contracts/ports.ts';
import { runScenario } from '../../../../src/measure/run-trials.ts';
import { createK6Engine } from '../../../../src/measure/runners/k6/engine.ts';
import { K6Tally } from '../../../../src/measure/runners/k6/ndjson.ts';
import { DEFAULT_GENERATOR_LIMITS, type Scenario } from '../../../../src/scenario/model.ts';
import { runCli } from '../../../helpers/cli.ts';
import { testScenario } from '../../../helpers/scenario.ts';
import { FAKE_K6, realRunText } from './fixture.ts';
import { droppedIterationsLine, synthNdjson } from './synth-ndjson.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-gate-k6-local-'));
const userScript = path.join(dir, 'browse.js');
const record = path.join(dir, 'record');

beforeAll(() => {
  // The executable bit may not survive a checkout or a copy.
  chmodSync(FAKE_K6, 0o755);
  writeFileSync(userScript, 'export default function () {}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function k6Scenario(over: Partial<Scenario> = {}, requests = [{ name: 'home', path: '/' }]): Scenario {
  return testScenario('http://127.0.0.1:3000', requests, {
    runner: 'k6',
    k6: { binary: FAKE_K6 },
    load: { model: 'closed', connections: 2, durationMs: 20_000 },
    ...over,
  });
}

const engine = (scenario: Scenario, env: Record<string, string> = {}) =>
  createK6Engine(scenario, { env: { ...process.env, FAKE_K6_RECORD: record, ...env }, pollMs: 5 });

function expectedFromFixture() {
  const tally = new K6Tally(new TrialRecorder([]));
  for (const line of realRunText().split('\n')) tally.line(line);
  tally.finish();
  return tally.recorder.results(20_000);
}

describe('k6 engine (local), with a stand-in k6', () => {
  it("runs a user's script: the real run is parsed while written, names from its tags", async () => {
    const scenario = k6Scenario({ k6: { binary: FAKE_K6, script: userScript } }, []);
    const raw = await engine(scenario).runTrial({ scenario, durationMs: 20_000 });
    expect(raw.recorder.results(20_000)).toEqual(expectedFromFixture());
    expect(raw.durationMs).toBe(20_000);
    expect(raw.problems).toEqual([]);
    expect(raw.generator).toEqual({ engineVersion: 'k6 v0.46.0' });

    const argv = JSON.parse(readFileSync(path.join(record, 'argv.json'), 'utf8')) as string[];
    expect(argv.slice(0, 4)).toEqual(['run', '--quiet', '--no-color', '--out']);
    expect(argv[4]).toMatch(/^json=.*perf-gate-k6-.*out\.ndjson$/);
    expect(argv[5]).toMatch(/perf-gate\.js$/);
    const entry = readFileSync(path.join(record, 'script.js'), 'utf8');
    expect(entry).toContain(`import * as user from ${JSON.stringify(pathToFileURL(userScript).href)};`);
    expect(entry).toContain('"duration":"20000ms"');
    // The trial's temp directory (script with header values, NDJSON) is gone.
    expect(existsSync(path.dirname(argv[5]!))).toBe(false);
  });

  it('generated script, rate model: requests by name, bytes, timeouts, achieved rate and dropped iterations', async () => {
    const ndjson = path.join(dir, 'generated.ndjson');
    writeFileSync(
      ndjson,
      synthNdjson(
        [
          { name: 'list', status: 200, ms: 2.5, bytes: 1200, namedBytes: true },
          { name: 'list', status: 200, ms: 3.5, bytes: 1300, namedBytes: true },
          { name: 'list', status: 503, ms: 1, bytes: 100, namedBytes: true },
          { name: 'create', status: 201, ms: 9, bytes: 400, namedBytes: true },
          { name: 'create', status: 0, ms: 2000, errorCode: 1050, namedBytes: true },
        ],
        [droppedIterationsLine(3)],
      ),
    );
    const scenario = k6Scenario(
      { load: { model: 'rate', ratePerSec: 10, connections: 4, durationMs: 500 }, timeoutMs: 2000 },
      [
        { name: 'list', path: '/items' },
        { name: 'create', path: '/items', method: 'POST', body: '{}', expectStatus: [201] } as never,
      ],
    );
    const raw = await engine(scenario, { FAKE_K6_NDJSON: ndjson }).runTrial({ scenario, durationMs: 500 });
    const results = raw.recorder.results(500);
    expect(results.map((r) => [r.name, r.attempts, r.ok, r.errors, r.bytes])).toEqual([
      ['list', 3, 2, { unexpectedStatus: 1, timeouts: 0, connection: 0 }, 2600],
      ['create', 2, 1, { unexpectedStatus: 0, timeouts: 1, connection: 0 }, 400],
    ]);
    expect(raw.generator).toEqual({
      engineVersion: 'k6 v0.46.0',
      intendedRate: 10,
      achievedRate: 10,
      notSent: 3,
    });
    expect(raw.problems).toEqual([expect.stringMatching(/^k6 dropped 3 iterations/)]);
    const entry = readFileSync(path.join(record, 'script.js'), 'utf8');
    expect(entry).toContain('"executor": "constant-arrival-rate"');
    expect(entry).toContain('"url":"http://127.0.0.1:3000/items"');
  });

  it("a thresholds failure (exit 99) is k6's verdict, not ours: the trial stands", async () => {
    const scenario = k6Scenario({ k6: { binary: FAKE_K6, script: userScript } }, []);
    const raw = await engine(scenario, { FAKE_K6_EXIT: '99' }).runTrial({ scenario, durationMs: 20_000 });
    expect(raw.problems).toEqual([]);
    expect(raw.recorder.attempts).toBe(322);
  });

  it('a script exception (exit 107) is an error naming the code, its meaning and what k6 printed', async () => {
    const scenario = k6Scenario();
    await expect(
      engine(scenario, { FAKE_K6_EXIT: '107' }).runTrial({ scenario, durationMs: 1000 }),
    ).rejects.toThrow(
      /k6 \(.*fake-k6\.mjs\) failed: exit code 107 \(the script threw an exception\); its last output:\n.*ReferenceError: notDefined is not defined/,
    );
  });

  it('a k6 crash mid-run is an error, not a short trial', async () => {
    const scenario = k6Scenario();
    await expect(
      engine(scenario, { FAKE_K6_CRASH: '1' }).runTrial({ scenario, durationMs: 1000 }),
    ).rejects.toThrow(/failed: k6 was killed by signal SIGKILL/);
  });

  it('a missing k6 binary is an error with the install hint', async () => {
    for (const binary of [path.join(dir, 'no-such-k6'), 'perf-gate-test-no-such-k6']) {
      const scenario = k6Scenario({ k6: { binary } });
      const error = await engine(scenario)
        .runTrial({ scenario, durationMs: 1000 })
        .catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain(`k6 not found: cannot run '${binary}' (ENOENT)`);
      expect((error as Error).message).toContain('uses: grafana/setup-k6-action');
      expect((error as Error).message).toContain('https://grafana.com/docs/k6/latest/set-up/install-k6/');
    }
  });

  it('a missing user script is named before k6 starts', async () => {
    const scenario = k6Scenario({ k6: { binary: FAKE_K6, script: path.join(dir, 'gone.js') } }, []);
    await expect(engine(scenario).runTrial({ scenario, durationMs: 1000 })).rejects.toThrow(
      /the k6 script .*gone\.js cannot be read \(ENOENT\)/,
    );
  });

  it('through runScenario a k6 failure is a RunFailure: exit 3', async () => {
    // engineFor() picks the k6 engine, which runs with this process's environment.
    process.env.FAKE_K6_EXIT = '107';
    try {
      const failure = await runScenario({
        scenario: k6Scenario({ warmupMs: 0 }),
        limits: DEFAULT_GENERATOR_LIMITS,
        logger: silentLogger,
      }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(RunFailure);
      expect((failure as Error).message).toMatch(/^test trial 1\/1 failed: k6 .* exit code 107/);
      expect(exitCodeFor(failure)).toBe(EXIT.targetOrRun);
    } finally {
      delete process.env.FAKE_K6_EXIT;
    }
  });
});

describe('k6 through the CLI, with a stand-in k6', () => {
  let server: http.Server;
  const project = path.join(dir, 'project');

  beforeAll(async () => {
    // The CLI checks that the target answers before it loads it.
    server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mkdirSync(path.join(project, 'scenarios'), { recursive: true });
    writeFileSync(
      path.join(project, 'perf-gate.yml'),
      `target: ${target}\ndefaults: { trials: 1, warmup: 0s, pause: 0s, load: { model: closed, connections: 1, duration: 1s } }\n`,
    );
    const ndjson = path.join(dir, 'home.ndjson');
    writeFileSync(ndjson, synthNdjson([{ name: 'home', status: 200, ms: 1.2, bytes: 90, namedBytes: true }]));
    process.env.FAKE_K6_NDJSON = ndjson;
  });
  afterAll(async () => {
    delete process.env.FAKE_K6_NDJSON;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function run(binary: string, exit?: string) {
    writeFileSync(
      path.join(project, 'scenarios', 'home.yml'),
      `name: home\nrunner: k6\nk6: { binary: ${JSON.stringify(binary)} }\nrequests: [{ name: home, path: / }]\n`,
    );
    if (exit !== undefined) process.env.FAKE_K6_EXIT = exit;
    try {
      return await runCli(['run', '-c', 'perf-gate.yml', '-o', 'out/run.json'], { cwd: project });
    } finally {
      delete process.env.FAKE_K6_EXIT;
    }
  }

  it('exit 3 with the meaning of k6 exit 107', async () => {
    const result = await run(FAKE_K6, '107');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('exit code 107 (the script threw an exception)');
  });

  it('exit 3 with the install hint when k6 is missing', async () => {
    const result = await run(path.join(dir, 'missing', 'k6'));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('k6 not found');
    expect(result.stderr).toContain('grafana/setup-k6-action');
  });

  it('k6 thresholds failed (99): the run succeeds and records the k6 version', async () => {
    const result = await run(FAKE_K6, '99');
    expect(result.code).toBe(0);
    const written = JSON.parse(readFileSync(path.join(project, 'out', 'run.json'), 'utf8')) as {
      scenarios: Array<{
        runner: string;
        trials: Array<{ generator: { engineVersion?: string }; requests: unknown[] }>;
      }>;
    };
    expect(written.scenarios[0]?.runner).toBe('k6');
    expect(written.scenarios[0]?.trials[0]?.generator.engineVersion).toBe('k6 v0.46.0');
    expect(written.scenarios[0]?.trials[0]?.requests).toEqual([
      expect.objectContaining({ name: 'home', attempts: 1, ok: 1, bytes: 90 }),
    ]);
  });
});
