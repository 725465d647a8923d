import { describe, expect, it } from 'vitest';
import { describeK6Exit, k6ExitUsable } from '../../../../src/measure/runners/k6/exit-codes.ts';
import { parseK6Version, TextTail } from '../../../../src/measure/runners/k6/process.ts';
import { assertK6Exit } from '../../../../src/measure/runners/k6/trial.ts';

describe('k6 exit codes', () => {
  it('0, thresholds failed (99) and exec.test.fail (110) leave a usable trial; the rest do not', () => {
    expect(k6ExitUsable(0, null)).toBe(true);
    expect(k6ExitUsable(99, null)).toBe(true);
    expect(k6ExitUsable(110, null)).toBe(true);
    for (const code of [1, 97, 98, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 255]) {
      expect(k6ExitUsable(code, null)).toBe(false);
    }
    expect(k6ExitUsable(null, 'SIGKILL')).toBe(false);
    expect(k6ExitUsable(0, 'SIGTERM')).toBe(false);
  });

  it('names the code and its meaning, or the signal', () => {
    expect(describeK6Exit(107, null)).toBe('exit code 107 (the script threw an exception)');
    expect(describeK6Exit(104, null)).toBe(
      'exit code 104 (invalid configuration (script options or command line))',
    );
    expect(describeK6Exit(42, null)).toBe('exit code 42 (unknown k6 failure)');
    expect(describeK6Exit(null, 'SIGKILL')).toBe(
      'k6 was killed by signal SIGKILL, e.g. by the out-of-memory killer',
    );
  });

  it('assertK6Exit throws with the last output lines, and passes 99', () => {
    expect(() => assertK6Exit('k6 (k6)', 99, null, ['thresholds crossed'])).not.toThrow();
    expect(() => assertK6Exit('k6 (k6)', 108, null, ['line 1', 'line 2'])).toThrow(
      'k6 (k6) failed: exit code 108 (the script aborted the test (exec.test.abort())); its last output:\n    line 1\n    line 2',
    );
  });
});

describe('k6 version and output tails', () => {
  it('parses `k6 version` of several k6 generations', () => {
    expect(
      parseK6Version('k6 v0.46.0 (2023-08-14T13:23:26+0000/v0.46.0-0-gcbd9e9ad, go1.20.7, linux/amd64)\n'),
    ).toBe('k6 v0.46.0');
    expect(parseK6Version('k6 v1.0.0 (commit/41b4984b75, go1.24.2, linux/amd64)\nExtensions:\n')).toBe(
      'k6 v1.0.0',
    );
    expect(parseK6Version('k6 v0.52.0-rc1 (go1.22, darwin/arm64)')).toBe('k6 v0.52.0-rc1');
    expect(parseK6Version('something else\n')).toBe('something else');
    expect(parseK6Version('')).toBe('k6 (unknown version)');
  });

  it('keeps only the end of a long output', () => {
    const tail = new TextTail(100);
    for (let i = 0; i < 1000; i++) tail.push(`line ${i}\n`);
    expect(tail.lines(2)).toEqual(['line 998', 'line 999']);
    tail.push('partial');
    expect(tail.lines(1)).toEqual(['partial']);
  });
});
