import { configDefaults, defineConfig } from 'vitest/config';

// Two projects, told apart by file name (docs/architecture.md, "Tests"):
// - unit: everything that does not time a real process; runs first, files in parallel. Files in one
//   worker share loaded modules (isolate: false, about half the suite's CPU saved on imports), so a unit
//   test leaves no global state behind: no process.env, cwd or module-level changes it does not undo.
// - server (`*.server.test.ts`): real targets under load, measured child processes, a headless browser;
//   runs after the unit project, three files at a time. Their assertions are only what noise cannot flip
//   (docs/architecture.md, "Tests"), so a neighbouring file is just another CPU-heavy process.
const SERVER_TESTS = 'test/**/*.server.test.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, SERVER_TESTS],
          isolate: false,
          // Both cores: vitest's default for `run` is one worker fewer than the cores (1 on 2 cores).
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: [SERVER_TESTS],
          // Three files at a time: most of a server test's wall time is waiting (trials, delays, process
          // start), and its assertions hold beside a CPU-heavy neighbour (the suite is proven that way).
          fileParallelism: true,
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
