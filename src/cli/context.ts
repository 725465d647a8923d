// What a CLI command gets from the process, injected so commands run in-process in tests.
import type { Logger } from '../contracts/ports.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface CommandContext extends CliIo {
  logger: Logger;
}
