// Commands that decide: gate (measure and decide) and compare (decide on saved runs).
import { gateCommand } from '../commands/gate.ts';
import { compareCommand } from '../commands/compare.ts';
import {
  approveOption,
  configOption,
  diffBaseOption,
  failOnOption,
  jsonOption,
  nonNegativeInt,
  trialsOption,
  withStoreOptions,
} from '../options.ts';
import type { Definitions } from './types.ts';

export function defineGateCommands({ program, io, exit }: Definitions): void {
  withStoreOptions(
    program
      .command('gate')
      .description('measure, compare with the baseline, decide (exit 1 when the gate fails)')
      .addOption(configOption())
      .option('-t, --target <url>', 'candidate target base URL (overrides the config)')
      .option('--baseline-url <url>', 'paired mode: re-measure this baseline deployment in interleaved pairs')
      .option(
        '--branch <name>',
        'stored mode: branch whose baseline to compare with (default $GITHUB_BASE_REF or main)',
      ),
  )
    .option('--seed <n>', 'paired mode: seed of the pair order (printed by every run)', nonNegativeInt)
    .addOption(approveOption())
    .addOption(diffBaseOption())
    .addOption(trialsOption())
    .option('--out-dir <dir>', 'where to write run.json, comparison.json, verdict.json (default: <output>)')
    .option('--template-dir <dir>', 'your own templates (comment.md.hbs, summary.md.hbs, partials/)')
    .addOption(failOnOption())
    .addOption(jsonOption())
    .action(async (flags) => exit(await gateCommand(io, flags)));

  program
    .command('compare')
    .description('compare two saved run results and decide, without re-running')
    .requiredOption('--baseline <file>', 'baseline run result')
    .requiredOption('--candidate <file>', 'candidate run result')
    .option(
      '-c, --config <file>',
      'perf-gate config whose thresholds, budgets and output apply (default: ./perf-gate.yml when present)',
    )
    .option('--paired', 'the two runs were measured in interleaved pairs (trial i of each is a pair)')
    .option(
      '--baseline-profiles <dir>',
      'CPU profiles of the baseline, one file per valid trial (.cpuprofile or pprof)',
    )
    .option('--candidate-profiles <dir>', 'CPU profiles of the candidate, one file per valid trial')
    .addOption(diffBaseOption())
    .addOption(approveOption())
    .option(
      '--out-dir <dir>',
      'where to write comparison.json and verdict.json (default: next to the candidate)',
    )
    .option('--all', 'list every metric, not only gating and changed ones')
    .addOption(failOnOption())
    .addOption(jsonOption())
    .action(async (flags) => exit(await compareCommand(io, flags)));
}
