// `perf-gate calibrate`: A/A against the configured target. Measures the scenarios several times (each
// run as a stored baseline would be measured), then prints per gating series the trial-to-trial noise,
// the run-to-run drift, the change the configured trials can detect in stored and paired mode, and a
// suggested minimum effect (docs/statistics.md, "Calibrating on your own service").
import path from 'node:path';
import { measure } from '../../measure/measure.ts';
import { withService } from '../../measure/service.ts';
import { calibrate, type CalibrationRow } from '../../verdict/calibration.ts';
import { atomicWrite } from '../../util/atomic-write.ts';
import { METRICS } from '../../compare/metrics.ts';
import { collectMeta, loadWithLogger, withTrials, writeJson } from '../shared.ts';
import type { CliIo } from '../context.ts';
import type { RunResult } from '../../contracts/run-result.ts';

export interface CalibrateFlags {
  config: string;
  target?: string;
  runs: number;
  trials?: number;
  json?: boolean;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : 'n/a');
const signed = (x: number, sign: string) =>
  Number.isFinite(x) ? `${sign}${(x * 100).toFixed(0)} %` : 'not reachable';

export function calibrationTable(rows: CalibrationRow[], trials: number): string {
  const header = [
    'series',
    'trial noise',
    'run drift',
    `detectable (${trials} trials) stored / paired`,
    'minimum effect',
    'suggested stored / paired',
  ];
  const body = rows.map((r) => {
    // Changes are shown in the metric's worse direction (throughput falls).
    const sign = METRICS[r.metric].worse === 'lower' ? '-' : '+';
    const both = (x: { stored: number; paired: number }) =>
      `${signed(x.stored, sign)} / ${signed(x.paired, sign)}`;
    return [
      `${r.scenario} / ${r.request ?? '(all requests)'} ${METRICS[r.metric].label}`,
      pct(r.trialNoise),
      pct(r.runDrift),
      both(r.detectable),
      r.minEffect,
      both(r.suggested),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}

export async function calibrateCommand(io: CliIo, flags: CalibrateFlags): Promise<number> {
  const { config, redactor, logger } = await loadWithLogger(io, flags);
  const scenarios = withTrials(config.scenarios, flags.trials);
  const trials = Math.min(...scenarios.map((s) => s.trials));
  const runs: RunResult[] = [];
  await withService(config, { env: io.env, logger, redactor }, async (probe) => {
    for (let i = 0; i < flags.runs; i++) {
      logger.info(`calibration run ${i + 1} of ${flags.runs}`);
      runs.push(
        await measure({
          scenarios,
          limits: config.generator,
          logger,
          redactor,
          meta: collectMeta(io),
          label: `calibration ${i + 1}`,
          ...(probe ? { probe } : {}),
        }),
      );
    }
  });
  const rows = calibrate(runs, config.thresholds, trials);
  await atomicWrite(
    path.join(config.outputDir, 'calibration.json'),
    `${JSON.stringify({ runs: flags.runs, trials, rows }, null, 2)}\n`,
  );
  if (flags.json) writeJson(io, { runs: flags.runs, trials, rows });
  else {
    io.stdout.write(`${calibrationTable(rows, trials)}\n`);
    io.stdout.write(
      `\n${flags.runs} A/A runs of ${trials} trial(s). Stored mode pays the run drift on every comparison; ` +
        'paired mode (--baseline-url) does not. Set thresholds from the suggested column (docs/statistics.md).\n',
    );
  }
  return 0;
}
