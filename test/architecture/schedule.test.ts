// The test schedule (test/schedule.ts) names files that exist: a renamed long file would otherwise
// silently start last again.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_SECONDS } from '../schedule.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('test schedule', () => {
  it('lists only test files that exist, each with a positive duration', () => {
    const listed = Object.entries(FILE_SECONDS);
    expect(listed.length).toBeGreaterThan(0);
    for (const [file, seconds] of listed) {
      expect(existsSync(path.join(root, file)), file).toBe(true);
      expect(file).toMatch(/\.test\.ts$/);
      expect(seconds).toBeGreaterThan(0);
    }
  });
});
