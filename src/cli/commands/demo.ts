// `npm run demo`: the main job end to end on the bundled sample service. Starts the baseline variant,
// measures it and stores the baseline, starts the regressed variant, measures it, and compares.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config/load.ts';
import { measure } from '../../engine/measure.ts';
import { startProcess, type RunningService } from '../../engine/service.ts';
import { RunFailure } from '../../engine/errors.ts';
import { FileBaselineStore, atomicWrite } from '../../store/file-store.ts';
import { encodeRunResult } from '../../store/codec/run-result-codec.ts';
import { sideBySideTable } from '../../report/run-summary.ts';
import { comparisonTable, verdictText } from '../../report/comparison-table.ts';
import { compareRuns } from '../../compare/compare.ts';
import { decide } from '../../verdict/decide.ts';
import { createReportJson, renderReport } from '../../report/report.ts';
import { loadTemplates } from '../../report/templates.ts';
import { rightsizingForRun } from '../../rightsizing/index.ts';
import { attribute } from '../../attribution/attribute.ts';
import type { ChangedFile } from '../../attribution/diff.ts';
import { gatherAttributionInput } from '../../engine/attribution-input.ts';
import { attributionForReport, writeAttributionArtifacts } from '../../engine/attribution-output.ts';
import { REGRESSED_FUNCTION } from '../../demo/fees.ts';
import { readFileSync } from 'node:fs';
import { Redactor } from '../../util/redact.ts';
import { createStderrLogger } from '../logger.ts';
import { collectMeta } from '../shared.ts';
import type { CliIo } from '../context.ts';
import type { RunResult } from '../../results/run-result.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fromSource = import.meta.url.endsWith('.ts');
/** The package root, whether running from src/ (tsx) or dist/. */
export const PACKAGE_ROOT = path.resolve(here, '../../..');
export const DEMO_CONFIG = path.join(PACKAGE_ROOT, 'scenarios/demo/perf-gate.yml');

export type DemoVariant = 'baseline' | 'regressed';

/**
 * Starts the demo service in its own process, so its CPU never mixes with the generator's; with a
 * profile directory, Node writes its CPU profile there when it exits (cut into trials afterwards).
 */
export function startDemoService(variant: DemoVariant, profileDir?: string): Promise<RunningService> {
  const main = path.join(PACKAGE_ROOT, fromSource ? 'src/demo/main.ts' : 'dist/demo/main.js');
  return startProcess({
    command: process.execPath,
    args: [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(fromSource ? ['--import', 'tsx'] : []),
      main,
      '--variant',
      variant,
      '--port',
      '0',
    ],
    cwd: PACKAGE_ROOT,
    env: process.env,
    ready: { printsUrl: /listening on (http:\/\/\S+)/, timeoutMs: 30_000 },
  });
}

/** The demo's change under test, in the shape a parsed git diff has. */
export function demoChanges(): ChangedFile[] {
  const dbLine =
    readFileSync(path.join(PACKAGE_ROOT, 'src/demo/db.ts'), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes("regressed: { 'account.read'")) + 1;
  return [
    {
      path: REGRESSED_FUNCTION.file,
      status: 'modified',
      linesKnown: true,
      hunks: [
        {
          oldStart: REGRESSED_FUNCTION.line,
          oldLines: 0,
          newStart: REGRESSED_FUNCTION.line,
          newLines: REGRESSED_FUNCTION.endLine - REGRESSED_FUNCTION.line + 1,
        },
      ],
    },
    {
      path: 'src/demo/db.ts',
      status: 'modified',
      linesKnown: true,
      hunks: [{ oldStart: dbLine, oldLines: 1, newStart: dbLine, newLines: 1 }],
    },
  ];
}

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

  // The demo's settings (thresholds, rightsizing); its target is set per variant below.
  const demoConfig = await loadConfig({
    configPath: DEMO_CONFIG,
    env: io.env,
    targetOverride: 'http://127.0.0.1:1',
  });
  const thresholds = demoConfig.thresholds;
  const measureVariant = async (variant: DemoVariant, label: string): Promise<RunResult> => {
    logger.info(`\n== ${label}: starting the ${variant} demo service`);
    const profileDir = path.join(
      outDir,
      'profiles',
      label === 'candidate' ? `${variant}-candidate` : variant,
    );
    await rm(profileDir, { recursive: true, force: true });
    const service = await startDemoService(variant, profileDir);
    try {
      logger.info(`${variant} service listening on ${service.url} (pid ${service.pid})`);
      const config = await loadConfig({ configPath: DEMO_CONFIG, env: io.env, targetOverride: service.url });
      const scenarios = config.scenarios.map((s) => (flags.trials ? { ...s, trials: flags.trials } : s));
      // perf-gate started the service, so it can watch its CPU and memory while it is under load.
      return await measure({
        scenarios,
        limits: config.generator,
        logger,
        redactor: new Redactor(config.secrets),
        meta,
        label,
        probe: { spec: { kind: 'pid', pid: service.pid }, intervalMs: config.resources?.intervalMs ?? 250 },
      });
    } catch (err) {
      // The demo service died under load: say how, with what it printed.
      const died = service.exitedEarly();
      if (died && err instanceof RunFailure) throw new RunFailure(`${err.message}; ${died}`, err.partial);
      throw err;
    } finally {
      await service.stop();
    }
  };

  const baseline = await measureVariant('baseline', 'baseline');
  const store = new FileBaselineStore(path.join(outDir, 'baselines'));
  const saved = await store.save('main', baseline);
  await atomicWrite(path.join(outDir, 'baseline.json'), encodeRunResult(baseline));
  logger.info(`baseline stored: ${path.relative(io.cwd, saved)}`);

  const candidate = await measureVariant(flags.candidate ?? 'regressed', 'candidate');
  await atomicWrite(path.join(outDir, 'candidate.json'), encodeRunResult(candidate));

  io.stdout.write(
    `\nBaseline vs. regressed candidate (medians over trials):\n\n${sideBySideTable(baseline, candidate)}\n`,
  );

  const comparison = compareRuns(baseline, candidate, { mode: 'stored', thresholds });
  const verdict = decide(comparison, { thresholds, invalidTrials: demoConfig.invalidTrials });
  await atomicWrite(path.join(outDir, 'comparison.json'), `${JSON.stringify(comparison, null, 2)}\n`);
  await atomicWrite(path.join(outDir, 'verdict.json'), `${JSON.stringify(verdict, null, 2)}\n`);
  io.stdout.write(
    `\nComparison (trial-level tests; * = informational metric):\n\n${comparisonTable(comparison, verdict)}\n` +
      `\n${verdictText(verdict)}\n`,
  );

  // The demo's "pull request" is the regressed variant: the slowed fee lookup and the slower account
  // read are its changed lines, as a git diff of such a change would list them.
  const attribution = attribute(
    gatherAttributionInput({
      baseline,
      candidate,
      scenario: candidate.scenarios[0]!.name,
      profiles: {
        baselineDir: path.join(outDir, 'profiles', 'baseline'),
        candidateDir: path.join(outDir, 'profiles', `${flags.candidate ?? 'regressed'}-candidate`),
      },
      repoRoot: PACKAGE_ROOT,
      // An identical candidate has no change under test.
      changes: (flags.candidate ?? 'regressed') === 'regressed' ? demoChanges() : [],
    }),
  );
  await writeAttributionArtifacts(outDir, attribution, PACKAGE_ROOT);
  const report = createReportJson({
    verdict,
    comparison,
    candidate,
    baseline,
    context: { branch: 'demo/regressed', baseBranch: 'main', approveLabel: 'perf-gate:approve' },
    generatedAt: new Date().toISOString(),
    rightsizing: rightsizingForRun(candidate, baseline, demoConfig.rightsizing),
    attribution: attributionForReport(attribution),
  });
  const rendered = renderReport(report, loadTemplates(), {
    htmlReport: path.relative(io.cwd, path.join(outDir, 'report.html')),
  });
  const commentFile = path.resolve(io.cwd, flags.out, 'comment.md');
  await atomicWrite(path.join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await atomicWrite(commentFile, rendered.comment);
  await atomicWrite(path.join(outDir, 'report.html'), rendered.html);
  io.stdout.write(`\n----- PR comment (${path.relative(io.cwd, commentFile)}) -----\n${rendered.comment}\n`);
  logger.info(
    `\ndemo finished in ${((performance.now() - t0) / 1000).toFixed(1)} s; files in ${path.relative(io.cwd, outDir)}`,
  );
  return 0;
}
