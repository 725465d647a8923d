// CPU profiles over HTTP (pprof): a loopback server that answers `?seconds=N` after N seconds with a
// gzipped protobuf made by pprof-format's encoder; each measured trial stores its profile with the run.
// A broken endpoint never fails the run: the reason is recorded.
import http from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  Function as PprofFunction,
  Line,
  Location,
  Profile,
  Sample,
  StringTable,
  ValueType,
} from 'pprof-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRunResult } from '../../src/store/codec/run-result-codec.ts';
import { decodeProfile } from '../../src/attribution/profile-codec.ts';
import { summarizeFunctions } from '../../src/attribution/profile-model.ts';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { runCli } from '../helpers/cli.ts';

/** A Go-like CPU profile: main.handler -> main.computeFee, 30 ms of CPU in computeFee. */
function goProfile(): Uint8Array {
  const st = new StringTable();
  const fn = (id: number, name: string) =>
    new PprofFunction({
      id,
      name: st.dedup(name),
      filename: st.dedup('/src/app/fees.go'),
      startLine: id * 10,
    });
  const profile = new Profile({
    sampleType: [
      new ValueType({ type: st.dedup('samples'), unit: st.dedup('count') }),
      new ValueType({ type: st.dedup('cpu'), unit: st.dedup('nanoseconds') }),
    ],
    function: [fn(1, 'main.handler'), fn(2, 'main.computeFee')],
    location: [
      new Location({ id: 1, line: [new Line({ functionId: 1, line: 12 })] }),
      new Location({ id: 2, line: [new Line({ functionId: 2, line: 25 })] }),
    ],
    sample: [
      new Sample({ locationId: [2, 1], value: [3, 30_000_000] }),
      new Sample({ locationId: [1], value: [1, 10_000_000] }),
    ],
    stringTable: st,
    periodType: new ValueType({ type: st.dedup('cpu'), unit: st.dedup('nanoseconds') }),
    period: 10_000_000,
  });
  return gzipSync(profile.encode());
}

let target: ChildServer;
let pprof: http.Server;
let pprofUrl: string;
const seen: string[] = [];
beforeAll(async () => {
  target = await startChildServer([DELAY_SERVER]);
  pprof = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(url.search);
    if (url.pathname === '/broken') {
      res.writeHead(500).end('no profiler here');
      return;
    }
    const seconds = Number(url.searchParams.get('seconds') ?? '30');
    setTimeout(
      () => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(goProfile()),
      seconds * 1000,
    );
  });
  await new Promise<void>((r) => pprof.listen(0, '127.0.0.1', r));
  pprofUrl = `http://127.0.0.1:${(pprof.address() as { port: number }).port}`;
});
afterAll(async () => {
  await target?.stop();
  pprof?.closeAllConnections();
  await new Promise<void>((r) => pprof?.close(() => r()));
});

function project(profileUrl: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-pprof-'));
  mkdirSync(path.join(dir, 'scenarios'));
  writeFileSync(
    path.join(dir, 'perf-gate.yml'),
    `target: ${target.url}\nprofile:\n  pprof: ${profileUrl}\ndefaults:\n  trials: 2\n  warmup: 200ms\n  pause: 0s\n  load: { model: closed, connections: 2, duration: 1s }\n`,
  );
  writeFileSync(path.join(dir, 'scenarios/a.yml'), 'name: a\nrequests:\n  - name: r\n    path: /delay/1\n');
  return dir;
}

describe('pprof over HTTP', () => {
  it('captures one profile per measured trial (not the warm-up) and stores it with the run', async () => {
    seen.length = 0;
    const dir = project(`${pprofUrl}/debug/pprof/profile`);
    const r = await runCli(['run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(seen).toEqual(['?seconds=1', '?seconds=1']);
    const run = decodeRunResult(readFileSync(path.join(dir, '.perf-gate/run.json'), 'utf8'), 'run.json');
    const profiles = run.scenarios[0]!.profiles!;
    expect(profiles).toHaveLength(2);
    const fns = summarizeFunctions(decodeProfile(profiles[0]!));
    const fee = fns.find((f) => f.name === 'main.computeFee')!;
    expect(fee.selfMs).toBeCloseTo(30, 5);
  });

  it('records why a broken endpoint gave no profile, and the run still passes', async () => {
    const dir = project(`${pprofUrl}/broken`);
    const r = await runCli(['run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const run = decodeRunResult(readFileSync(path.join(dir, '.perf-gate/run.json'), 'utf8'), 'run.json');
    expect(run.scenarios[0]!.profiles).toEqual([null, null]);
    expect(run.scenarios[0]!.profilesMissing).toMatch(/answered HTTP 500/);
  });
});
