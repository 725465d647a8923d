// The demo's sample service as a target: started in its own process (so its CPU never mixes with the
// generator's) through the one process starter, and the demo's change under test.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChangedFile } from '../../attribution/diff.ts';
import { REGRESSED_FUNCTION } from '../../demo/fees.ts';
import { startProcess, whileRunning, type RunningService } from '../../measure/service.ts';
import type { Logger } from '../../contracts/ports.ts';
import type { ProcessStarter } from '../../measure/process-starter.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fromSource = import.meta.url.endsWith('.ts');
/** The package root, whether running from src/ (tsx) or dist/. */
export const PACKAGE_ROOT = path.resolve(here, '../../..');
export const DEMO_CONFIG = path.join(PACKAGE_ROOT, 'scenarios/demo/perf-gate.yml');

export type DemoVariant = 'baseline' | 'regressed';

/**
 * Starts the demo service in its own process, so its CPU never mixes with the generator's; with a
 * profile directory, Node writes its CPU profile there when it exits (cut into trials afterwards).
 */
export function startDemoService(variant: DemoVariant, profileDir?: string): Promise<RunningService> {
  const main = path.join(PACKAGE_ROOT, fromSource ? 'src/demo/main.ts' : 'dist/demo/main.js');
  return startProcess({
    command: process.execPath,
    args: [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(fromSource ? ['--import', 'tsx'] : []),
      main,
      '--variant',
      variant,
      '--port',
      '0',
    ],
    cwd: PACKAGE_ROOT,
    env: process.env,
    ready: { printsUrl: /listening on (http:\/\/\S+)/, timeoutMs: 30_000 },
  });
}

/** The demo's change under test, in the shape a parsed git diff has. */
export function demoChanges(): ChangedFile[] {
  const dbLine =
    readFileSync(path.join(PACKAGE_ROOT, 'src/demo/db.ts'), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes("regressed: { 'account.read'")) + 1;
  return [
    {
      path: REGRESSED_FUNCTION.file,
      status: 'modified',
      linesKnown: true,
      hunks: [
        {
          oldStart: REGRESSED_FUNCTION.line,
          oldLines: 0,
          newStart: REGRESSED_FUNCTION.line,
          newLines: REGRESSED_FUNCTION.endLine - REGRESSED_FUNCTION.line + 1,
        },
      ],
    },
    {
      path: 'src/demo/db.ts',
      status: 'modified',
      linesKnown: true,
      hunks: [{ oldStart: dbLine, oldLines: 1, newStart: dbLine, newLines: 1 }],
    },
  ];
}

/**
 * The process-starter port for one variant: started with `--cpu-prof` into `profileDir` (emptied first),
 * probed by pid, and its URL (a port the OS chose) handed to the measurement.
 */
export function demoServiceStarter(
  variant: DemoVariant,
  profileDir: string,
  opts: { logger: Logger; label: string; probeIntervalMs: number },
): ProcessStarter {
  return {
    async around(work) {
      opts.logger.info(`\n== ${opts.label}: starting the ${variant} demo service`);
      await rm(profileDir, { recursive: true, force: true });
      const service = await startDemoService(variant, profileDir);
      opts.logger.info(`${variant} service listening on ${service.url} (pid ${service.pid})`);
      // perf-gate started the service, so it can watch its CPU and memory while it is under load.
      const probe = { spec: { kind: 'pid' as const, pid: service.pid }, intervalMs: opts.probeIntervalMs };
      return whileRunning(service, undefined, () => work({ probe, url: service.url }));
    },
  };
}
