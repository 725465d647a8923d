import { describe, expect, it } from 'vitest';
import {
  changedLineSet,
  isLockfile,
  parseGitDiff,
  parsePatchHunks,
  parseRestFiles,
} from '../../src/attribution/diff.ts';

describe('parsePatchHunks', () => {
  it('reduces context hunks to -U0 runs (git conventions for empty sides)', () => {
    const patch = [
      '@@ -1,6 +1,7 @@ heading',
      ' a',
      '-b',
      '+B',
      ' c',
      '+new1',
      '+new2',
      ' d',
      '-e',
      ' f',
    ].join('\n');
    expect(parsePatchHunks(patch).hunks).toEqual([
      { oldStart: 2, oldLines: 1, newStart: 2, newLines: 1 },
      { oldStart: 3, oldLines: 0, newStart: 4, newLines: 2 },
      { oldStart: 5, oldLines: 1, newStart: 6, newLines: 0 },
    ]);
  });

  it('keeps -U0 hunks as they are, including a new and a deleted whole file', () => {
    expect(parsePatchHunks('@@ -3,0 +4,2 @@\n+x\n+y\n@@ -9 +10,0 @@\n-z').hunks).toEqual([
      { oldStart: 3, oldLines: 0, newStart: 4, newLines: 2 },
      { oldStart: 9, oldLines: 1, newStart: 10, newLines: 0 },
    ]);
    expect(parsePatchHunks('@@ -0,0 +1,2 @@\n+a\n+b').hunks).toEqual([
      { oldStart: 0, oldLines: 0, newStart: 1, newLines: 2 },
    ]);
    expect(parsePatchHunks('@@ -1,2 +0,0 @@\n-a\n-b').hunks).toEqual([
      { oldStart: 1, oldLines: 2, newStart: 0, newLines: 0 },
    ]);
  });

  it('ignores "\\ No newline at end of file" and keeps lockfile line text when asked', () => {
    const keep = { removed: [] as string[], added: [] as string[] };
    const r = parsePatchHunks(
      '@@ -2 +2 @@\n-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file',
      keep,
    );
    expect(r).toEqual({ hunks: [{ oldStart: 2, oldLines: 1, newStart: 2, newLines: 1 }], malformed: false });
    expect(keep).toEqual({ removed: ['old'], added: ['new'] });
  });

  it('flags a truncated or garbled patch', () => {
    expect(parsePatchHunks('not a patch').malformed).toBe(true);
    expect(parsePatchHunks('@@ -1,2 +1,2 @@\n-a\n?weird').malformed).toBe(true);
  });
});

describe('parseRestFiles', () => {
  it('maps REST statuses, renames and patches; a missing patch means lines unknown', () => {
    const files = parseRestFiles([
      { filename: 'src/a.ts', status: 'modified', patch: '@@ -10,3 +10,4 @@\n x\n+y\n x\n x' },
      { filename: 'src/new.ts', previous_filename: 'src/old.ts', status: 'renamed', changes: 0 },
      {
        filename: 'src/moved.ts',
        previous_filename: 'src/was.ts',
        status: 'renamed',
        patch: '@@ -1 +1 @@\n-a\n+b',
        changes: 2,
      },
      { filename: 'img/logo.png', status: 'added' },
      { filename: 'src/huge.ts', status: 'modified', additions: 0, deletions: 0, changes: 0 },
      { filename: 'src/gone.ts', status: 'removed', patch: '@@ -1,2 +0,0 @@\n-a\n-b' },
      { filename: 'src/copy.ts', previous_filename: 'src/a.ts', status: 'copied' },
      { filename: 'bin/run', status: 'changed' },
      { filename: 'same.ts', status: 'unchanged' },
    ]);
    expect(files).toEqual([
      {
        path: 'src/a.ts',
        status: 'modified',
        linesKnown: true,
        hunks: [{ oldStart: 10, oldLines: 0, newStart: 11, newLines: 1 }],
      },
      { path: 'src/new.ts', oldPath: 'src/old.ts', status: 'renamed', linesKnown: true, hunks: [] },
      {
        path: 'src/moved.ts',
        oldPath: 'src/was.ts',
        status: 'renamed',
        linesKnown: true,
        hunks: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1 }],
      },
      { path: 'img/logo.png', status: 'added', linesKnown: false, hunks: [] },
      { path: 'src/huge.ts', status: 'modified', linesKnown: false, hunks: [] },
      {
        path: 'src/gone.ts',
        status: 'deleted',
        linesKnown: true,
        hunks: [{ oldStart: 1, oldLines: 2, newStart: 0, newLines: 0 }],
      },
      { path: 'src/copy.ts', oldPath: 'src/a.ts', status: 'added', linesKnown: false, hunks: [] },
      { path: 'bin/run', status: 'modified', linesKnown: false, hunks: [] },
    ]);
  });

  it('keeps the changed lines of lockfiles only', () => {
    const [lock, code] = parseRestFiles([
      { filename: 'go.sum', status: 'modified', patch: '@@ -1 +1 @@\n-a v1 h1:x\n+a v2 h1:y' },
      { filename: 'main.go', status: 'modified', patch: '@@ -1 +1 @@\n-x\n+y' },
    ]);
    expect(lock!.lines).toEqual({ removed: ['a v1 h1:x'], added: ['a v2 h1:y'] });
    expect(code!.lines).toBeUndefined();
  });
});

describe('parseGitDiff (hand-written edge cases; real git output is in the integration tests)', () => {
  it('counts hunk lines, so content lines that look like headers stay content', () => {
    const text = [
      'diff --git a/x.txt b/x.txt',
      'index 1..2 100644',
      '--- a/x.txt',
      '+++ b/x.txt',
      '@@ -1,2 +1,3 @@',
      '--- not a header',
      '-diff --git a/y b/y',
      '+++ also content',
      '+@@ -1 +1 @@',
      '+plain',
      '',
    ].join('\n');
    expect(parseGitDiff(text)).toEqual([
      {
        path: 'x.txt',
        status: 'modified',
        linesKnown: true,
        hunks: [{ oldStart: 1, oldLines: 2, newStart: 1, newLines: 3 }],
      },
    ]);
  });

  it('decodes quoted paths with escapes and octal UTF-8, and paths with spaces', () => {
    const text = [
      'diff --git "a/t\\303\\251st\\tx.ts" "b/t\\303\\251st\\tx.ts"',
      '--- "a/t\\303\\251st\\tx.ts"',
      '+++ "b/t\\303\\251st\\tx.ts"',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      'diff --git a/sp ace.txt b/sp ace.txt',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/sp ace.txt\t',
      '@@ -0,0 +1 @@',
      '+top',
    ].join('\n');
    const files = parseGitDiff(text);
    expect(files.map((f) => [f.path, f.status])).toEqual([
      ['tést\tx.ts', 'modified'],
      ['sp ace.txt', 'added'],
    ]);
  });

  it('handles a pure rename (no hunks), a mode change and a binary rename', () => {
    const text = [
      'diff --git a/old.ts b/new.ts',
      'similarity index 100%',
      'rename from old.ts',
      'rename to new.ts',
      'diff --git a/run.sh b/run.sh',
      'old mode 100644',
      'new mode 100755',
      'diff --git a/a.png b/b.png',
      'similarity index 90%',
      'rename from a.png',
      'rename to b.png',
      'index 1..2',
      'Binary files a/a.png and b/b.png differ',
    ].join('\n');
    expect(parseGitDiff(text)).toEqual([
      { path: 'new.ts', oldPath: 'old.ts', status: 'renamed', linesKnown: true, hunks: [] },
      { path: 'run.sh', status: 'modified', linesKnown: true, hunks: [] },
      { path: 'b.png', oldPath: 'a.png', status: 'binary', linesKnown: false, hunks: [] },
    ]);
  });

  it('changedLineSet lists head lines and deletion points', () => {
    expect(
      changedLineSet([
        { oldStart: 2, oldLines: 1, newStart: 2, newLines: 2 },
        { oldStart: 9, oldLines: 3, newStart: 10, newLines: 0 },
      ]),
    ).toEqual({ lines: [2, 3], deletionsAfter: [10] });
  });

  it('recognises lockfiles by base name', () => {
    expect(
      ['package-lock.json', 'a/yarn.lock', 'pnpm-lock.yaml', 'go.sum', 'x/Cargo.lock'].every(isLockfile),
    ).toBe(true);
    expect(isLockfile('package.json')).toBe(false);
  });
});
