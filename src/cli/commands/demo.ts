// `npm run demo`: the main job end to end on the bundled sample service, through the same use cases as
// every shell: measure the baseline variant and store it, then gate the regressed variant against it.
import path from 'node:path';
import { loadConfig } from '../../config/load.ts';
import { sideBySideTable } from '../../report/run-summary.ts';
import { comparisonTable, verdictText } from '../../report/comparison-table.ts';
import { FileBaselineStore } from '../../store/file-store.ts';
import { atomicWrite } from '../../util/atomic-write.ts';
import { encodeRunResult } from '../../store/codec/run-result-codec.ts';
import { gate } from '../../usecases/gate.ts';
import { measureTarget } from '../../usecases/measure.ts';
import { knownChanges, noApproval } from '../../usecases/sources.ts';
import { storeBaseline } from '../../usecases/store-baseline.ts';
import { Redactor } from '../../util/redact.ts';
import { createStderrLogger } from '../logger.ts';
import { collectMeta, withTrials } from '../shared.ts';
import type { CliIo } from '../context.ts';
import {
  DEMO_CONFIG,
  PACKAGE_ROOT,
  demoChanges,
  demoServiceStarter,
  type DemoVariant,
} from './demo-service.ts';

export interface DemoFlags {
  out: string;
  /** 'baseline' measures an identical candidate (the A/A case): nothing should regress or be suspected. */
  candidate?: DemoVariant;
  trials?: number;
}

export async function demoCommand(io: CliIo, flags: DemoFlags): Promise<number> {
  const logger = createStderrLogger({ stream: io.stderr });
  const outDir = path.resolve(io.cwd, flags.out, 'demo');
  const t0 = performance.now();
  const meta = collectMeta(io);
  const variant = flags.candidate ?? 'regressed';
  // The demo's settings (thresholds, rightsizing); its target is the started service's URL.
  const config = await loadConfig({
    configPath: DEMO_CONFIG,
    env: io.env,
    targetOverride: 'http://127.0.0.1:1',
  });
  const redactor = new Redactor(config.secrets);
  const scenarios = withTrials(config.scenarios, flags.trials);
  const profiles = {
    baselineDir: path.join(outDir, 'profiles', 'baseline'),
    candidateDir: path.join(outDir, 'profiles', `${variant}-candidate`),
  };
  const service = (v: DemoVariant, dir: string, label: string) =>
    demoServiceStarter(v, dir, { logger, label, probeIntervalMs: config.resources?.intervalMs ?? 250 });

  const baselineFile = path.join(outDir, 'baseline.json');
  const baseline = await measureTarget(
    { scenarios, limits: config.generator, redactor, meta, label: 'baseline', partialRunFile: baselineFile },
    { logger, processes: service('baseline', profiles.baselineDir, 'baseline') },
  );
  await atomicWrite(baselineFile, encodeRunResult(baseline));
  const files = new FileBaselineStore(path.join(outDir, 'baselines'));
  const stored = await storeBaseline(
    { run: baseline, branch: 'main', source: baselineFile, limits: config.generator, invalid: 'merge' },
    { store: files, logger },
  );
  logger.info(`baseline stored: ${path.relative(io.cwd, stored.where)}`);

  const { result, rendered } = await gate(
    {
      scenarios,
      limits: config.generator,
      thresholds: config.thresholds,
      invalidTrials: config.invalidTrials,
      // No adaptive stop: the demo shows attribution, whose profile test needs every trial.
      redactor,
      meta,
      baselineBranch: 'main',
      failOn: 'regression',
      outDir,
      repoRoot: PACKAGE_ROOT,
      linkBase: io.cwd,
      context: { branch: 'demo/regressed', baseBranch: 'main', approveLabel: 'perf-gate:approve' },
      ...(config.rightsizing ? { rightsizing: config.rightsizing } : {}),
      processProfiles: profiles,
    },
    {
      logger,
      // The baseline just measured, alone (no drift from earlier demo runs in the same directory).
      store: { load: (b) => files.load(b), save: (b, r) => files.save(b, r) },
      processes: service(variant, profiles.candidateDir, 'candidate'),
      // The demo's "pull request" is the regressed variant: the slowed fee lookup and the slower account
      // read are its changed lines, as a git diff of such a change would list them.
      changes: knownChanges({ files: variant === 'regressed' ? demoChanges() : [] }),
      approvals: noApproval,
    },
  );
  const { candidate, comparison, verdict } = result;
  await atomicWrite(path.join(outDir, 'candidate.json'), encodeRunResult(candidate));
  io.stdout.write(
    `\nBaseline vs. regressed candidate (medians over trials):\n\n${sideBySideTable(baseline, candidate)}\n`,
  );
  if (comparison) {
    io.stdout.write(
      `\nComparison (trial-level tests; * = informational metric):\n\n${comparisonTable(comparison, verdict)}\n`,
    );
  }
  io.stdout.write(`\n${verdictText(verdict)}\n`);
  const commentFile = path.resolve(io.cwd, flags.out, 'comment.md');
  await atomicWrite(commentFile, rendered.comment);
  io.stdout.write(`\n----- PR comment (${path.relative(io.cwd, commentFile)}) -----\n${rendered.comment}\n`);
  logger.info(
    `\ndemo finished in ${((performance.now() - t0) / 1000).toFixed(1)} s; files in ${path.relative(io.cwd, outDir)}`,
  );
  return 0;
}
