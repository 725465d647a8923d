import { describe, expect, it } from 'vitest';
import { stickyMarker, withStickyMarker } from '../../src/github/comments.ts';

describe('sticky comment marker', () => {
  it('is a hidden HTML comment naming the key', () => {
    expect(stickyMarker('gate')).toBe('<!-- perf-gate:gate -->');
    expect(stickyMarker('ci/api:main')).toBe('<!-- perf-gate:ci/api:main -->');
  });

  it('refuses keys that could break out of the HTML comment or are empty', () => {
    for (const bad of ['', 'a--b', 'x -->', 'a b', 'é', 'x'.repeat(101)]) {
      expect(() => stickyMarker(bad)).toThrow(RangeError);
    }
  });

  it('is put first in the body once', () => {
    const once = withStickyMarker('## perf-gate\nok', 'gate');
    expect(once).toBe('<!-- perf-gate:gate -->\n## perf-gate\nok');
    expect(withStickyMarker(once, 'gate')).toBe(once);
    expect(withStickyMarker(once, 'other').startsWith('<!-- perf-gate:other -->\n')).toBe(true);
  });
});
