// The Logger port on the Actions runner: workflow-command annotations, each message one inert line.
import * as core from '@actions/core';
import type { Logger } from '../src/contracts/ports.ts';
import { terminalText } from '../src/util/markdown.ts';
import type { Redactor } from '../src/util/redact.ts';

export function actionsLogger(redactor: Redactor): Logger {
  // One line per message, inert: a name with a newline and "::" must not become a workflow command.
  const clean = (s: string) => {
    const line = terminalText(redactor.redact(s), 20_000);
    return line.startsWith('::') ? ` ${line}` : line;
  };
  return {
    info: (m) => core.info(clean(m)),
    warn: (m) => core.warning(clean(m)),
    error: (m) => core.error(clean(m)),
    progress: () => {},
    progressDone: (m) => core.info(clean(m)),
  };
}
