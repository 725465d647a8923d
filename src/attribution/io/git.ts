// The PR's diff from a local checkout: `git diff -U0 --find-renames <merge-base>...<head>` has no API
// limits and exact line numbers; `git show <rev>:<path>` gives a lockfile's base version.

import { spawnSync } from 'node:child_process';
import { revisionProblem } from '../../util/git-names.ts';

export interface GitResult {
  ok: boolean;
  stdout: string;
  /** What went wrong, when !ok. */
  error?: string;
}

function git(repoDir: string, args: string[]): GitResult {
  const r = spawnSync('git', args, { cwd: repoDir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) return { ok: false, stdout: '', error: r.error.message };
  if (r.status !== 0)
    return { ok: false, stdout: r.stdout ?? '', error: (r.stderr ?? '').trim() || `git exited ${r.status}` };
  return { ok: true, stdout: r.stdout };
}

/** Unified diff with zero context between the merge base of `base` and `head` (three-dot) and `head`. */
export function gitDiff(repoDir: string, base: string, head = 'HEAD'): GitResult {
  for (const rev of [base, head]) {
    const problem = revisionProblem(rev);
    if (problem) return { ok: false, stdout: '', error: `revision ${JSON.stringify(rev)} ${problem}` };
  }
  return git(repoDir, ['diff', '-U0', '--find-renames', '--no-color', '--no-ext-diff', `${base}...${head}`]);
}

/** A file's content at a revision, or undefined when it does not exist there. */
export function gitShow(repoDir: string, rev: string, path: string): string | undefined {
  const r = git(repoDir, ['show', `${rev}:${path}`]);
  return r.ok ? r.stdout : undefined;
}
