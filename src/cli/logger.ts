// Logs and progress on stderr (stdout is reserved for --json output). On a TTY the progress of a
// trial is one line rewritten in place; elsewhere (CI) only each trial's final line is printed.
import type { Logger } from '../contracts/ports.ts';
import type { Redactor } from '../util/redact.ts';
import { terminalText } from '../util/markdown.ts';

export interface LoggerOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  redactor?: Redactor;
  quiet?: boolean;
}

export function createStderrLogger({ stream, redactor, quiet = false }: LoggerOptions): Logger {
  const tty = stream.isTTY === true;
  // Masked, and inert on a terminal: names in messages cannot carry escape sequences or bidi controls.
  const clean = (s: string) =>
    (redactor ? redactor.redact(s) : s)
      .split('\n')
      .map((line) => terminalText(line, 10_000))
      .join('\n');
  let live = false;
  const clearLive = () => {
    if (live) stream.write('\r\x1b[2K');
    live = false;
  };
  const write = (s: string) => {
    clearLive();
    stream.write(`${clean(s)}\n`);
  };
  return {
    info: (m) => {
      if (!quiet) write(m);
    },
    warn: (m) => write(`warning: ${m}`),
    error: (m) => write(`error: ${m}`),
    progress: (line) => {
      if (!tty || quiet) return;
      stream.write(`\r\x1b[2K${clean(line)}`);
      live = true;
    },
    progressDone: (line) => {
      if (!quiet) write(line);
      else clearLive();
    },
  };
}
