// Commands on stored baselines and their history, on the file store or the Action's git data branch.
import { baselineSaveCommand, baselineShowCommand } from '../commands/baseline.ts';
import { historyCommand, markBadCommand } from '../commands/history.ts';
import {
  jsonOption,
  nonNegativeInt,
  positiveInt,
  positiveNumber,
  settingsOption,
  withStoreOptions,
} from '../options.ts';
import type { Definitions } from './types.ts';

export function defineStoreCommands({ program, io, exit }: Definitions): void {
  const baseline = program
    .command('baseline')
    .description('manage stored baselines (file store, or the git data branch with --store git)');
  withStoreOptions(
    baseline
      .command('save')
      .description('store a run result as the baseline of a branch')
      .option('--from <file>', 'run result to store (default: <output>/run.json of the config)')
      .option('--branch <name>', 'branch the baseline belongs to (default: the current branch)')
      .addOption(settingsOption()),
  )
    .option(
      '--allow-invalid',
      'store a run with invalid trials anyway (every gate against it then warns that it is weak)',
    )
    .addOption(jsonOption())
    .action(async (flags) => exit(await baselineSaveCommand(io, flags)));

  withStoreOptions(
    baseline
      .command('show')
      .description('show the stored baseline of a branch')
      .option('--branch <name>', 'branch (default: the current branch)')
      .addOption(settingsOption()),
  )
    .addOption(jsonOption())
    .action(async (flags) => exit(await baselineShowCommand(io, flags)));

  withStoreOptions(
    baseline
      .command('mark-bad')
      .description('exclude a poisoned run from the baseline and the history (an audit line records it)')
      .argument('<run>', 'the run: its id (see `perf-gate history --json`) or its commit sha (7+ characters)')
      .option('--reason <text>', 'why the run is bad (required; goes in the audit log)')
      .option('--by <name>', 'who marks it (default: $GITHUB_ACTOR or the OS user)')
      .option('--branch <name>', 'branch (default: the current branch)')
      .addOption(settingsOption()),
  )
    .addOption(jsonOption())
    .action(async (run: string, flags) => exit(await markBadCommand(io, run, flags)));

  withStoreOptions(
    program
      .command('history')
      .description('change points, creep and notes on the stored history of a branch')
      .option('--branch <name>', 'branch (default: the current branch)')
      .addOption(settingsOption()),
  )
    .option('--min-change <fraction>', 'smallest step or drift reported, e.g. 0.05 for 5 %', positiveNumber)
    .option('--window <n>', 'merges looked at for creep', positiveInt)
    .option('--seed <n>', 'seed of the permutation test (printed by every run)', nonNegativeInt)
    .addOption(jsonOption())
    .action(async (flags) => exit(await historyCommand(io, flags)));
}
