// Git branch names and revisions that come from flags, inputs or event payloads, checked before they
// reach a git command line: a value starting with "-" would be read as an option (`--output=...`).

const MAX_LENGTH = 255;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why `name` is not a safe branch name (git check-ref-format rules, ASCII subset), or undefined. */
export function branchNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (name.length > MAX_LENGTH) return `is longer than ${MAX_LENGTH} characters`;
  if (name.startsWith('-')) return 'starts with "-" (git would read it as an option)';
  if (!/^[A-Za-z0-9._/-]+$/.test(name)) return 'may only contain letters, digits, ".", "_", "/" and "-"';
  if (/(^[/.])|\.\.|\/\/|\/\.|\.lock(\/|$)|[/.]$/.test(name)) {
    return 'is not a valid git branch name (no "..", "//", "/.", leading "/" or ".", trailing "/", "." or ".lock")';
  }
  return undefined;
}

/**
 * Why `rev` is not a safe revision to pass to git (as in `git diff <rev>...HEAD`), or undefined.
 * Revision syntax (`main~2`, `origin/main`, `v1.0^{commit}`, `HEAD@{1}`) is allowed; options, ranges,
 * whitespace and control characters are not.
 */
export function revisionProblem(rev: string): string | undefined {
  if (rev === '') return 'is empty';
  if (rev.length > MAX_LENGTH) return `is longer than ${MAX_LENGTH} characters`;
  if (rev.startsWith('-')) return 'starts with "-" (git would read it as an option)';
  if (CONTROL.test(rev) || /\s/.test(rev)) return 'contains whitespace or control characters';
  if (rev.includes('..')) return 'is a range; give one revision (perf-gate diffs <rev>...HEAD itself)';
  if (!/^[A-Za-z0-9._/@{}~^:+=-]+$/.test(rev)) return 'contains characters that are not revision syntax';
  return undefined;
}
