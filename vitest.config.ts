import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { configDefaults, defineConfig } from 'vitest/config';

// Two projects, told apart by file name (docs/architecture.md, "Tests"):
// - unit: everything that does not time a real process. Files in one worker share loaded modules
//   (isolate: false, about half the project's CPU saved on imports), so a unit test leaves no global state
//   behind: no process.env, cwd or module-level changes it does not undo.
// - server (`*.server.test.ts`): real targets under load, measured child processes, a headless browser.
//   Their assertions are only what noise cannot flip (docs/architecture.md, "Tests"), so a neighbouring
//   file is just another CPU-heavy process.
// Both run in one group, WORKERS files at a time, longest first (LongestFirst): most of a server file's
// wall time is waiting on its trials, and the unit files' CPU work fills those gaps.
const SERVER_TESTS = 'test/**/*.server.test.ts';
const WORKERS = 3;

// The files that take longest (wall seconds alone, measured with scripts/test-durations.sh), longest first.
// Started first, they end with the rest instead of alone at the end. vitest orders by its cache of last
// durations, which a fresh clone (CI) does not have: without it, it starts large files first, and these
// files are small ones (a matrix file is four lines) that would otherwise start last.
const LONGEST_FIRST = [
  'test/e2e/demo.server.test.ts',
  'test/e2e/action.server.test.ts',
  'test/attribution/matrix-tsc.server.test.ts',
  'test/attribution/matrix-esbuild.server.test.ts',
  'test/attribution/matrix-fastify.server.test.ts',
  'test/attribution/matrix-node-http.server.test.ts',
  'test/usecases/gate-real-servers.server.test.ts',
  'test/e2e/action-security.server.test.ts',
  'test/measure/target-faults.server.test.ts',
  'test/e2e/demo-identical.server.test.ts',
  'test/e2e/workflows-doc.server.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const listed = LONGEST_FIRST.findIndex((file) => spec.moduleId.endsWith(file));
      if (listed >= 0) return listed;
      // Then the other server files: each waits on real time, which the unit files' CPU work then fills.
      return spec.project.name === 'server' ? LONGEST_FIRST.length : LONGEST_FIRST.length + 1;
    };
    // Array.prototype.sort is stable: within a rank, vitest's own order (cached durations, else size).
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, SERVER_TESTS],
          isolate: false,
          maxWorkers: WORKERS,
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: [SERVER_TESTS],
          maxWorkers: WORKERS,
        },
      },
    ],
  },
});
