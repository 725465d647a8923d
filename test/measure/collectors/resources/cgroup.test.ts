// cgroup v2 probe. The real cgroup filesystem cannot be controlled from a test (no way to make the kernel
// throttle, OOM-kill or drop a file on demand, and CI runners differ in what they mount), so the probe is
// tested on a fake cgroup directory of ordinary files written here, plus smoke tests against this machine's
// own cgroup v2 mount when there is one.
import { readFile, statfs } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CGROUP2_SUPER_MAGIC,
  CgroupReader,
  cgroup2MountFromMountinfo,
  cgroupDirOfPid,
  cgroupV2PathFromProcCgroup,
  isCgroup2Dir,
  parseBytesOrMax,
  parseCpuMax,
  parseFlatKeyed,
} from '../../../../src/measure/collectors/resources/cgroup.ts';
import { createResourceProbe } from '../../../../src/measure/collectors/resources/probe.ts';
import { FakeCgroup } from '../../../fixtures/resources/fake-fs.ts';

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('cgroup v2 file parsers', () => {
  it('parses flat keyed files, cpu.max and byte files', () => {
    expect(parseFlatKeyed('usage_usec 123\nnr_periods 10\n\nbad\n')).toEqual({
      usage_usec: 123,
      nr_periods: 10,
    });
    expect(parseCpuMax('max 100000\n')).toEqual({ limitCores: null, periodUsec: 100000 });
    expect(parseCpuMax('150000 100000')).toEqual({ limitCores: 1.5, periodUsec: 100000 });
    expect(parseCpuMax('50000 50000')).toEqual({ limitCores: 1, periodUsec: 50000 });
    expect(() => parseCpuMax('abc 100000')).toThrow(/bad quota/);
    expect(parseBytesOrMax('max\n', 'memory.max')).toBeNull();
    expect(parseBytesOrMax('1073741824\n', 'memory.max')).toBe(1073741824);
    expect(() => parseBytesOrMax('12k', 'memory.max')).toThrow(/memory.max: expected a byte count/);
  });

  it('finds the v2 path of a process and the cgroup2 mount point', () => {
    const procCgroup = '12:memory:/docker/abc\n1:name=systemd:/x\n0::/system.slice/app.service\n';
    expect(cgroupV2PathFromProcCgroup(procCgroup)).toBe('/system.slice/app.service');
    expect(cgroupV2PathFromProcCgroup('4:memory:/a\n')).toBeUndefined();
    const mountinfo = [
      '22 1 0:21 / /proc rw,nosuid - proc proc rw',
      '30 25 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755',
      '35 30 0:30 / /sys/fs/cgroup/unified rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate',
    ].join('\n');
    expect(cgroup2MountFromMountinfo(mountinfo)).toBe('/sys/fs/cgroup/unified');
    expect(cgroup2MountFromMountinfo('22 1 0:21 / /proc rw - proc proc rw')).toBeUndefined();
  });
});

describe('cgroup probe on a fake cgroup directory', () => {
  let cg: FakeCgroup;
  beforeEach(async () => {
    cg = await FakeCgroup.create();
  });
  afterEach(async () => {
    await cg.dispose();
  });

  it('does not mistake an ordinary directory for a cgroup2 mount (so it never writes memory.peak)', async () => {
    expect(await isCgroup2Dir(cg.dir)).toBe(false);
    await cg.write({ memoryPeak: 5 * MiB });
    const reader = new CgroupReader(cg.dir);
    await reader.begin();
    expect(reader.peakIsWindowed).toBe(false);
    expect(await readFile(`${cg.dir}/memory.peak`, 'utf8')).toBe(`${5 * MiB}\n`);
  });

  it('reports CPU, throttling, OOM kills, working set, peak and limits over the window', async () => {
    await cg.write({
      usageUsec: 10_000_000,
      nrPeriods: 100,
      nrThrottled: 4,
      throttledUsec: 50_000,
      memoryCurrent: 300 * MiB,
      memoryPeak: 900 * MiB, // from before the window: must not be reported
      inactiveFile: 100 * MiB,
      oomKill: 1,
      cpuMax: '200000 100000',
      memoryMax: String(1024 * MiB),
    });
    const probe = createResourceProbe({ kind: 'cgroup', path: cg.dir }, { intervalMs: 40 });
    probe.start();
    await probe.ready();
    await sleep(60);
    // Mid-window: memory rose to 950 MiB and came back down between two readings.
    await cg.write({
      usageUsec: 10_700_000,
      nrPeriods: 150,
      nrThrottled: 20,
      throttledUsec: 650_000,
      memoryCurrent: 400 * MiB,
      memoryPeak: 950 * MiB,
      inactiveFile: 50 * MiB,
      oomKill: 3,
    });
    await sleep(60);
    await cg.write({
      usageUsec: 11_500_000,
      nrPeriods: 200,
      nrThrottled: 30,
      throttledUsec: 900_000,
      oomKill: 3,
    });
    const t = await probe.stop();
    expect(t.kind).toBe('cgroup');
    expect(t.source).toBe(`cgroup ${cg.dir}`);
    expect(t.cpuSeconds).toBeCloseTo(1.5, 6);
    expect(t.cpuPeriods).toBe(100);
    expect(t.throttledPeriods).toBe(26);
    expect(t.throttledSeconds).toBeCloseTo(0.85, 6);
    expect(t.oomKills).toBe(2);
    expect(t.cpuLimitCores).toBe(2);
    expect(t.memoryLimitBytes).toBe(1024 * MiB);
    expect(t.memoryPeakBytes).toBe(950 * MiB);
    expect(t.memoryWorkingSetBytes).toBe(350 * MiB);
    expect(t.samples).toBeGreaterThanOrEqual(2);
    expect(t.cpuCoresMean! * (t.windowMs / 1000)).toBeCloseTo(1.5, 1);
    expect(t.missing).toEqual([]);
    // JSON-safe: survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });

  it('falls back to sampled memory.current when memory.peak did not rise in the window', async () => {
    await cg.write({ usageUsec: 0, memoryCurrent: 200 * MiB, memoryPeak: 900 * MiB });
    const probe = createResourceProbe({ kind: 'cgroup', path: cg.dir }, { intervalMs: 20 });
    probe.start();
    await probe.ready();
    await cg.write({ usageUsec: 1000, memoryCurrent: 260 * MiB });
    await sleep(200); // several readings see 260 MiB before it drops
    await cg.write({ usageUsec: 2000, memoryCurrent: 210 * MiB });
    const t = await probe.stop();
    expect(t.memoryPeakBytes).toBe(260 * MiB);
  });

  it('lists missing files and absent throttling counters instead of failing', async () => {
    await cg.write({ usageUsec: 1_000_000, memoryCurrent: 100 * MiB });
    const probe = createResourceProbe({ kind: 'cgroup', path: cg.dir }, { intervalMs: 30 });
    probe.start();
    await probe.ready();
    await sleep(50);
    await cg.write({ usageUsec: 1_250_000 });
    const t = await probe.stop();
    expect(t.cpuSeconds).toBeCloseTo(0.25, 6);
    expect(t.memoryPeakBytes).toBe(100 * MiB);
    expect(t.memoryWorkingSetBytes).toBeUndefined();
    expect(t.throttledPeriods).toBeUndefined();
    expect(t.cpuLimitCores).toBeUndefined();
    for (const file of ['cpu.max', 'memory.max', 'memory.stat', 'memory.peak', 'memory.events']) {
      expect(t.missing).toContain(`${file}: not found in ${cg.dir}`);
    }
    expect(t.missing.some((m) => /throttling: no counters/.test(m))).toBe(true);
  });

  it('keeps going when cpu.stat disappears mid-window and reports it', async () => {
    await cg.write({ usageUsec: 5_000_000, memoryCurrent: 64 * MiB, cpuMax: 'max 100000', memoryMax: 'max' });
    const probe = createResourceProbe({ kind: 'cgroup', path: cg.dir }, { intervalMs: 20 });
    probe.start();
    await probe.ready();
    await cg.write({ usageUsec: 5_100_000 });
    await sleep(200); // several readings see the new usage before the file goes
    await cg.remove('cpu.stat');
    await sleep(60);
    const t = await probe.stop();
    expect(t.cpuSeconds).toBeCloseTo(0.1, 6);
    expect(t.missing).toContain(`cpu.stat: not found in ${cg.dir}`);
    // "max" limits are no limit, not a failure.
    expect(t.cpuLimitCores).toBeUndefined();
    expect(t.memoryLimitBytes).toBeUndefined();
    expect(t.missing.some((m) => /cpu\.max|memory\.max/.test(m))).toBe(false);
  });

  it('reports an empty or vanished cgroup directory without throwing', async () => {
    const probe = createResourceProbe(
      { kind: 'cgroup', path: `${cg.dir}/does-not-exist` },
      { intervalMs: 30 },
    );
    probe.start();
    await sleep(40);
    const t = await probe.stop();
    expect(t.samples).toBe(0);
    expect(t.cpuSeconds).toBeUndefined();
    expect(
      t.missing.some((m) => /readings failed: neither cpu.stat nor memory.current readable/.test(m)),
    ).toBe(true);
  });

  it('reports a pid whose cgroup cannot be resolved', async () => {
    const probe = createResourceProbe({ kind: 'cgroup', pid: 999_999_999 }, { intervalMs: 30 });
    probe.start();
    const t = await probe.stop();
    expect(t.samples).toBe(0);
    expect(t.missing[0]).toMatch(/cannot read \/proc\/999999999\/cgroup.*nothing measured/);
  });
});

// This machine's own cgroup v2, read-only: only checks that real files parse and CPU time moves.
const rootFs = await statfs('/sys/fs/cgroup').catch(() => undefined);
const rootIsV2 = rootFs?.type === CGROUP2_SUPER_MAGIC;
const mountinfo = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
const v2Mount = cgroup2MountFromMountinfo(mountinfo);

function burnCpu(ms: number): number {
  const t0 = process.cpuUsage();
  let x = 0;
  while (process.cpuUsage(t0).user < ms * 1000) x += Math.sqrt(x + 1);
  return x;
}

describe('cgroup probe smoke tests on this machine', () => {
  it('reads /sys/fs/cgroup when it is a cgroup v2 mount', async (ctx) => {
    ctx.skip(
      !rootIsV2,
      `/sys/fs/cgroup is not cgroup v2 here (statfs type ${rootFs ? `0x${rootFs.type.toString(16)}` : 'unavailable'}: cgroup v1 or hybrid host)`,
    );
    const probe = createResourceProbe({ kind: 'cgroup', pid: process.pid }, { intervalMs: 50 });
    probe.start();
    await probe.ready();
    burnCpu(200);
    const t = await probe.stop();
    expect(t.cpuSeconds).toBeGreaterThanOrEqual(0.18);
    expect(t.memoryPeakBytes).toBeGreaterThan(10 * MiB);
  });

  it('reads this process cgroup on a hybrid host through the separate cgroup2 mount', async (ctx) => {
    ctx.skip(
      rootIsV2 || !v2Mount,
      rootIsV2 ? 'covered by the test above' : 'no cgroup2 mount on this machine',
    );
    const dir = await cgroupDirOfPid(process.pid);
    expect(dir.startsWith(v2Mount!)).toBe(true);
    const probe = createResourceProbe({ kind: 'cgroup', pid: process.pid }, { intervalMs: 50 });
    probe.start();
    await probe.ready();
    burnCpu(200);
    const t = await probe.stop();
    // The group may hold more than this process (on a hybrid host often the root group): at least our CPU.
    expect(t.cpuSeconds).toBeGreaterThanOrEqual(0.18);
    expect(t.source).toContain(dir);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });
});
