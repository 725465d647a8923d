import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Load tests measure time: run test files one after another on this 2-core machine.
    fileParallelism: false,
  },
});
