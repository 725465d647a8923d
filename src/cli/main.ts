// The perf-gate command line: parses flags, runs one command, maps the outcome to an exit code.
// Errors are printed as one clear message (never a stack trace) and mapped to the documented codes.
import { Command, CommanderError } from 'commander';
import { EXIT, exitCodeFor } from '../contracts/errors.ts';
import { perfGateVersion } from '../measure/meta.ts';
import type { CliIo } from './context.ts';
import { defineGateCommands } from './define/gate.ts';
import { defineDemoCommand, defineMeasureCommands } from './define/measure.ts';
import { defineReportCommands } from './define/report.ts';
import { defineStoreCommands } from './define/store.ts';

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
  const definitions = { program, io, exit: (code: number) => void (exitCode = code) };
  defineMeasureCommands(definitions);
  defineGateCommands(definitions);
  defineReportCommands(definitions);
  defineStoreCommands(definitions);
  defineDemoCommand(definitions);

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
