// Reads a cgroup v2 directory: the whole container or service, children included.
// Files (kernel Documentation/admin-guide/cgroup-v2.rst): cpu.stat (usage_usec always; nr_periods,
// nr_throttled, throttled_usec only with the cpu controller), memory.current, memory.peak, memory.stat
// (inactive_file, for the working set as kubelet computes it), memory.events (oom, oom_kill),
// cpu.max ("$MAX $PERIOD", "max" = no limit), memory.max ("max" = no limit).
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { readFile, statfs } from 'node:fs/promises';
import path from 'node:path';

/** statfs magic of a cgroup2 mount (include/uapi/linux/magic.h). */
export const CGROUP2_SUPER_MAGIC = 0x63677270;

/** `key value` lines (cpu.stat, memory.stat, memory.events) into numbers. */
export function parseFlatKeyed(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (!k || v === undefined) continue;
    const n = Number(v);
    if (Number.isFinite(n)) out[k] = n;
  }
  return out;
}

/** cpu.max: "max 100000" → no limit; "150000 100000" → 1.5 cores. */
export function parseCpuMax(text: string): { limitCores: number | null; periodUsec: number } {
  const [quota, period] = text.trim().split(/\s+/);
  const periodUsec = Number(period ?? 100000);
  if (!Number.isFinite(periodUsec) || periodUsec <= 0)
    throw new Error(`cpu.max: bad period in '${text.trim()}'`);
  if (quota === 'max') return { limitCores: null, periodUsec };
  const q = Number(quota);
  if (!Number.isFinite(q) || q <= 0) throw new Error(`cpu.max: bad quota in '${text.trim()}'`);
  return { limitCores: q / periodUsec, periodUsec };
}

/** memory.max / memory.current / memory.peak: bytes, or null for "max". */
export function parseBytesOrMax(text: string, file: string): number | null {
  const t = text.trim();
  if (t === 'max') return null;
  const n = Number(t);
  if (!/^\d+$/.test(t) || !Number.isFinite(n)) throw new Error(`${file}: expected a byte count, got '${t}'`);
  return n;
}

/** The cgroup v2 mount point, from a mountinfo text (field 5 of the line whose fs type is cgroup2). */
export function cgroup2MountFromMountinfo(mountinfo: string): string | undefined {
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    if (right.split(' ')[0] !== 'cgroup2') continue;
    const mountPoint = left.split(' ')[4];
    if (mountPoint) return mountPoint.replace(/\\040/g, ' ');
  }
  return undefined;
}

/** The v2 path from /proc/<pid>/cgroup: the line "0::<path>". */
export function cgroupV2PathFromProcCgroup(text: string): string | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('0::')) return line.slice(3).trim();
  }
  return undefined;
}

/** Directory of the cgroup v2 group a process belongs to. @throws when it cannot be resolved. */
export async function cgroupDirOfPid(pid: number, procRoot = '/proc'): Promise<string> {
  const text = await readFile(`${procRoot}/${pid}/cgroup`, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${procRoot}/${pid}/cgroup: ${err.code ?? err.message}`);
  });
  const rel = cgroupV2PathFromProcCgroup(text);
  if (rel === undefined) throw new Error(`process ${pid} has no cgroup v2 membership (cgroup v1 only host)`);
  const mountinfo = await readFile(`${procRoot}/self/mountinfo`, 'utf8').catch(() => '');
  const mount = cgroup2MountFromMountinfo(mountinfo) ?? '/sys/fs/cgroup';
  return path.join(mount, rel);
}

/** True when `dir` lives on a cgroup2 filesystem (false for ordinary directories such as test fixtures). */
export async function isCgroup2Dir(dir: string): Promise<boolean> {
  try {
    return (await statfs(dir)).type === CGROUP2_SUPER_MAGIC;
  } catch {
    return false;
  }
}

export interface CgroupReading {
  usageUsec?: number;
  memoryCurrent?: number;
  /** memory.current − inactive_file (kubelet's working set), when memory.stat is readable. */
  workingSet?: number;
  memoryPeak?: number;
  /** cpu.stat throttling counters: present only when the cpu controller is enabled. */
  nrPeriods?: number;
  nrThrottled?: number;
  throttledUsec?: number;
  /** memory.events */
  oom?: number;
  oomKill?: number;
}

export interface CgroupLimits {
  /** null = no limit ("max"); undefined = could not be read. */
  cpuLimitCores?: number | null;
  cpuPeriodUsec?: number;
  memoryLimitBytes?: number | null;
}

/**
 * Reader of one cgroup directory. Every method records what it could not read in `problems` (file name
 * and reason, first occurrence only) instead of throwing.
 */
export class CgroupReader {
  readonly problems: string[] = [];
  private readonly reported = new Set<string>();
  private peakFd: number | undefined;
  /** True when memory.peak was reset at begin(): it then holds the peak of the window alone. */
  peakIsWindowed = false;

  constructor(readonly dir: string) {}

  private note(file: string, reason: string) {
    if (this.reported.has(file)) return;
    this.reported.add(file);
    this.problems.push(`${file}: ${reason}`);
  }

  // Synchronous on purpose, as in proc.ts: tiny kernel-generated files, ~7 µs per read instead of
  // 80-230 µs of thread-pool hops with fs/promises.
  private text(file: string): string | undefined {
    try {
      return readFileSync(path.join(this.dir, file), 'utf8');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      this.note(
        file,
        e.code === 'ENOENT' ? `not found in ${this.dir}` : `unreadable (${e.code ?? e.message})`,
      );
      return undefined;
    }
  }

  /**
   * Opens memory.peak and resets it through that descriptor (Linux >= 6.12: a write resets the peak
   * for reads through the same fd). Only on a real cgroup2 mount: on a plain file the write would
   * overwrite it. Older kernels refuse the write; the peak then counts since the cgroup was created.
   */
  async begin(): Promise<void> {
    if (!(await isCgroup2Dir(this.dir))) return;
    let fd: number | undefined;
    try {
      fd = openSync(path.join(this.dir, 'memory.peak'), 'r+');
      writeSync(fd, 'reset\n', 0);
      this.peakFd = fd;
      this.peakIsWindowed = true;
    } catch {
      if (fd !== undefined) closeSync(fd);
    }
  }

  async limits(): Promise<CgroupLimits> {
    const out: CgroupLimits = {};
    const cpuMax = this.text('cpu.max');
    if (cpuMax !== undefined) {
      try {
        const { limitCores, periodUsec } = parseCpuMax(cpuMax);
        out.cpuLimitCores = limitCores;
        out.cpuPeriodUsec = periodUsec;
      } catch (err) {
        this.note('cpu.max', (err as Error).message);
      }
    }
    const memMax = this.text('memory.max');
    if (memMax !== undefined) {
      try {
        out.memoryLimitBytes = parseBytesOrMax(memMax, 'memory.max');
      } catch (err) {
        this.note('memory.max', (err as Error).message);
      }
    }
    return out;
  }

  private readPeak(): number | undefined {
    if (this.peakFd !== undefined) {
      try {
        const buf = Buffer.alloc(64);
        const bytesRead = readSync(this.peakFd, buf, 0, buf.length, 0);
        return parseBytesOrMax(buf.subarray(0, bytesRead).toString(), 'memory.peak') ?? undefined;
      } catch (err) {
        this.note('memory.peak', `unreadable through the reset descriptor (${(err as Error).message})`);
        return undefined;
      }
    }
    const t = this.text('memory.peak');
    if (t === undefined) return undefined;
    try {
      return parseBytesOrMax(t, 'memory.peak') ?? undefined;
    } catch (err) {
      this.note('memory.peak', (err as Error).message);
      return undefined;
    }
  }

  async read(): Promise<CgroupReading> {
    const out: CgroupReading = {};
    const cpu = this.text('cpu.stat');
    const current = this.text('memory.current');
    const stat = this.text('memory.stat');
    const peak = this.readPeak();
    const events = this.text('memory.events');
    if (cpu !== undefined) {
      const s = parseFlatKeyed(cpu);
      if (s.usage_usec === undefined) this.note('cpu.stat', 'no usage_usec line');
      else out.usageUsec = s.usage_usec;
      if (s.nr_throttled === undefined) {
        this.note('cpu.stat throttling', 'no counters (the cpu controller is not enabled for this cgroup)');
      } else {
        out.nrThrottled = s.nr_throttled;
        if (s.nr_periods !== undefined) out.nrPeriods = s.nr_periods;
        if (s.throttled_usec !== undefined) out.throttledUsec = s.throttled_usec;
      }
    }
    if (current !== undefined) {
      try {
        const c = parseBytesOrMax(current, 'memory.current');
        if (c !== null) {
          out.memoryCurrent = c;
          const inactive = stat !== undefined ? parseFlatKeyed(stat).inactive_file : undefined;
          if (inactive !== undefined) out.workingSet = Math.max(0, c - inactive);
        }
      } catch (err) {
        this.note('memory.current', (err as Error).message);
      }
    }
    if (peak !== undefined) out.memoryPeak = peak;
    if (events !== undefined) {
      const e = parseFlatKeyed(events);
      if (e.oom !== undefined) out.oom = e.oom;
      if (e.oom_kill !== undefined) out.oomKill = e.oom_kill;
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.peakFd !== undefined) {
      try {
        closeSync(this.peakFd);
      } catch {
        // already closed
      }
    }
    this.peakFd = undefined;
  }
}
