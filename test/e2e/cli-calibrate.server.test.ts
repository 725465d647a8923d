// `perf-gate calibrate` finds a load the generator can hold, or says that none can be held here. Limits
// are set far from what any machine does (4 cores of generator, or a millionth of one) so the outcome
// never depends on the runner's load.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { runCli } from '../helpers/cli.ts';

let server: ChildServer;
beforeAll(async () => {
  server = await startChildServer([DELAY_SERVER]);
});
afterAll(async () => {
  await server?.stop();
});

function project(generator: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-calibrate-'));
  mkdirSync(path.join(dir, 'scenarios'));
  writeFileSync(
    path.join(dir, 'perf-gate.yml'),
    `target: ${server.url}\ndefaults:\n  load: { model: closed, connections: 4, duration: 10s }\ngenerator:\n${generator}`,
  );
  writeFileSync(
    path.join(dir, 'scenarios/api.yml'),
    'name: api\nrequests:\n  - name: r\n    path: /delay/2\n',
  );
  return dir;
}

describe('perf-gate calibrate', () => {
  it('keeps a load the generator holds', async () => {
    const dir = project('  maxCpu: 4\n  maxEventLoopDelay: 5s\n');
    const r = await runCli(['calibrate', '--load', '--trial-ms', '300', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/api: the generator holds the configured connections: 4/);
    expect(JSON.parse(r.stdout)[0].holds).toMatchObject({
      model: 'closed',
      connections: 4,
      durationMs: 10_000,
    });
  });

  it('steps the load down and, when nothing holds, says so with a rate to try (exit 3)', async () => {
    const dir = project('  maxCpu: 0.000001\n');
    const r = await runCli(['calibrate', '--load', '--trial-ms', '300', '--json'], { cwd: dir });
    expect(r.code).toBe(3);
    const [c] = JSON.parse(r.stdout);
    const tried = c.steps.map((s: { load: { connections: number } }) => s.load.connections);
    expect(tried[0]).toBe(4);
    expect(tried.at(-1)).toBe(1);
    expect(tried).toEqual([...tried].sort((a, b) => b - a));
    expect(r.stderr).toMatch(
      /cannot hold even the lowest load tried .*use the rate model, e\.g\. load: \{ model: rate, rate: \d+/,
    );
  });
});
