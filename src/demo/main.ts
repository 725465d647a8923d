// Runs the demo payments API as its own process:
//   node --import tsx src/demo/main.ts --variant regressed --port 0 [--host 127.0.0.1]
// Prints exactly one line to stdout once listening:  perf-gate-demo listening on http://127.0.0.1:PORT
// SIGTERM / SIGINT: closes the server and every connection, exits 0. Bad arguments: message, exit 2.
// Listen failure (port in use…): message, exit 1.

import { parseArgs } from 'node:util';
import type { DemoVariant } from './fees.ts';
import { DEMO_VARIANTS, startDemoService } from './service.ts';

const USAGE = 'usage: main.ts [--variant baseline|regressed] [--port 0-65535] [--host 127.0.0.1]';

function usageError(message: string): never {
  process.stderr.write(`perf-gate-demo: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseCli(argv: string[]): { variant: DemoVariant; port: number; host: string } {
  let values: { variant?: string; port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        variant: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    usageError((err as Error).message);
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const variant = values.variant ?? 'baseline';
  if (!(DEMO_VARIANTS as readonly string[]).includes(variant)) {
    usageError(`--variant must be baseline or regressed, got "${variant}"`);
  }
  const portText = values.port ?? '0';
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) usageError(`--port must be an integer in 0..65535, got "${portText}"`);
  const host = values.host ?? '127.0.0.1';
  if (host === '') usageError('--host must not be empty');
  return { variant: variant as DemoVariant, port, host };
}

const options = parseCli(process.argv.slice(2));

let service: Awaited<ReturnType<typeof startDemoService>>;
try {
  service = await startDemoService(options);
} catch (err) {
  process.stderr.write(
    `perf-gate-demo: cannot listen on ${options.host}:${options.port}: ${(err as Error).message}\n`,
  );
  process.exit(1);
}

let stopping = false;
const stop = (): void => {
  if (stopping) {
    process.exit(0); // second signal: do not wait any longer
  }
  stopping = true;
  service.close().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`perf-gate-demo: error while closing: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

process.stdout.write(`perf-gate-demo listening on ${service.url}\n`);
