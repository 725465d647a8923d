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
// wall time is waiting on its trials, and the unit files' CPU work fills those gaps. Six, on 2 cores: beside
// a CPU-heavy process the kernel shares the cores per runnable thread, so more files in flight get more of
// them (`npm test` beside a busy loop: 3 files 172 s, 4 189 s, 5 165 s, 6 155 s; 8 gave 148 s and loads
// under which a generator lags and a profile's shares move).
const SERVER_TESTS = 'test/**/*.server.test.ts';
const WORKERS = 6;

// Seconds each file takes in `npm test` beside a busy loop (scripts/test-under-load.sh with vitest's JSON
// reporter), for the files of 5 s or more. Longest first is the classic greedy schedule (LPT): the long
// files start at once and end with the rest instead of alone at the end. vitest orders by its cache of
// last durations, which a fresh clone (CI) does not have, and then by file size: the four-line matrix
// files would start last. Files not listed keep vitest's order, after these.
const SECONDS: Record<string, number> = {
  'test/e2e/demo.server.test.ts': 34,
  'test/e2e/action.server.test.ts': 31,
  'test/attribution/matrix-tsc.server.test.ts': 27,
  'test/attribution/matrix-fastify.server.test.ts': 23,
  'test/attribution/matrix-esbuild.server.test.ts': 21,
  'test/attribution/matrix-node-http.server.test.ts': 20,
  'test/usecases/gate-real-servers.server.test.ts': 20,
  'test/measure/target-faults.server.test.ts': 18,
  'test/e2e/demo-identical.server.test.ts': 18,
  'test/measure/runners/k6/distributed.test.ts': 15,
  'test/store/git-branch-store.test.ts': 14,
  'test/e2e/cli-broken-candidate.server.test.ts': 12,
  'test/e2e/workflows-doc.server.test.ts': 11,
  'test/e2e/action-security.server.test.ts': 10,
  'test/verdict/sequential-simulation.test.ts': 10,
  'test/store/history-store.test.ts': 10,
  'test/attribution/functions.test.ts': 10,
  'test/e2e/cli-profiles.server.test.ts': 10,
  'test/e2e/cli-publish.test.ts': 9,
  'test/report/render.test.ts': 8,
  'test/e2e/cli-resources.server.test.ts': 8,
  'test/compare/simulation.test.ts': 8,
  'test/e2e/cli-store-git.server.test.ts': 8,
  'test/measure/collectors/resources/pid-probe.server.test.ts': 7,
  'test/measure/runners/autocannon-closed.server.test.ts': 6,
  'test/e2e/action-fail-on.server.test.ts': 6,
  'test/history/real-runs.server.test.ts': 6,
  'test/demo/service.server.test.ts': 6,
  'test/measure/runners/open-rate.server.test.ts': 6,
};

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = `${import.meta.dirname}/`;
    const seconds = (spec: TestSpecification) => SECONDS[spec.moduleId.replace(root, '')] ?? 0;
    // Array.prototype.sort is stable: among unlisted files, vitest's own order.
    return (await super.sort(files)).sort((a, b) => seconds(b) - seconds(a));
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
