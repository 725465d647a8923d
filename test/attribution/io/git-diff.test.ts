// The diff parser on real `git diff -U0 --find-renames` output from a temporary repository, and the
// REST-style patch path (context hunks) checked against it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGitDiff, parsePatchHunks } from '../../../src/attribution/diff.ts';
import type { ChangedFile } from '../../../src/attribution/diff.ts';
import { changedFunctions } from '../../../src/attribution/functions.ts';
import { gitDiff, gitShow } from '../../../src/attribution/io/git.ts';

let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
const write = (path: string, content: string | Buffer) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), content);
};
const lines = (n: number, prefix = 'line') =>
  Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`).join('\n') + '\n';

const SERVICE_BEFORE = [
  'export function price(order) {', // 1
  '  let total = 0;', // 2
  '  for (const item of order.items) total += item.price;', // 3
  '  return total;', // 4
  '}', // 5
  '', // 6
  'export function describe(order) {', // 7
  '  return `order ${order.id}`;', // 8
  '}', // 9
  '',
].join('\n');
const SERVICE_AFTER = [
  'export function price(order) {', // 1
  '  let total = 0;', // 2
  '  for (const item of order.items) {', // 3
  '    total += item.price * (1 + item.tax);', // 4
  '  }', // 5
  '  return total;', // 6
  '}', // 7
  '', // 8
  'export function describe(order) {', // 9
  '  return `order ${order.id}`;', // 10
  '}', // 11
  '',
].join('\n');

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'perf-gate-git-'));
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('config', 'core.quotepath', 'true');
  write('src/service.ts', SERVICE_BEFORE);
  write('edits.txt', lines(10));
  write('gone.txt', lines(3));
  write('renamed-old.txt', lines(20, 'same'));
  write('moved-and-edited.txt', lines(20, 'text'));
  write('logo.bin', Buffer.from([0, 1, 2, 3, 255, 0, 9]));
  write('noeol.txt', 'a\nb');
  write('sp ace.txt', 'x\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'feature');
  write('src/service.ts', SERVICE_AFTER);
  // edits.txt: change line 2, insert two lines after line 5, delete line 9.
  const e = lines(10).trimEnd().split('\n');
  e[1] = 'changed 2';
  e.splice(5, 0, 'inserted a', 'inserted b');
  e.splice(e.indexOf('line 9'), 1);
  write('edits.txt', `${e.join('\n')}\n`);
  rmSync(join(repo, 'gone.txt'));
  git('mv', 'renamed-old.txt', 'renamed-new.txt');
  mkdirSync(join(repo, 'docs'));
  git('mv', 'moved-and-edited.txt', 'docs/moved.txt');
  write('docs/moved.txt', lines(20, 'text').replace('text 20', 'TEXT 20'));
  write('logo.bin', Buffer.from([0, 1, 2, 3, 255, 0, 10]));
  write('noeol.txt', 'a\nB');
  write('sp ace.txt', 'y\n');
  write('tést.txt', 'new\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'feature');
  git('checkout', '-q', 'main');
  write('edits.txt', `${lines(10)}main moved on\n`); // the base branch advances: three-dot diff ignores it
  git('add', '-A');
  git('commit', '-q', '-m', 'main');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('parseGitDiff on real git output', () => {
  let files: ChangedFile[];
  const file = (path: string) => files.find((f) => f.path === path)!;
  beforeAll(() => {
    const r = gitDiff(repo, 'main', 'feature');
    expect(r.ok).toBe(true);
    files = parseGitDiff(r.stdout);
  });

  it('lists every changed file with its status', () => {
    expect(files.map((f) => [f.path, f.status, f.oldPath]).sort()).toEqual(
      [
        ['docs/moved.txt', 'renamed', 'moved-and-edited.txt'],
        ['edits.txt', 'modified', undefined],
        ['gone.txt', 'deleted', undefined],
        ['logo.bin', 'binary', undefined],
        ['noeol.txt', 'modified', undefined],
        ['renamed-new.txt', 'renamed', 'renamed-old.txt'],
        ['sp ace.txt', 'modified', undefined],
        ['src/service.ts', 'modified', undefined],
        ['tést.txt', 'added', undefined],
      ].sort(),
    );
  });

  it('reads ,0 ranges for pure insertions and deletions (merge-base diff: main’s own change is absent)', () => {
    expect(file('edits.txt').hunks).toEqual([
      { oldStart: 2, oldLines: 1, newStart: 2, newLines: 1 },
      { oldStart: 5, oldLines: 0, newStart: 6, newLines: 2 },
      { oldStart: 9, oldLines: 1, newStart: 10, newLines: 0 },
    ]);
    expect(file('gone.txt').hunks).toEqual([{ oldStart: 1, oldLines: 3, newStart: 0, newLines: 0 }]);
    expect(file('tést.txt').hunks).toEqual([{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 1 }]);
  });

  it('renames with and without edits, binary files, no newline at end of file, spaces in paths', () => {
    expect(file('renamed-new.txt').hunks).toEqual([]);
    expect(file('renamed-new.txt').linesKnown).toBe(true);
    expect(file('docs/moved.txt').hunks).toEqual([{ oldStart: 20, oldLines: 1, newStart: 20, newLines: 1 }]);
    expect(file('logo.bin')).toMatchObject({ linesKnown: false, hunks: [] });
    expect(file('noeol.txt').hunks).toEqual([{ oldStart: 2, oldLines: 1, newStart: 2, newLines: 1 }]);
    expect(file('sp ace.txt').hunks).toEqual([{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1 }]);
  });

  it('REST-style patches (3 lines of context) reduce to the same hunks as -U0', () => {
    for (const f of files.filter((x) => x.status !== 'binary' && x.hunks.length > 0)) {
      const oldPath = f.oldPath ?? f.path;
      const patch = git('diff', '-U3', '--find-renames', 'main...feature', '--', oldPath, f.path);
      const body = patch.slice(patch.indexOf('\n@@') + 1);
      expect(parsePatchHunks(body).hunks, f.path).toEqual(f.hunks);
    }
  });

  it('maps the changed lines of a TypeScript file to the changed function', () => {
    const changed = changedFunctions(SERVICE_AFTER, file('src/service.ts').hunks);
    expect(changed.map((f) => [f.name, f.startLine, f.endLine, f.changedLines])).toEqual([
      ['price', 1, 7, [3, 4, 5]],
    ]);
  });
});

describe('git io helpers', () => {
  it('gitShow reads a file at a revision; missing paths and bad revisions are reported, not thrown', () => {
    expect(gitShow(repo, 'main', 'gone.txt')).toBe(lines(3));
    expect(gitShow(repo, 'feature', 'gone.txt')).toBeUndefined();
    const bad = gitDiff(repo, 'no-such-branch', 'feature');
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/no-such-branch|unknown revision/);
  });
});
