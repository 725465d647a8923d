import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { configDefaults, defineConfig } from 'vitest/config';
import { FILE_SECONDS } from './test/schedule.ts';

// Two projects, told apart by file name (docs/architecture.md, "Tests"):
// - unit: everything that does not time a real process. Files in one worker share loaded modules
//   (isolate: false, about half the project's CPU saved on imports), so a unit test leaves no global state
//   behind: no process.env, cwd or module-level changes it does not undo.
// - server (`*.server.test.ts`): real targets under load, measured child processes, a headless browser.
//   Their assertions are only what noise cannot flip (docs/architecture.md, "Tests"), so a neighbouring
//   file is just another CPU-heavy process.
// Both run in one group, WORKERS files at a time, longest first (LongestFirst, test/schedule.ts): most of
// a server file's wall time is waiting on its trials, and the unit files' CPU work fills those gaps. Six,
// on 2 cores: beside CPU-heavy processes the kernel shares the cores per runnable thread, so more files in
// flight get more of them (`npm test` beside three or four busy loops: 4 files 189 s, 5 165 s, 6 155 s;
// 8 gave 148 s and loads under which a generator lags and a profile's shares move).
const SERVER_TESTS = 'test/**/*.server.test.ts';
const WORKERS = 6;

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = `${import.meta.dirname}/`;
    const seconds = (spec: TestSpecification) => FILE_SECONDS[spec.moduleId.replace(root, '')] ?? 0;
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
