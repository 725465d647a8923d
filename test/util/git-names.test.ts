import { describe, expect, it } from 'vitest';
import { branchNameProblem, revisionProblem } from '../../src/util/git-names.ts';

describe('revisionProblem', () => {
  it('accepts revision syntax', () => {
    for (const rev of [
      'main',
      'origin/main',
      'HEAD~2',
      'v1.0^{commit}',
      'HEAD@{1}',
      'a1b2c3d',
      'feature/x-y_z',
    ]) {
      expect(revisionProblem(rev), rev).toBeUndefined();
    }
  });

  it('refuses options, ranges, whitespace, control characters and odd bytes', () => {
    expect(revisionProblem('--output=/tmp/x')).toMatch(/starts with "-"/);
    expect(revisionProblem('-p')).toMatch(/option/);
    expect(revisionProblem('main..HEAD')).toMatch(/range/);
    expect(revisionProblem('main HEAD')).toMatch(/whitespace/);
    expect(revisionProblem('main\u0000')).toMatch(/control/);
    expect(revisionProblem('$(id)')).toMatch(/not revision syntax/);
    expect(revisionProblem('')).toMatch(/empty/);
    expect(revisionProblem('a'.repeat(300))).toMatch(/longer/);
  });
});

describe('branchNameProblem', () => {
  it('accepts ordinary branch names and refuses what git or a shell would misread', () => {
    for (const ok of ['perf-gate-data', 'data/perf', 'release-1.2'])
      expect(branchNameProblem(ok), ok).toBeUndefined();
    for (const bad of ['-x', 'a..b', 'a//b', '/a', 'a/', 'a.lock', '.a', 'a/.b', 'a b', 'a;b', '']) {
      expect(branchNameProblem(bad), bad).toBeDefined();
    }
  });
});

describe('--diff-base on the command line', () => {
  it('refuses a revision git would read as an option (exit 2), before reading any file', async () => {
    const { runCli } = await import('../helpers/cli.ts');
    const r = await runCli(
      [
        'compare',
        '--baseline',
        'missing.json',
        '--candidate',
        'missing.json',
        '--diff-base=--output=/tmp/pwned',
      ],
      { cwd: process.cwd() },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--diff-base.*starts with "-" \(git would read it as an option\)/);
  });
});
