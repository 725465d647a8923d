import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cpuMsPerRequest,
  createResourceProbe,
  summarizeReadings,
  type Reading,
} from '../../../../src/measure/collectors/resources/probe.ts';
import { displayUrl } from '../../../../src/measure/collectors/resources/metrics-url.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('summarizeReadings', () => {
  it('computes CPU seconds, mean, p95 and max of per-interval cores', () => {
    // 11 readings 100 ms apart; interval CPU: nine at 0.05 s (0.5 cores), one at 0.1 s (1 core).
    const readings: Reading[] = [];
    let cpu = 0;
    for (let i = 0; i <= 10; i++) {
      if (i > 0) cpu += i === 5 ? 0.1 : 0.05;
      readings.push({ atMs: 1000 + i * 100, cpuSeconds: cpu, memoryBytes: 100 + i });
    }
    const s = summarizeReadings(readings);
    expect(s.samples).toBe(11);
    expect(s.windowMs).toBe(1000);
    expect(s.cpuSeconds).toBeCloseTo(0.55, 9);
    expect(s.cpuCoresMean).toBeCloseTo(0.55, 4);
    expect(s.cpuCoresMax).toBeCloseTo(1, 4);
    // Type-7 p95 of [0.5 × 9, 1]: h = 9 × 0.95 = 8.55 → 0.5 + 0.55 × 0.5.
    expect(s.cpuCoresP95).toBeCloseTo(0.775, 4);
    expect(s.memoryPeakBytes).toBe(110);
    expect(s.missing).toEqual([]);
  });

  it('uses a peak hint only from the second reading on, and copies the peak to the working set when asked', () => {
    const s = summarizeReadings(
      [
        { atMs: 0, memoryBytes: 10, peakHintBytes: 999 },
        { atMs: 100, memoryBytes: 12, peakHintBytes: 50 },
        { atMs: 200, memoryBytes: 11 },
      ],
      { workingSetIsPeak: true },
    );
    expect(s.memoryPeakBytes).toBe(50);
    expect(s.memoryWorkingSetBytes).toBe(50);
  });

  it('differences counters between the first and last reading that have them', () => {
    const s = summarizeReadings([
      { atMs: 0, cpuPeriods: 10, throttledPeriods: 1, throttledUsec: 1000, oomKills: 2 },
      { atMs: 100 },
      { atMs: 200, cpuPeriods: 30, throttledPeriods: 6, throttledUsec: 251000, oomKills: 2 },
    ]);
    expect(s).toMatchObject({ cpuPeriods: 20, throttledPeriods: 5, throttledSeconds: 0.25, oomKills: 0 });
  });

  it('says why CPU and memory are absent, and never produces NaN', () => {
    const one = summarizeReadings([{ atMs: 5, cpuSeconds: 1 }]);
    expect(one.cpuSeconds).toBeUndefined();
    expect(one.missing).toEqual([
      'CPU: needs at least two readings with CPU time, got 1',
      'memory: no reading carried a memory figure',
    ]);
    const none = summarizeReadings([]);
    expect(none).toEqual({
      windowMs: 0,
      samples: 0,
      missing: ['CPU: needs at least two readings with CPU time, got 0'],
    });
    // Two readings at the same instant: no rate, but no NaN either.
    const same = summarizeReadings([
      { atMs: 1, cpuSeconds: 1 },
      { atMs: 1, cpuSeconds: 1 },
    ]);
    expect(JSON.stringify(same)).not.toMatch(/NaN|null/);
  });
});

describe('cpuMsPerRequest', () => {
  it('divides CPU time by requests, and is undefined when either is missing or zero', () => {
    expect(cpuMsPerRequest({ cpuSeconds: 0.6 }, 300)).toBeCloseTo(2, 9);
    expect(cpuMsPerRequest({}, 300)).toBeUndefined();
    expect(cpuMsPerRequest({ cpuSeconds: 0.6 }, 0)).toBeUndefined();
    expect(cpuMsPerRequest({ cpuSeconds: 0.6 }, Number.NaN)).toBeUndefined();
  });
});

describe('metrics probe failures never throw out of stop()', () => {
  let server: http.Server;
  let base: string;
  let mode: 'ok' | '500' | 'garbage' | 'hang' | 'no-process-metrics' = 'ok';
  let cpu = 10;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      // Credentials in the URL must arrive as Basic auth (fetch refuses them in the URL itself).
      if (req.headers.authorization !== `Basic ${Buffer.from('user:secret').toString('base64')}`) {
        res.writeHead(401);
        res.end();
      } else if (mode === '500') {
        res.writeHead(500);
        res.end('boom');
      } else if (mode === 'garbage') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>{"not": "metrics"}</body></html>');
      } else if (mode === 'hang') {
        // never answers
      } else if (mode === 'no-process-metrics') {
        res.end('# TYPE up gauge\nup 1\n');
      } else {
        cpu += 0.05;
        res.end(
          `# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total ${cpu}\n` +
            `# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 52428800\n`,
        );
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://user:secret@127.0.0.1:${(server.address() as AddressInfo).port}/metrics?token=abc`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const run = async (m: typeof mode, ms = 120, timeoutMs?: number) => {
    mode = m;
    const probe = createResourceProbe({ kind: 'metrics', url: base, timeoutMs }, { intervalMs: 30 });
    probe.start();
    await probe.ready();
    await sleep(ms);
    return probe.stop();
  };

  it('sends URL credentials as Basic auth and hides them and the query string in the source', async () => {
    const t = await run('ok');
    expect(t.source).toBe(`metrics ${displayUrl(base)}`);
    expect(t.source).not.toMatch(/secret|token/);
    expect(t.cpuSeconds).toBeGreaterThan(0);
    expect(t.memoryPeakBytes).toBe(52428800);
    expect(t.missing).toEqual([]);
  });

  it('HTTP 500 on every scrape', async () => {
    const t = await run('500');
    expect(t.samples).toBe(0);
    expect(t.cpuSeconds).toBeUndefined();
    expect(
      t.missing.some((m) =>
        /^\d+ of \d+ readings failed: HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/metrics$/.test(m),
      ),
    ).toBe(true);
  });

  it('a page that is not Prometheus text', async () => {
    const t = await run('garbage');
    expect(t.samples).toBe(0);
    expect(t.missing.some((m) => /is not Prometheus text: line 1: expected a metric name/.test(m))).toBe(
      true,
    );
  });

  it('a server that never answers, within the timeout', async () => {
    const t = await run('hang', 100, 50);
    expect(t.samples).toBe(0);
    expect(t.missing.some((m) => /readings failed: no answer from .* within 50 ms/.test(m))).toBe(true);
  });

  it('a page without the process metrics', async () => {
    const t = await run('no-process-metrics');
    expect(t.samples).toBeGreaterThan(0);
    expect(t.cpuSeconds).toBeUndefined();
    expect(t.missing).toContain(`${displayUrl(base)} does not export process_cpu_seconds_total`);
    expect(t.missing).toContain(`${displayUrl(base)} does not export process_resident_memory_bytes`);
  });

  it('some scrapes failing in the middle: the rest still count', async () => {
    mode = 'ok';
    const probe = createResourceProbe({ kind: 'metrics', url: base }, { intervalMs: 25 });
    probe.start();
    await probe.ready();
    await sleep(100);
    mode = '500';
    await sleep(150);
    mode = 'ok';
    await sleep(100);
    const t = await probe.stop();
    expect(t.cpuSeconds).toBeGreaterThan(0);
    expect(t.missing.some((m) => /readings failed: HTTP 500/.test(m))).toBe(true);
  });

  it('a refused connection', async () => {
    // A port that was just free: nothing listens there.
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const probe = createResourceProbe(
      { kind: 'metrics', url: `http://127.0.0.1:${port}/metrics` },
      { intervalMs: 30 },
    );
    probe.start();
    await probe.ready();
    const t = await probe.stop();
    expect(t.samples).toBe(0);
    expect(
      t.missing.some((m) => m.includes(`cannot fetch http://127.0.0.1:${port}/metrics: ECONNREFUSED`)),
    ).toBe(true);
  });
});

describe('metrics probe across a target restart', () => {
  it('counts CPU across a counter reset, as PromQL rate() does, and says so', async () => {
    // Scripted scrapes: 10 → 10.5, then the target restarts (new start time) at 0.2 → 0.4.
    const script = [
      [10, 1000],
      [10.5, 1000],
      [0.2, 2000],
      [0.4, 2000],
    ] as const;
    let i = 0;
    const server = http.createServer((_req, res) => {
      const [cpu, start] = script[Math.min(i++, script.length - 1)]!;
      res.end(
        `process_cpu_seconds_total ${cpu}\nprocess_start_time_seconds ${start}\nprocess_resident_memory_bytes 1000\n`,
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
      const probe = createResourceProbe({ kind: 'metrics', url }, { intervalMs: 20 });
      probe.start();
      await probe.ready();
      while (i < script.length) await sleep(10);
      const t = await probe.stop();
      expect(t.cpuSeconds).toBeCloseTo(0.9, 9);
      expect(t.missing).toEqual([
        `the target restarted during the window (${url}): CPU counted across the restart`,
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('probe lifecycle', () => {
  it('stop() without start() and stop() twice', async () => {
    const never = createResourceProbe({ kind: 'pid', pid: process.pid });
    expect(await never.stop()).toMatchObject({ samples: 0, missing: ['the probe was never started'] });
    const probe = createResourceProbe({ kind: 'pid', pid: process.pid }, { intervalMs: 20 });
    probe.start();
    await sleep(50);
    const a = await probe.stop();
    const b = await probe.stop();
    expect(b).toBe(a);
    expect(a.samples).toBeGreaterThanOrEqual(2);
    expect(a.processes).toBeGreaterThanOrEqual(1);
  });

  it('a pid that is not running', async () => {
    const probe = createResourceProbe({ kind: 'pid', pid: 999_999_999 });
    probe.start();
    const t = await probe.stop();
    expect(t.samples).toBe(0);
    expect(t.missing[0]).toBe('pid 999999999 is not running before the first reading: nothing measured');
  });

  it('drops readings inside excludeFirstMs', async () => {
    const probe = createResourceProbe(
      { kind: 'pid', pid: process.pid },
      { intervalMs: 20, excludeFirstMs: 100 },
    );
    probe.start();
    await sleep(200);
    const t = await probe.stop();
    expect(t.windowMs).toBeLessThan(150);
    expect(t.samples).toBeGreaterThanOrEqual(2);
  });

  it('refuses an interval under 10 ms', () => {
    expect(() => createResourceProbe({ kind: 'pid', pid: 1 }, { intervalMs: 1 })).toThrow(RangeError);
  });
});
