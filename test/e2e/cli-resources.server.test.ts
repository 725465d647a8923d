// A target that perf-gate starts itself (`service`), its resource use measured per trial by the /proc
// probe, rightsizing in the report; and a probe that cannot measure never fails the run.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRunResult } from '../../src/store/codec/run-result-codec.ts';
import { checkReachable } from '../../src/measure/preflight.ts';
import { DELAY_SERVER } from '../helpers/child-server.ts';
import { runCli } from '../helpers/cli.ts';
import { freePort } from '../helpers/net.ts';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-res-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const SCENARIO = 'name: api\nrequests:\n  - name: r\n    path: /delay/2\n';
const defaults =
  'defaults:\n  trials: 3\n  warmup: 200ms\n  pause: 50ms\n  timeout: 2s\n  load: { model: closed, connections: 2, duration: 600ms }\n';

describe('service and resources', () => {
  it('starts the service, measures its CPU and memory per trial, and stops it', async () => {
    const port = await freePort();
    const dir = project({
      'perf-gate.yml':
        `target: http://127.0.0.1:${port}\n` +
        `service:\n  command: ['${process.execPath}', '${DELAY_SERVER}', '--port=${port}']\n` +
        'resources:\n  interval: 100ms\n' +
        'rightsizing:\n  targetRps: 1000\n  current: { cpu: 16, memory: 64GiB }\n' +
        defaults,
      'scenarios/api.yml': SCENARIO,
    });
    const r = await runCli(['run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/service '.*' started \(pid \d+\)/);
    expect(r.stderr).toMatch(/target \d+\.\d+ cores \(\d+\.\d+ CPU-ms\/request\)/);
    const run = decodeRunResult(readFileSync(path.join(dir, '.perf-gate/run.json'), 'utf8'), 'run.json');
    for (const t of run.scenarios[0]!.trials) {
      expect(t.resources?.kind).toBe('pid');
      expect(t.resources?.cpuMsPerRequest).toBeGreaterThan(0);
      expect(t.resources?.memoryPeakBytes).toBeGreaterThan(10 * 1024 * 1024);
      expect(t.resources?.missing).toEqual([]);
    }
    // stopped afterwards
    await expect(checkReachable(`http://127.0.0.1:${port}`, 500)).rejects.toThrow(/ECONNREFUSED/);

    // The gate reports rightsizing from the same data (no baseline yet: it still advises).
    const g = await runCli(['gate', '--branch', 'main'], { cwd: dir });
    expect(g.code, g.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, '.perf-gate/report.json'), 'utf8'));
    expect(report.rightsizing[0].report.advisory).toBe(true);
    // When no CPU or memory figure was measured the report says why (absentReason): show it on failure.
    expect(report.rightsizing[0].report.current?.vcpu, report.rightsizing[0].report.absentReason).toBe(16);
    expect(readFileSync(path.join(dir, '.perf-gate/comment.md'), 'utf8')).toMatch(
      /Resources and rightsizing \(advisory\)/,
    );
  });

  it('a service that dies before it answers is a run failure naming it (exit 3)', async () => {
    const port = await freePort();
    const dir = project({
      'perf-gate.yml': `target: http://127.0.0.1:${port}\nservice:\n  command: ['${process.execPath}', '-e', 'console.error("boom: no database"); process.exit(4)']\n${defaults}`,
      'scenarios/api.yml': SCENARIO,
    });
    const r = await runCli(['run'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/exited \(code 4\).*boom: no database/);
  });

  it('a probe that cannot measure (no such pid) never fails the run; it says what is missing', async () => {
    const server = net.createServer(); // only to get a port for a real target below
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const dir = project({
      'perf-gate.yml':
        `target: http://127.0.0.1:${port}\nservice:\n  command: ['${process.execPath}', '${DELAY_SERVER}', '--port=${port}']\n` +
        'resources:\n  pid: 999999\n' +
        defaults,
      'scenarios/api.yml': SCENARIO,
    });
    const r = await runCli(['run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const run = decodeRunResult(readFileSync(path.join(dir, '.perf-gate/run.json'), 'utf8'), 'run.json');
    const t = run.scenarios[0]!.trials[0]!;
    expect(t.valid).toBe(true);
    expect(t.resources?.missing.join()).toMatch(/999999/);
    expect(t.resources?.cpuMsPerRequest).toBeUndefined();
  });
});
