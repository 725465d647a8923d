// The perf-gate command line: parses flags, runs one command, maps the outcome to an exit code.
// Errors are printed as one clear message (never a stack trace) and mapped to the documented codes.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT, exitCodeFor } from '../contracts/errors.ts';
import { revisionProblem } from '../util/git-names.ts';
import { perfGateVersion } from '../engine/meta.ts';
import type { CliIo } from './context.ts';
import { runCommand } from './commands/run.ts';
import { validateCommand } from './commands/validate.ts';
import { baselineSaveCommand, baselineShowCommand } from './commands/baseline.ts';
import { historyCommand, markBadCommand } from './commands/history.ts';
import { demoCommand } from './commands/demo.ts';
import { compareCommand, gateCommand } from './commands/gate.ts';
import { calibrateCommand } from './commands/calibrate.ts';
import { calibrateLoadCommand } from './commands/calibrate-load.ts';
import { publishCommand, reportCommand } from './commands/report.ts';

function failOnOption(): Option {
  return new Option(
    '--fail-on <when>',
    'what fails the build: regression (inconclusive passes), warning (warn and inconclusive fail too), never',
  )
    .choices(['regression', 'warning', 'never'])
    .default('regression');
}

/** Where history and mark-bad read: a baseline directory (flag or config) or the Action's data branch. */
function withHistoryStoreOptions(command: Command): Command {
  return command
    .option(
      '--dir <dir>',
      'baseline directory (default: baseline.dir of the config, else .perf-gate/baselines)',
    )
    .option(
      '-c, --config <file>',
      'perf-gate config, for baseline.dir (default: ./perf-gate.yml when present)',
    )
    .option(
      '--remote <git-remote>',
      "the git-branch store's repository (the Action's store) instead of --dir",
    )
    .option('--data-branch <name>', 'data branch of --remote', 'perf-gate-data');
}

function atLeastThree(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 3 || n > 50)
    throw new InvalidArgumentError('expected a whole number from 3 to 50');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

/** A git revision for --diff-base: refused when git would read it as an option or a range. */
function gitRevision(value: string): string {
  const problem = revisionProblem(value);
  if (problem) throw new InvalidArgumentError(`the revision ${problem}`);
  return value;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number above 0');
  return n;
}

const EXIT_CODES_HELP = `
Exit codes:
  0  pass (including "no baseline yet")
  1  gate failed
  2  usage or config error
  3  target or run failure (unreachable target, corrupt baseline, runner crash)`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.pass;
  const program = new Command('perf-gate')
    .description('Performance-regression gate: load, measure, compare, explain, decide.')
    .version(perfGateVersion())
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  const configOption = () =>
    new Option('-c, --config <file>', 'perf-gate config file').default('perf-gate.yml');
  const jsonOption = () => new Option('--json', 'machine-readable output on stdout (logs stay on stderr)');

  program
    .command('run')
    .description('run every scenario (warm-up plus trials) and write a RunResult JSON')
    .addOption(configOption())
    .option('-o, --out <file>', 'where to write the result (default: <output>/run.json)')
    .option('-t, --target <url>', 'target base URL (overrides the config)')
    .option('--label <label>', 'a label stored with the run, e.g. baseline or candidate')
    .option('--trials <n>', 'override the number of trials of every scenario', positiveInt)
    .addOption(jsonOption())
    .action(async (flags) => {
      exitCode = await runCommand(io, flags);
    });

  program
    .command('validate')
    .description('validate the config and scenarios, and check that the target answers')
    .addOption(configOption())
    .option('-t, --target <url>', 'target base URL (overrides the config)')
    .option('--no-reach', 'skip the reachability check')
    .addOption(jsonOption())
    .action(async (flags) => {
      exitCode = await validateCommand(io, flags);
    });

  program
    .command('calibrate')
    .description(
      'A/A: measure the target several times; print trial noise, run drift, detectable change and suggested thresholds',
    )
    .addOption(configOption())
    .option('-t, --target <url>', 'target base URL (overrides the config)')
    .option('--runs <n>', 'how many A/A runs (at least 3: the run drift needs them)', atLeastThree, 3)
    .option('--trials <n>', 'override the number of trials of every scenario', positiveInt)
    .option(
      '--load',
      "instead: find a load this runner's generator can hold, per scenario (short probe trials)",
    )
    .option('--trial-ms <ms>', 'with --load: length of each probe trial in milliseconds', positiveInt, 2000)
    .addOption(jsonOption())
    .action(async (flags) => {
      exitCode = flags.load ? await calibrateLoadCommand(io, flags) : await calibrateCommand(io, flags);
    });

  program
    .command('gate')
    .description('measure, compare with the baseline, decide (exit 1 when the gate fails)')
    .addOption(configOption())
    .option('-t, --target <url>', 'candidate target base URL (overrides the config)')
    .option('--baseline-url <url>', 'paired mode: re-measure this baseline deployment in interleaved pairs')
    .option(
      '--branch <name>',
      'stored mode: branch whose baseline to compare with (default $GITHUB_BASE_REF or main)',
    )
    .option('--dir <dir>', "baseline directory (default: the config's baseline.dir)")
    .option('--seed <n>', 'paired mode: seed of the pair order (printed by every run)', nonNegativeInt)
    .option('--approve <reason>', 'approve an intended regression (recorded in the verdict)')
    .option(
      '--diff-base <rev>',
      'explain regressions with the changes since this revision (git diff <rev>...HEAD)',
      gitRevision,
    )
    .option('--trials <n>', 'override the number of trials of every scenario', positiveInt)
    .option('--out-dir <dir>', 'where to write run.json, comparison.json, verdict.json (default: <output>)')
    .addOption(failOnOption())
    .addOption(jsonOption())
    .action(async (flags) => {
      exitCode = await gateCommand(io, flags);
    });

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
    .option(
      '--diff-base <rev>',
      'explain regressions with the changes since this revision (git diff <rev>...HEAD)',
      gitRevision,
    )
    .option('--approve <reason>', 'approve an intended regression (recorded in the verdict)')
    .option(
      '--out-dir <dir>',
      'where to write comparison.json and verdict.json (default: next to the candidate)',
    )
    .option('--all', 'list every metric, not only gating and changed ones')
    .addOption(failOnOption())
    .addOption(jsonOption())
    .action(async (flags) => {
      exitCode = await compareCommand(io, flags);
    });

  program
    .command('report')
    .description('render the PR comment (and job summary) again from a saved JSON report')
    .option('--from <file>', 'the JSON report (default: <output>/report.json of the config)')
    .option('-c, --config <file>', 'perf-gate config (default: ./perf-gate.yml when present)')
    .option('-o, --out <file>', 'write the comment here (default: stdout)')
    .option('--summary <file>', 'also write the job-summary rendering here')
    .option('--html <file>', 'also write the self-contained HTML report here')
    .option('--template-dir <dir>', 'your own templates (comment.md.hbs, summary.md.hbs, partials/)')
    .option('--marker <id>', 'id of the sticky-comment marker', 'default')
    .action(async (flags) => {
      exitCode = await reportCommand(io, flags);
    });

  program
    .command('publish')
    .description(
      'post a saved JSON report as the sticky PR comment (token in GITHUB_TOKEN; fork-safe workflows)',
    )
    .option('--from <file>', 'the JSON report (default: <output>/report.json of the config)')
    .option('-c, --config <file>', 'perf-gate config (default: ./perf-gate.yml when present)')
    .option('--repo <owner/name>', 'repository (default: $GITHUB_REPOSITORY)')
    .option(
      '--pr <n>',
      "pull request number (default: the workflow_run event's pull request; never the report's)",
      positiveInt,
    )
    .option(
      '--app-login <login>',
      'login an installation token comments as (default github-actions[bot], the GITHUB_TOKEN app)',
    )
    .option('--marker <id>', 'id of the sticky-comment marker', 'default')
    .option('--template-dir <dir>', 'your own templates')
    .addOption(jsonOption())
    .action(async (flags) => {
      exitCode = await publishCommand(io, flags);
    });

  const baseline = program.command('baseline').description('manage stored baselines (file store)');
  baseline
    .command('save')
    .description('store a run result as the baseline of a branch')
    .option('--from <file>', 'run result to store (default: <output>/run.json of the config)')
    .option('--branch <name>', 'branch the baseline belongs to (default: the current branch)')
    .option('--dir <dir>', "baseline directory (default: the config's baseline.dir)")
    .option('-c, --config <file>', 'perf-gate config (default: ./perf-gate.yml when present)')
    .option(
      '--allow-invalid',
      'store a run with invalid trials anyway (every gate against it then warns that it is weak)',
    )
    .addOption(jsonOption())
    .action(async (flags) => {
      exitCode = await baselineSaveCommand(io, flags);
    });
  baseline
    .command('show')
    .description('show the stored baseline of a branch')
    .option('--branch <name>', 'branch (default: the current branch)')
    .option('--dir <dir>', "baseline directory (default: the config's baseline.dir)")
    .option('-c, --config <file>', 'perf-gate config (default: ./perf-gate.yml when present)')
    .addOption(jsonOption())
    .action(async (flags) => {
      exitCode = await baselineShowCommand(io, flags);
    });

  withHistoryStoreOptions(
    baseline
      .command('mark-bad')
      .description('exclude a poisoned run from the baseline and the history (an audit line records it)')
      .argument('<run>', 'the run: its id (see `perf-gate history --json`) or its commit sha (7+ characters)')
      .option('--reason <text>', 'why the run is bad (required; goes in the audit log)')
      .option('--by <name>', 'who marks it (default: $GITHUB_ACTOR or the OS user)')
      .option('--branch <name>', 'branch (default: the current branch)'),
  )
    .addOption(jsonOption())
    .action(async (run: string, flags) => {
      exitCode = await markBadCommand(io, run, flags);
    });

  withHistoryStoreOptions(
    program
      .command('history')
      .description('change points, creep and notes on the stored history of a branch')
      .option('--branch <name>', 'branch (default: the current branch)'),
  )
    .option('--min-change <fraction>', 'smallest step or drift reported, e.g. 0.05 for 5 %', positiveNumber)
    .option('--window <n>', 'merges looked at for creep', positiveInt)
    .option('--seed <n>', 'seed of the permutation test (printed by every run)', nonNegativeInt)
    .addOption(jsonOption())
    .action(async (flags) => {
      exitCode = await historyCommand(io, flags);
    });

  program
    .command('demo')
    .description('run the bundled sample service: baseline, regressed candidate, comparison')
    .option('--out <dir>', 'where the demo writes its files', '.perf-gate')
    .option('--trials <n>', 'trials per variant', positiveInt)
    .addOption(
      new Option(
        '--candidate <variant>',
        "the candidate's variant: regressed, or baseline for an identical candidate",
      )
        .choices(['regressed', 'baseline'])
        .default('regressed'),
    )
    .action(async (flags) => {
      exitCode = await demoCommand(io, flags);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end the parse through the same exception, with code 0.
      return err.exitCode === 0 ? EXIT.pass : EXIT.usage;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`perf-gate: ${message}\n`);
    return exitCodeFor(err);
  }
}
