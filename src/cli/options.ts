// Option parsers and the options several commands share, defined once.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { revisionProblem } from '../util/git-names.ts';
import { DEFAULT_DATA_BRANCH } from '../usecases/baseline-stores.ts';

export function atLeastThree(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 3 || n > 50)
    throw new InvalidArgumentError('expected a whole number from 3 to 50');
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

/** A git revision for --diff-base: refused when git would read it as an option or a range. */
export function gitRevision(value: string): string {
  const problem = revisionProblem(value);
  if (problem) throw new InvalidArgumentError(`the revision ${problem}`);
  return value;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number above 0');
  return n;
}

export const configOption = () =>
  new Option('-c, --config <file>', 'perf-gate config file').default('perf-gate.yml');

/** The config of a command that measures nothing: read only for its settings. */
export const settingsOption = () =>
  new Option('-c, --config <file>', 'perf-gate config (default: ./perf-gate.yml when present)');

export const jsonOption = () =>
  new Option('--json', 'machine-readable output on stdout (logs stay on stderr)');

export const trialsOption = (what = 'override the number of trials of every scenario') =>
  new Option('--trials <n>', what).argParser(positiveInt);

export const approveOption = () =>
  new Option(
    '--approve <reason>',
    'approve an intended regression (recorded in the verdict, with who: $GITHUB_ACTOR or $USER)',
  );

export const diffBaseOption = () =>
  new Option(
    '--diff-base <rev>',
    'explain regressions with the changes since this revision (git diff <rev>...HEAD)',
  ).argParser(gitRevision);

export function failOnOption(): Option {
  return new Option(
    '--fail-on <when>',
    'what fails the build: regression (inconclusive passes), warning (warn and inconclusive fail too), never',
  )
    .choices(['regression', 'warning', 'never'])
    .default('regression');
}

/** Where baselines are read and written: a directory (default) or the Action's git data branch. */
export function withStoreOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--store <kind>',
        'baseline store: file (a directory) or git (a data branch, as the Action)',
      ).choices(['file', 'git']),
    )
    .option(
      '--dir <dir>',
      'file store: baseline directory (default: baseline.dir of the config, else .perf-gate/baselines)',
    )
    .option(
      '--remote <git-remote>',
      'git store: the repository (default: $GITHUB_REPOSITORY on $GITHUB_SERVER_URL); implies --store git',
    )
    .option('--data-branch <name>', 'git store: the data branch', DEFAULT_DATA_BRANCH);
}
