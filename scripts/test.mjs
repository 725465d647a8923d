#!/usr/bin/env node
// `npm test`: the linter, the formatter check, the type checker and vitest, started together. They are
// independent, and on 2 cores the three checks (about 30 CPU-seconds) fit in the gaps the server tests leave
// while they wait on their targets, instead of adding their wall time in front of the tests.
// vitest's output streams live; each check's output is printed whole when it ends, so nothing interleaves.
// Exit code: 0 when all four pass, else the first failure's (vitest's when it failed).
// Extra arguments go to vitest, e.g. `npm test -- test/stats`.
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const CHECKS = [
  { name: 'eslint', command: bin('eslint'), args: ['.'] },
  { name: 'prettier', command: bin('prettier'), args: ['--check', '.'] },
  { name: 'tsc', command: bin('tsc'), args: ['-p', 'tsconfig.json', '--noEmit'] },
];

function runBuffered({ name, command, args }) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ name, code: 2, output: `${error.message}\n` }));
    child.on('close', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const status = code === 0 ? 'ok' : `FAILED (${signal ?? `exit ${code}`})`;
      process.stdout.write(`\n── ${name}: ${status} in ${seconds} s\n${code === 0 ? '' : output}`);
      resolve({ name, code: code ?? 1 });
    });
  });
}

function runLive(args) {
  return new Promise((resolve) => {
    const child = spawn(bin('vitest'), ['run', ...args], { cwd: root, stdio: 'inherit' });
    child.on('error', () => resolve({ name: 'vitest', code: 2 }));
    child.on('close', (code) => resolve({ name: 'vitest', code: code ?? 1 }));
  });
}

const results = await Promise.all([runLive(process.argv.slice(2)), ...CHECKS.map(runBuffered)]);
const failed = results.filter((r) => r.code !== 0);
if (failed.length > 0) {
  process.stdout.write(`\nnpm test failed: ${failed.map((r) => r.name).join(', ')}\n`);
  process.exit(failed[0].code);
}
process.stdout.write('\nnpm test: eslint, prettier, tsc and vitest all passed\n');
