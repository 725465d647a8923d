// The attribution matrix's cases (issue 16), one test file per service kind so the server project can run
// them side by side. Attribution on services perf-gate did not write: plain node:http without signal handling,
// Fastify, TypeScript compiled by tsc with source maps, and an esbuild bundle. In each, `feature` makes
// findTier quadratic and touches formatPrice cosmetically in the same commit; the gate must fail, name
// findTier at its TypeScript/JavaScript source span as the top suspect, and never name the decoy,
// in stored mode (perf-gate starts the service: service.cpuProfile) and in paired mode (both
// deployments are running processes profiled through profile.inspector / profile.baselineInspector).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import {
  createServiceRepo,
  functionSpan,
  startInspected,
  type ServiceKind,
  type ServiceRepo,
} from './matrix-services.ts';
import { freePort } from '../helpers/net.ts';

// Short trials and one gating metric, so few trials reach significance on a large effect. The median
// gates: on a shared 2-core machine p95 of sub-millisecond requests is scheduler noise, and the gate's
// noise guard (split halves) would call a 50x slowdown "within noise". The generator's limits are loose
// for the same reason (a lagging trial would be dropped). The load is a modest arrival rate, not a closed
// loop: the slowed findTier costs milliseconds of CPU per request, which a closed loop would turn into a
// saturated core for the whole file (24 CPU-seconds a kind, against 9 at 100 req/s), while 60 requests a
// trial already give the profile diff a 100-fold CPU change to rank.
export const defaults = (trials: number) => [
  'generator: { maxCpu: 1, maxEventLoopDelay: 500ms }',
  'defaults:',
  `  trials: ${trials}`,
  '  warmup: 400ms',
  '  pause: 50ms',
  // At least 4 trials a side before the first look: at 3 the profile diff falls back to Welch, whose
  // p-value a noisy machine can keep above alpha even for a 200× CPU change (seen once).
  '  sequential: { first: 4 }',
  '  load: { model: rate, rate: 100, duration: 600ms }',
  'thresholds:',
  '  gate: [p50]',
];

interface Suspect {
  name: string;
  file?: string;
  line?: number;
  endLine?: number;
}

export function expectFindTierBlamed(repo: ServiceRepo, dir: string): void {
  const report = JSON.parse(readFileSync(path.join(dir, '.perf-gate/report.json'), 'utf8'));
  const suspects: Suspect[] = report.attribution.suspects;
  const source = readFileSync(path.join(repo.dir, repo.pricing), 'utf8');
  expect(suspects[0], JSON.stringify(report.attribution, null, 1).slice(0, 3000)).toMatchObject({
    name: 'findTier',
    file: repo.pricing,
    ...functionSpan(source, 'findTier'),
  });
  expect(suspects.map((s) => s.name)).not.toContain('formatPrice');
}

/** Temporary repositories to remove when the calling file's tests are done. */
export function cleanupAfterAll(): string[] {
  const cleanup: string[] = [];
  afterAll(() => {
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  });
  return cleanup;
}

/** Stored and paired mode on one kind of service: the gate fails and names findTier, never the decoy. */
export function attributionSuite(kind: ServiceKind): void {
  const cleanup = cleanupAfterAll();
  describe(`attribution on a ${kind} service`, () => {
    it('stored mode: the started service is profiled per trial, with no clean exit', async () => {
      const repo = createServiceRepo(kind);
      cleanup.push(repo.dir);
      const port = await freePort();
      const config = (trials: number) =>
        [
          `target: http://127.0.0.1:${port}`,
          'service:',
          `  command: ['${process.execPath}', '${repo.entry}']`,
          `  env: { PORT: '${port}' }`,
          '  cpuProfile: true',
          ...defaults(trials),
          '',
        ].join('\n');
      writeFileSync(path.join(repo.dir, 'perf-gate.yml'), config(5));
      repo.git('checkout', '-q', 'main');
      repo.build();
      const run = await runCli(['run'], { cwd: repo.dir });
      expect(run.code, run.stderr).toBe(0);
      expect((await runCli(['baseline', 'save', '--branch', 'main'], { cwd: repo.dir })).code).toBe(0);

      repo.git('checkout', '-q', 'feature');
      repo.build();
      const gate = await runCli(['gate', '--branch', 'main', '--diff-base', 'main'], { cwd: repo.dir });
      expect(gate.code, gate.stderr + gate.stdout).toBe(1);
      expectFindTierBlamed(repo, repo.dir);
    });

    it('paired mode: both running deployments are profiled over their inspectors', async () => {
      const repo = createServiceRepo(kind);
      cleanup.push(repo.dir);
      const baseDir = `${repo.dir}-main`;
      cleanup.push(baseDir);
      repo.addWorktree(baseDir, 'main');
      repo.build();
      repo.build(baseDir);
      const base = await startInspected(baseDir, repo.entry);
      const cand = await startInspected(repo.dir, repo.entry);
      try {
        writeFileSync(
          path.join(repo.dir, 'perf-gate.yml'),
          [
            `target: ${cand.url}`,
            'profile:',
            `  inspector: ${cand.inspector}`,
            `  baselineInspector: ${base.inspector}`,
            ...defaults(7),
            '',
          ].join('\n'),
        );
        const gate = await runCli(
          ['gate', '--baseline-url', base.url, '--diff-base', 'main', '--seed', '7'],
          {
            cwd: repo.dir,
          },
        );
        expect(gate.code, gate.stderr + gate.stdout).toBe(1);
        expectFindTierBlamed(repo, repo.dir);
      } finally {
        await base.stop();
        await cand.stop();
      }
    });
  });
}
