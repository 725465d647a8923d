// What a command definition gets: the program to add to, the process's I/O, and where to put the exit code.
import type { Command } from 'commander';
import type { CliIo } from '../context.ts';

export interface Definitions {
  program: Command;
  io: CliIo;
  /** Records the exit code of the command that ran. */
  exit(code: number): void;
}
