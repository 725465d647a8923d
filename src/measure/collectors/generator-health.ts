// Watches the load generator itself (this process) during a trial: its CPU, its event-loop delay and
// memory. A saturated generator adds its own delay to every latency and must invalidate the trial.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { GeneratorLimits } from '../../scenario/model.ts';
import type { GeneratorHealth } from '../../contracts/run-result.ts';

export interface HealthWatch {
  stop(): GeneratorHealth;
}

export function watchGeneratorHealth(): HealthWatch {
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let peakRss = process.memoryUsage.rss();
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 250);
  rssTimer.unref();
  return {
    stop() {
      eld.disable();
      clearInterval(rssTimer);
      const wallUs = (performance.now() - t0) * 1000;
      const cpu = process.cpuUsage(cpu0);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
      return {
        cpuCores: wallUs > 0 ? round((cpu.user + cpu.system) / wallUs) : 0,
        eventLoopDelayP99Ms: round(eld.count > 0 ? eld.percentile(99) / 1e6 : 0),
        eventLoopDelayMaxMs: round(eld.count > 0 ? eld.max / 1e6 : 0),
        rssMb: round(peakRss / 1048576, 1),
      };
    },
  };
}

/** Reasons this trial's generator could not be trusted, empty when it was healthy. */
export function generatorProblems(health: GeneratorHealth, limits: GeneratorLimits): string[] {
  const problems: string[] = [];
  if (health.cpuCores > limits.maxCpuCores) {
    problems.push(
      `load generator saturated: it used ${health.cpuCores.toFixed(2)} CPU cores (limit ${limits.maxCpuCores}); ` +
        'its own delay is in the latencies: lower connections/rate or use a bigger runner',
    );
  }
  if (health.eventLoopDelayP99Ms > limits.maxEventLoopDelayP99Ms) {
    problems.push(
      `load generator event loop lagged: p99 delay ${health.eventLoopDelayP99Ms.toFixed(1)} ms ` +
        `(limit ${limits.maxEventLoopDelayP99Ms} ms)`,
    );
  }
  if (health.intendedRate !== undefined && health.achievedRate !== undefined) {
    const share = health.intendedRate > 0 ? health.achievedRate / health.intendedRate : 1;
    // Requests waiting for a connection the target held are the target's slowness, not the
    // generator's: they are measured (coordinated-omission latency), so the trial stays valid.
    if (share < limits.minRateAchieved && !targetBound(health)) {
      problems.push(
        `load not held: sent ${health.achievedRate.toFixed(1)} req/s of the intended ${health.intendedRate} ` +
          `(${(share * 100).toFixed(1)} %, minimum ${(limits.minRateAchieved * 100).toFixed(0)} %)` +
          (health.notSent ? `; ${health.notSent} requests due in the window were never sent` : ''),
      );
    }
  }
  return problems;
}

/** Rate model: the shortfall was the target holding every connection, not the generator falling behind. */
export function targetBound(health: GeneratorHealth): boolean {
  const backlog = health.backlog ?? 0;
  const unscheduled = (health.notSent ?? 0) - backlog;
  return backlog > 0 && unscheduled <= backlog;
}
