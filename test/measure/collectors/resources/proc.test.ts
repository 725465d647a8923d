// ProcTreeReader against a fake /proc (ordinary files): the only way to make processes exit, get reaped,
// reparent and reuse pids exactly when a test wants. The real /proc is covered by the integration tests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ProcTreeReader,
  ProcessGoneError,
  clockTicksPerSecond,
  parseProcStat,
  parseProcStatus,
} from '../../../../src/measure/collectors/resources/proc.ts';
import { FakeProc, statLine } from '../../../fixtures/resources/fake-fs.ts';

describe('parseProcStat / parseProcStatus', () => {
  it('reads fields after the last parenthesis, so command names with spaces and parens parse', () => {
    const line = statLine({
      pid: 42,
      ppid: 7,
      comm: 'we(ird) name)',
      utime: 11,
      stime: 22,
      cutime: 33,
      cstime: 44,
      startTicks: 555,
    });
    expect(parseProcStat(line)).toEqual({
      pid: 42,
      comm: 'we(ird) name)',
      state: 'S',
      ppid: 7,
      ticks: 110,
      startTicks: 555,
    });
  });

  it('parses a real stat line of this process', async () => {
    const { readFile } = await import('node:fs/promises');
    const s = parseProcStat(await readFile('/proc/self/stat', 'utf8'));
    expect(s.pid).toBeGreaterThan(0);
    expect(s.ppid).toBeGreaterThan(0);
    expect(s.ticks).toBeGreaterThan(0);
  });

  it('rejects a malformed line', () => {
    expect(() => parseProcStat('garbage')).toThrow(/malformed/);
    expect(() => parseProcStat('1 (x) S notanumber')).toThrow(/field 4/);
  });

  it('reads VmRSS and VmHWM in bytes and tolerates their absence (kernel threads, zombies)', () => {
    expect(parseProcStatus('Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t1024 kB\n')).toEqual({
      rssBytes: 1024 * 1024,
      hwmBytes: 2048 * 1024,
    });
    expect(parseProcStatus('Name:\tkthreadd\nState:\tS\n')).toEqual({});
  });

  it('gets CLK_TCK right: /proc ticks / CLK_TCK agree with process.cpuUsage()', async () => {
    const { readFile } = await import('node:fs/promises');
    const hz = await clockTicksPerSecond();
    expect(Number.isInteger(hz) && hz > 0).toBe(true);
    let x = 0;
    const t0 = process.cpuUsage();
    while (process.cpuUsage(t0).user < 200_000) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    const u = process.cpuUsage();
    // Own utime + stime (fields 14, 15) only: this process's children are not in cpuUsage().
    const f = (await readFile('/proc/self/stat', 'utf8')).split(') ')[1]!.split(' ');
    const ownTicks = Number(f[11]) + Number(f[12]);
    expect(ownTicks / hz).toBeGreaterThan(((u.user + u.system) / 1e6) * 0.95 - 0.02);
    expect(ownTicks / hz).toBeLessThan(((u.user + u.system) / 1e6) * 1.05 + 0.02);
  });
});

describe('ProcTreeReader on a fake /proc', () => {
  let proc: FakeProc;
  beforeEach(async () => {
    proc = await FakeProc.create();
    // An unrelated process, and init.
    await proc.set({ pid: 1, ppid: 0, comm: 'init', utime: 999 });
    await proc.set({ pid: 50, ppid: 1, comm: 'other', utime: 12345 });
  });
  afterEach(async () => {
    await proc.dispose();
  });

  it('sums the root and its descendants, not other processes', async () => {
    await proc.set({ pid: 100, ppid: 1, utime: 10, rssKb: 1000, hwmKb: 1000 });
    await proc.set({ pid: 101, ppid: 100, utime: 20, rssKb: 500, hwmKb: 500 });
    await proc.set({ pid: 102, ppid: 101, utime: 30, rssKb: 250, hwmKb: 250 });
    const reader = new ProcTreeReader(100, { procRoot: proc.root });
    const r0 = await reader.read();
    expect(r0).toMatchObject({ cpuSeconds: 0, rssBytes: 1750 * 1024, processes: 3 });
    await proc.set({ pid: 100, ppid: 1, utime: 15, rssKb: 1000, hwmKb: 1000 });
    await proc.set({ pid: 102, ppid: 101, utime: 55, stime: 5, rssKb: 250, hwmKb: 250 });
    await proc.set({ pid: 50, ppid: 1, utime: 99999 });
    const r1 = await reader.read();
    expect(r1.cpuSeconds).toBeCloseTo((5 + 25 + 5) / 100, 10);
  });

  it('keeps the total continuous when a child exits and its parent reaps it (no double count)', async () => {
    await proc.set({ pid: 100, ppid: 1, utime: 10 });
    await proc.set({ pid: 101, ppid: 100, utime: 50 });
    const reader = new ProcTreeReader(100, { procRoot: proc.root });
    await reader.read();
    // The child used 30 more ticks, exited, and was reaped: all 80 of its ticks move to the root's cutime.
    await proc.remove(101);
    await proc.set({ pid: 100, ppid: 1, utime: 10, cutime: 80 });
    expect((await reader.read()).cpuSeconds).toBeCloseTo(0.3, 10);
  });

  it('counts a short-lived child it never saw, through the parent cutime', async () => {
    await proc.set({ pid: 100, ppid: 1, utime: 10 });
    const reader = new ProcTreeReader(100, { procRoot: proc.root });
    await reader.read();
    await proc.set({ pid: 100, ppid: 1, utime: 12, cutime: 40, cstime: 8 });
    expect((await reader.read()).cpuSeconds).toBeCloseTo(0.5, 10);
  });

  it('keeps the last-seen time of a descendant that left the tree (orphan reparented to init)', async () => {
    await proc.set({ pid: 100, ppid: 1, utime: 10 });
    await proc.set({ pid: 101, ppid: 100, utime: 20 });
    await proc.set({ pid: 102, ppid: 101, utime: 30 });
    const reader = new ProcTreeReader(100, { procRoot: proc.root });
    await reader.read();
    // 101 exits (reaped by 100, which absorbs its 20 ticks); 102 is reparented to init and leaves the tree.
    await proc.remove(101);
    await proc.set({ pid: 100, ppid: 1, utime: 10, cutime: 20 });
    await proc.set({ pid: 102, ppid: 1, utime: 70 });
    // Nothing was lost or invented up to the last reading that saw 102.
    expect((await reader.read()).cpuSeconds).toBeCloseTo(0, 10);
    await proc.set({ pid: 100, ppid: 1, utime: 11, cutime: 20 });
    expect((await reader.read()).cpuSeconds).toBeCloseTo(0.01, 10);
  });

  it('treats a reused pid as a new process', async () => {
    await proc.set({ pid: 100, ppid: 1, utime: 10 });
    await proc.set({ pid: 101, ppid: 100, utime: 500, startTicks: 1 });
    const reader = new ProcTreeReader(100, { procRoot: proc.root });
    await reader.read();
    // The old 101 exits and is reaped by 100 (cutime 500); a new process gets pid 101 and uses 7 ticks.
    await proc.set({ pid: 100, ppid: 1, utime: 10, cutime: 500 });
    await proc.set({ pid: 101, ppid: 100, utime: 7, startTicks: 2 });
    expect((await reader.read()).cpuSeconds).toBeCloseTo(0.07, 10);
  });

  it('reports a VmHWM rise between readings as a peak no sample saw', async () => {
    await proc.set({ pid: 100, ppid: 1, rssKb: 1000, hwmKb: 1200 });
    const reader = new ProcTreeReader(100, { procRoot: proc.root });
    const r0 = await reader.read();
    expect(r0.newHighWaterBytes).toBeUndefined();
    // Unchanged high-water mark: no hint (the 1200 kB peak predates the window).
    await proc.set({ pid: 100, ppid: 1, rssKb: 900, hwmKb: 1200 });
    expect((await reader.read()).newHighWaterBytes).toBeUndefined();
    // A spike to 5000 kB came and went between readings.
    await proc.set({ pid: 100, ppid: 1, rssKb: 950, hwmKb: 5000 });
    const r2 = await reader.read();
    expect(r2.rssBytes).toBe(950 * 1024);
    expect(r2.newHighWaterBytes).toBe(5000 * 1024);
  });

  it('follows /proc/<pid>/task/<tid>/children when the kernel provides it, for every thread', async () => {
    await proc.set({ pid: 100, ppid: 1, utime: 1 });
    await proc.set({ pid: 101, ppid: 100, utime: 2 });
    await proc.set({ pid: 102, ppid: 100, utime: 4 });
    await proc.set({ pid: 103, ppid: 102, utime: 8 });
    // Listed by ppid but in no children file: proves the children files were used, not a scan.
    await proc.set({ pid: 104, ppid: 100, utime: 1000 });
    await proc.setChildren(100, 100, [101]);
    await proc.setChildren(100, 105, [102]); // started by another thread of the root
    await proc.setChildren(101, 101, []);
    await proc.setChildren(102, 102, [103]);
    await proc.setChildren(103, 103, []);
    const reader = new ProcTreeReader(100, { procRoot: proc.root });
    expect((await reader.read()).processes).toBe(4);
    await proc.set({ pid: 103, ppid: 102, utime: 18 });
    await proc.set({ pid: 104, ppid: 100, utime: 5000 });
    expect((await reader.read()).cpuSeconds).toBeCloseTo(0.1, 10);
  });

  it('throws ProcessGoneError when the root is missing or a zombie', async () => {
    await expect(new ProcTreeReader(4242, { procRoot: proc.root }).read()).rejects.toBeInstanceOf(
      ProcessGoneError,
    );
    await proc.set({ pid: 100, ppid: 1, state: 'Z' });
    await expect(new ProcTreeReader(100, { procRoot: proc.root }).read()).rejects.toBeInstanceOf(
      ProcessGoneError,
    );
  });
});
