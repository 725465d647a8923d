import { describe, expect, it } from 'vitest';
import { exitForOutcome } from '../../src/contracts/errors.ts';

describe('exitForOutcome (CLI --fail-on, Action input fail-on)', () => {
  it('regression (default): only a failed gate fails the job; inconclusive passes', () => {
    expect(exitForOutcome('fail', 'regression')).toBe(1);
    expect(exitForOutcome('inconclusive', 'regression')).toBe(0);
    expect(exitForOutcome('warn', 'regression')).toBe(0);
    expect(exitForOutcome('pass', 'regression')).toBe(0);
    expect(exitForOutcome('no-baseline', 'regression')).toBe(0);
  });

  it('warning: anything short of a clear pass fails, inconclusive included', () => {
    expect(exitForOutcome('fail', 'warning')).toBe(1);
    expect(exitForOutcome('warn', 'warning')).toBe(1);
    expect(exitForOutcome('inconclusive', 'warning')).toBe(1);
    expect(exitForOutcome('pass', 'warning')).toBe(0);
    expect(exitForOutcome('no-baseline', 'warning')).toBe(0);
  });

  it('never: report only', () => {
    for (const o of ['fail', 'warn', 'inconclusive', 'pass']) expect(exitForOutcome(o, 'never')).toBe(0);
  });
});
