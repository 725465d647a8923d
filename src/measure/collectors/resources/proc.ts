// Reads a local process and all its descendants from /proc (Linux): CPU time and resident memory.
//
// CPU: utime + stime + cutime + cstime of every process in the tree (stat fields 14-17, clock ticks). The
// children's fields matter: when a descendant exits and its parent reaps it, the kernel moves its whole
// CPU time into the parent's cutime/cstime, so summing all four keeps the tree total continuous across
// exits (short-lived helpers forked per request are counted too, through their parent).
// Memory: VmRSS / VmHWM from /proc/<pid>/status. man 5 proc calls these "inaccurate" (counters are updated
// in batches); a cgroup is exact when there is one.
// Descendants are found through /proc/<pid>/task/<tid>/children when the kernel provides it
// (CONFIG_PROC_CHILDREN), otherwise by scanning every /proc/<pid>/stat for its ppid.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

// Reads are synchronous on purpose: these are tiny files the kernel generates on read. A synchronous read
// costs about 7 µs of CPU; fs/promises' open/fstat/read/close through the thread pool cost 80-230 µs each
// (measured on Node 20), which made sampling ~10x dearer for the load generator that runs the probe.
function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
  /** Start time after boot in clock ticks: with the pid, identifies a process across pid reuse. */
  startTicks: number;
}

/** Parses /proc/<pid>/stat. The command name may hold spaces and parentheses: split after the last ')'. */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`malformed stat line: ${text.slice(0, 60)}`);
  const pid = Number(text.slice(0, open).trim());
  const f = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // f[0] is field 3 (state); field n is f[n - 3].
  const num = (field: number) => {
    const v = Number(f[field - 3]);
    if (!Number.isFinite(v)) throw new Error(`stat field ${field} is not a number in: ${text.slice(0, 80)}`);
    return v;
  };
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: f[0] ?? '?',
    ppid: num(4),
    ticks: num(14) + num(15) + num(16) + num(17),
    startTicks: num(22),
  };
}

/** VmRSS and VmHWM in bytes from /proc/<pid>/status; absent for kernel threads and zombies. */
export function parseProcStatus(text: string): { rssBytes?: number; hwmBytes?: number } {
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s*(\\d+)\\s*kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const out: { rssBytes?: number; hwmBytes?: number } = {};
  const rss = kb('VmRSS');
  const hwm = kb('VmHWM');
  if (rss !== undefined) out.rssBytes = rss;
  if (hwm !== undefined) out.hwmBytes = hwm;
  return out;
}

let clockTicksPromise: Promise<number> | undefined;

/**
 * USER_HZ, the unit of the /proc CPU fields: `getconf CLK_TCK` once per process, 100 when that fails
 * (the value on every mainstream Linux architecture).
 */
export function clockTicksPerSecond(): Promise<number> {
  clockTicksPromise ??= new Promise<number>((resolve) => {
    execFile('getconf', ['CLK_TCK'], { timeout: 2000 }, (err, stdout) => {
      const v = Number(String(stdout).trim());
      resolve(!err && Number.isInteger(v) && v > 0 ? v : 100);
    });
  });
  return clockTicksPromise;
}

export class ProcessGoneError extends Error {
  constructor(readonly pid: number) {
    super(`process ${pid} is gone`);
    this.name = 'ProcessGoneError';
  }
}

export interface ProcTreeReading {
  /** Cumulative CPU seconds of the tree since the reader's first reading, continuous across exits. */
  cpuSeconds: number;
  /** Summed VmRSS of the live tree. */
  rssBytes: number;
  /**
   * The largest VmHWM among processes whose high-water mark rose since the previous reading: such a
   * process reached that RSS between the two readings, even if no sample saw it. Undefined when none rose.
   */
  newHighWaterBytes?: number;
  /** Number of live processes in the tree (root included). */
  processes: number;
}

interface Tracked {
  ticks: number;
  parentKey: string | undefined;
  hwm: number | undefined;
}

export interface ProcTreeReaderOptions {
  /** Default /proc; tests may point it elsewhere. */
  procRoot?: string;
}

/** Stateful reader of one process tree: call read() repeatedly; the CPU total stays monotonic. */
export class ProcTreeReader {
  private readonly procRoot: string;
  private tracked = new Map<string, Tracked>();
  /** Ticks of processes that left the tree with no live tree parent to absorb them. */
  private frozenTicks = 0;
  private baseTicks: number | undefined;
  private lastTotal = 0;
  private hasChildrenFiles: boolean | undefined;
  /** Scan mode: parent pid of every pid seen, refreshed for tree members on each reading. */
  private readonly knownParent = new Map<number, number>();
  private hz: number | undefined;

  constructor(
    readonly pid: number,
    options: ProcTreeReaderOptions = {},
  ) {
    this.procRoot = options.procRoot ?? '/proc';
  }

  private readStat(pid: number): ProcStat | undefined {
    try {
      return parseProcStat(readText(`${this.procRoot}/${pid}/stat`));
    } catch {
      return undefined; // exited between listing and reading
    }
  }

  /** The tree's processes, root first. */
  private tree(): ProcStat[] {
    const root = this.readStat(this.pid);
    if (!root || root.state === 'Z' || root.state === 'X') throw new ProcessGoneError(this.pid);
    if (this.hasChildrenFiles === undefined) {
      this.hasChildrenFiles = existsSync(`${this.procRoot}/${this.pid}/task/${this.pid}/children`);
    }
    if (this.hasChildrenFiles) {
      const out = [root];
      for (let i = 0; i < out.length; i++) {
        const pid = out[i]!.pid;
        let tids: string[] = [];
        try {
          tids = readdirSync(`${this.procRoot}/${pid}/task`);
        } catch {
          continue;
        }
        for (const t of tids) {
          let list = '';
          try {
            list = readText(`${this.procRoot}/${pid}/task/${t}/children`);
          } catch {
            continue; // the thread ended
          }
          for (const k of list.split(/\s+/).filter(Boolean)) {
            const st = this.readStat(Number(k));
            if (st) out.push(st);
          }
        }
      }
      return out;
    }
    // Scan mode. A process's parent only changes when it is reparented (to init or a subreaper, which
    // never brings an outside process into the tree), so the parent of every pid seen before is cached
    // and only new pids are read: a sample costs one readdir plus the tree's own files.
    const names = readdirSync(this.procRoot)
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
    const present = new Set(names);
    for (const pid of this.knownParent.keys()) if (!present.has(pid)) this.knownParent.delete(pid);
    for (const pid of names) {
      if (this.knownParent.has(pid)) continue;
      const st = this.readStat(pid);
      if (st) this.knownParent.set(st.pid, st.ppid);
    }
    this.knownParent.set(root.pid, root.ppid);
    const byParent = new Map<number, number[]>();
    for (const [pid, ppid] of this.knownParent) {
      if (pid === this.pid) continue;
      const list = byParent.get(ppid);
      if (list) list.push(pid);
      else byParent.set(ppid, [pid]);
    }
    const out = [root];
    for (let i = 0; i < out.length; i++) {
      for (const kid of byParent.get(out[i]!.pid) ?? []) {
        const st = this.readStat(kid);
        if (!st) continue;
        this.knownParent.set(st.pid, st.ppid);
        if (st.ppid === out[i]!.pid) out.push(st);
      }
    }
    return out;
  }

  async read(): Promise<ProcTreeReading> {
    this.hz ??= await clockTicksPerSecond();
    const procs = this.tree();
    const keyOf = (p: ProcStat) => `${p.pid}:${p.startTicks}`;
    const keyByPid = new Map(procs.map((p) => [p.pid, keyOf(p)]));
    const statuses = procs.map((p) => {
      try {
        return parseProcStatus(readText(`${this.procRoot}/${p.pid}/status`));
      } catch {
        return {};
      }
    });
    const next = new Map<string, Tracked>();
    let rss = 0;
    let newHigh: number | undefined;
    procs.forEach((p, i) => {
      const status: { rssBytes?: number; hwmBytes?: number } = statuses[i]!;
      const key = keyOf(p);
      const before = this.tracked.get(key);
      rss += status.rssBytes ?? 0;
      // A rise of VmHWM, or a process first seen after the first reading, means a new peak in between.
      if (status.hwmBytes !== undefined && this.baseTicks !== undefined) {
        if (before === undefined || (before.hwm !== undefined && status.hwmBytes > before.hwm)) {
          newHigh = Math.max(newHigh ?? 0, status.hwmBytes);
        }
      }
      next.set(key, { ticks: p.ticks, parentKey: keyByPid.get(p.ppid), hwm: status.hwmBytes });
    });
    for (const [key, gone] of this.tracked) {
      if (next.has(key)) continue;
      // Reaped by a parent still in the tree: its time is now in that parent's cutime/cstime.
      if (gone.parentKey !== undefined && next.has(gone.parentKey)) continue;
      this.frozenTicks += gone.ticks;
    }
    this.tracked = next;
    let live = 0;
    for (const t of next.values()) live += t.ticks;
    // Rare cases (a descendant reparented away while alive) can make the sum dip: never go backwards.
    const total = Math.max(this.lastTotal, live + this.frozenTicks);
    this.lastTotal = total;
    this.baseTicks ??= total;
    const reading: ProcTreeReading = {
      cpuSeconds: (total - this.baseTicks) / this.hz,
      rssBytes: rss,
      processes: procs.length,
    };
    if (newHigh !== undefined) reading.newHighWaterBytes = newHigh;
    return reading;
  }
}
