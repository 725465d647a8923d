// Attribution when perf-gate starts the service through another command (npm start, a shell): profiled
// through NODE_OPTIONS. The per-kind cases are matrix-<kind>.server.test.ts (matrix-cases.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { decodeRunResult } from '../../src/store/codec/run-result-codec.ts';
import { createServiceRepo } from './matrix-services.ts';
import { freePort } from '../helpers/net.ts';
import { cleanupAfterAll, defaults } from './matrix-cases.ts';

const cleanup = cleanupAfterAll();

describe('a service started through another command (npm start, a shell)', () => {
  it('is profiled through NODE_OPTIONS, every trial', async () => {
    const repo = createServiceRepo('node-http');
    cleanup.push(repo.dir);
    const port = await freePort();
    writeFileSync(
      path.join(repo.dir, 'perf-gate.yml'),
      [
        `target: http://127.0.0.1:${port}`,
        'service:',
        `  command: ['sh', '-c', 'exec "${process.execPath}" ${repo.entry}']`,
        `  env: { PORT: '${port}' }`,
        '  cpuProfile: true',
        ...defaults(3),
        '',
      ].join('\n'),
    );
    const run = await runCli(['run'], { cwd: repo.dir });
    expect(run.code, run.stderr).toBe(0);
    const result = decodeRunResult(
      readFileSync(path.join(repo.dir, '.perf-gate/run.json'), 'utf8'),
      'run.json',
    );
    const scenario = result.scenarios[0]!;
    expect(scenario.profilesMissing).toBeUndefined();
    expect(scenario.profiles).toHaveLength(3);
    for (const p of scenario.profiles!) expect(p!.samples).toBeGreaterThan(0);
    // Node takes no V8 flags from NODE_OPTIONS, so inlining stays on here (service-profiling.ts): TurboFan
    // may fold findTier into its caller in some trials (once in four suites under load), so it need
    // only show in one of them.
    expect(
      scenario.profiles!.some((p) =>
        p!.functions.some(([name, url]) => name === 'findTier' && url.endsWith(repo.pricing)),
      ),
    ).toBe(true);
  });
});
