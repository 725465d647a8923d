// Commands that measure a target: run, validate, calibrate, demo.
import { Option } from 'commander';
import { runCommand } from '../commands/run.ts';
import { validateCommand } from '../commands/validate.ts';
import { calibrateCommand } from '../commands/calibrate.ts';
import { calibrateLoadCommand } from '../commands/calibrate-load.ts';
import { demoCommand } from '../commands/demo.ts';
import { atLeastThree, configOption, jsonOption, positiveInt, trialsOption } from '../options.ts';
import type { Definitions } from './types.ts';

export function defineMeasureCommands({ program, io, exit }: Definitions): void {
  program
    .command('run')
    .description('run every scenario (warm-up plus trials) and write a RunResult JSON')
    .addOption(configOption())
    .option('-o, --out <file>', 'where to write the result (default: <output>/run.json)')
    .option('-t, --target <url>', 'target base URL (overrides the config)')
    .option('--label <label>', 'a label stored with the run, e.g. baseline or candidate')
    .addOption(trialsOption())
    .addOption(jsonOption())
    .action(async (flags) => exit(await runCommand(io, flags)));

  program
    .command('validate')
    .description('validate the config and scenarios, and check that the target answers')
    .addOption(configOption())
    .option('-t, --target <url>', 'target base URL (overrides the config)')
    .option('--no-reach', 'skip the reachability check')
    .addOption(jsonOption())
    .action(async (flags) => exit(await validateCommand(io, flags)));

  program
    .command('calibrate')
    .description(
      'A/A: measure the target several times; print trial noise, run drift, detectable change and suggested thresholds',
    )
    .addOption(configOption())
    .option('-t, --target <url>', 'target base URL (overrides the config)')
    .option('--runs <n>', 'how many A/A runs (at least 3: the run drift needs them)', atLeastThree, 3)
    .addOption(trialsOption())
    .option(
      '--load',
      "instead: find a load this runner's generator can hold, per scenario (short probe trials)",
    )
    .option('--trial-ms <ms>', 'with --load: length of each probe trial in milliseconds', positiveInt, 2000)
    .addOption(jsonOption())
    .action(async (flags) =>
      exit(flags.load ? await calibrateLoadCommand(io, flags) : await calibrateCommand(io, flags)),
    );
}

/** Listed last in --help: the demo, on the bundled sample service. */
export function defineDemoCommand({ program, io, exit }: Definitions): void {
  program
    .command('demo')
    .description('run the bundled sample service: baseline, regressed candidate, comparison')
    .option('--out <dir>', 'where the demo writes its files', '.perf-gate')
    .addOption(trialsOption('trials per variant'))
    .addOption(
      new Option(
        '--candidate <variant>',
        "the candidate's variant: regressed, or baseline for an identical candidate",
      )
        .choices(['regressed', 'baseline'])
        .default('regressed'),
    )
    .action(async (flags) => exit(await demoCommand(io, flags)));
}
