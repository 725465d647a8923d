#!/usr/bin/env node
// Process entry of the perf-gate CLI: the only place that touches process.argv and the exit code.
import { main } from './cli/main.ts';

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
