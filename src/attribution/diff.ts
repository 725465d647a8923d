// Changed files and line ranges of a pull request, from `git diff -U0 --find-renames` output or from the
// REST `pulls.listFiles` / compare `files` entries.
//
// Hunk ranges follow unified-diff conventions: a missing count means 1; a count of 0 is an empty range, and
// then the start is the line *after which* the insertion (old side) or deletion (new side) sits. Patches
// with context lines (REST `patch`, or git without -U0) are reduced to -U0-equivalent hunks, so "changed
// lines" never include context. `\ No newline at end of file` is ignored. A REST entry without `patch`
// (binary, or over GitHub's diff limits) is listed with `linesKnown: false`: changed, lines unknown.

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'binary';

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
}

export interface ChangedFile {
  /** Path in the head version (the old path for a deleted file). */
  path: string;
  /** Path in the base version when it differs (renames, copies). */
  oldPath?: string;
  status: ChangeStatus;
  hunks: Hunk[];
  /** False when the file is known to have changed but its line ranges are not (binary, no patch). */
  linesKnown: boolean;
  /** Text of the removed and added lines, kept only for files selected by `keepLinesFor` (lockfiles). */
  lines?: { removed: string[]; added: string[] };
}

export interface DiffParseOptions {
  /** Keep removed/added line text for these paths (default: lockfiles, see isLockfile). */
  keepLinesFor?: (path: string) => boolean;
}

const LOCKFILES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'go.sum',
  'Cargo.lock',
];

export function isLockfile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return LOCKFILES.includes(base);
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** `@@ -a,b +c,d @@` as numbers (an omitted count is 1); undefined for any other line. */
function parseHunkHeader(line: string): Hunk | undefined {
  const m = HUNK_HEADER.exec(line);
  if (!m) return undefined;
  return {
    oldStart: Number(m[1]),
    oldLines: m[2] === undefined ? 1 : Number(m[2]),
    newStart: Number(m[3]),
    newLines: m[4] === undefined ? 1 : Number(m[4]),
  };
}

/** A header's empty side names the line before the change; lines of the body start after it. */
function startHunk(hb: HunkBuilder, h: Hunk): void {
  hb.start(h.oldLines === 0 ? h.oldStart + 1 : h.oldStart, h.newLines === 0 ? h.newStart + 1 : h.newStart);
}

/** Decodes a git C-style quoted path ("a/tab\there"), octal escapes as UTF-8 bytes. */
function unquoteGitPath(text: string): string {
  if (!text.startsWith('"')) return text;
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '"': 34, '\\': 92 };
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') break;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) break; // a truncated escape: the path ends here
      if (/[0-7]/.test(next)) {
        bytes.push(parseInt(text.slice(i + 1, i + 4), 8));
        i += 3;
      } else {
        bytes.push(simple[next] ?? next.charCodeAt(0));
        i++;
      }
    } else {
      for (const b of new TextEncoder().encode(c)) bytes.push(b);
    }
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

/** `--- a/x` / `+++ b/x` path: null for /dev/null; strips the a/ b/ prefix and a trailing tab. */
function headerPath(text: string, prefix: string): string | null {
  let t = text.replace(/\t$/, '');
  if (t === '/dev/null') return null;
  t = unquoteGitPath(t);
  return t.startsWith(prefix) ? t.slice(prefix.length) : t;
}

/** Paths from `diff --git a/X b/Y` (used when no ---/+++ or rename lines say better). */
function gitLinePaths(rest: string): [string, string] | undefined {
  if (rest.startsWith('"')) {
    const m = /^("(?:[^"\\]|\\.)*")\s+(.*)$/.exec(rest);
    if (!m) return undefined;
    return [headerPath(m[1]!, 'a/') ?? '', headerPath(m[2]!, 'b/') ?? ''];
  }
  // Unquoted: "a/P b/P" is ambiguous with spaces; when both sides are equal the split is in the middle.
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (a.startsWith('a/') && b.startsWith('b/') && a.slice(2) === b.slice(2))
      return [a.slice(2), b.slice(2)];
  }
  const m = /^a\/(.*?) b\/(.*)$/.exec(rest);
  return m ? [m[1]!, m[2]!] : undefined;
}

interface PendingFile {
  oldPath: string | null;
  newPath: string | null;
  gitPaths?: [string, string];
  status?: ChangeStatus;
  binary: boolean;
  hunks: Hunk[];
  keep: boolean;
  removed: string[];
  added: string[];
}

/** Accumulates -U0-equivalent hunks from a patch body (works with and without context lines). */
class HunkBuilder {
  readonly hunks: Hunk[] = [];
  private oldLine = 0;
  private newLine = 0;
  private run: Hunk | undefined;

  start(oldStart: number, newStart: number): void {
    this.flush();
    this.oldLine = oldStart;
    this.newLine = newStart;
  }

  context(): void {
    this.flush();
    this.oldLine++;
    this.newLine++;
  }

  removed(): void {
    if (this.run === undefined) this.run = this.open();
    this.run.oldLines++;
    this.oldLine++;
  }

  added(): void {
    if (this.run === undefined) this.run = this.open();
    this.run.newLines++;
    this.newLine++;
  }

  private open(): Hunk {
    return { oldStart: this.oldLine, oldLines: 0, newStart: this.newLine, newLines: 0 };
  }

  flush(): void {
    const h = this.run;
    if (h === undefined) return;
    // Empty side: the start is the line *before* the change point (git's -U0 convention).
    if (h.oldLines === 0) h.oldStart -= 1;
    if (h.newLines === 0) h.newStart -= 1;
    this.hunks.push(h);
    this.run = undefined;
  }
}

/**
 * Parses hunks of a patch body (the part after the file headers, as in REST `patch`). Returns -U0
 * equivalent hunks: one per run of removed/added lines.
 */
export function parsePatchHunks(
  patch: string,
  keep?: { removed: string[]; added: string[] },
): { hunks: Hunk[]; malformed: boolean } {
  const hb = new HunkBuilder();
  let oldLeft = 0;
  let newLeft = 0;
  let malformed = false;
  for (const line of patch.split('\n')) {
    if (oldLeft === 0 && newLeft === 0) {
      const h = parseHunkHeader(line);
      if (h) {
        startHunk(hb, h);
        oldLeft = h.oldLines;
        newLeft = h.newLines;
      } else if (line !== '' && !line.startsWith('\\')) {
        malformed = true;
      }
      continue;
    }
    const c = line[0];
    if (c === ' ' || (line === '' && oldLeft > 0 && newLeft > 0)) {
      hb.context();
      oldLeft--;
      newLeft--;
    } else if (c === '-') {
      hb.removed();
      keep?.removed.push(line.slice(1));
      oldLeft--;
    } else if (c === '+') {
      hb.added();
      keep?.added.push(line.slice(1));
      newLeft--;
    } else if (c === '\\') {
      // "\ No newline at end of file"
    } else {
      malformed = true;
      oldLeft = newLeft = 0;
    }
    if (oldLeft < 0 || newLeft < 0) {
      malformed = true;
      oldLeft = newLeft = 0;
    }
  }
  hb.flush();
  return { hunks: hb.hunks, malformed };
}

/** Parses `git diff` output (any -U; -U0 --find-renames recommended) into changed files. */
export function parseGitDiff(text: string, options: DiffParseOptions = {}): ChangedFile[] {
  const keepFor = options.keepLinesFor ?? isLockfile;
  const files: ChangedFile[] = [];
  const lines = text.split('\n');
  let cur: PendingFile | undefined;
  let hb: HunkBuilder | undefined;
  let oldLeft = 0;
  let newLeft = 0;

  const finish = (): void => {
    if (cur === undefined) return;
    hb?.flush();
    const oldPath = cur.oldPath ?? cur.gitPaths?.[0] ?? null;
    const newPath = cur.newPath ?? cur.gitPaths?.[1] ?? null;
    let status: ChangeStatus = cur.status ?? 'modified';
    if (cur.binary) status = 'binary';
    const path = status === 'deleted' ? (oldPath ?? newPath ?? '') : (newPath ?? oldPath ?? '');
    const file: ChangedFile = { path, status, hunks: hb?.hunks ?? [], linesKnown: !cur.binary };
    if (oldPath !== null && newPath !== null && oldPath !== newPath) file.oldPath = oldPath;
    if (cur.keep || keepFor(path)) file.lines = { removed: cur.removed, added: cur.added };
    files.push(file);
    cur = undefined;
    hb = undefined;
  };

  for (const line of lines) {
    if (oldLeft > 0 || newLeft > 0) {
      const c = line[0];
      if (c === ' ') {
        hb!.context();
        oldLeft--;
        newLeft--;
        continue;
      }
      if (c === '-') {
        hb!.removed();
        if (cur!.keep) cur!.removed.push(line.slice(1));
        oldLeft--;
        continue;
      }
      if (c === '+') {
        hb!.added();
        if (cur!.keep) cur!.added.push(line.slice(1));
        newLeft--;
        continue;
      }
      if (c === '\\') continue;
      // Truncated hunk: fall through and treat the line as a header.
      oldLeft = newLeft = 0;
    }
    if (line.startsWith('\\')) continue;
    if (line.startsWith('diff --git ')) {
      finish();
      const gitPaths = gitLinePaths(line.slice('diff --git '.length));
      cur = { oldPath: null, newPath: null, binary: false, hunks: [], keep: false, removed: [], added: [] };
      if (gitPaths) {
        cur.gitPaths = gitPaths;
        cur.keep = keepFor(gitPaths[1]) || keepFor(gitPaths[0]);
      }
      continue;
    }
    if (cur === undefined) continue;
    if (line.startsWith('new file mode')) cur.status = 'added';
    else if (line.startsWith('deleted file mode')) cur.status = 'deleted';
    else if (line.startsWith('rename from ')) {
      cur.status = 'renamed';
      cur.oldPath = unquoteGitPath(line.slice('rename from '.length));
    } else if (line.startsWith('rename to ')) {
      cur.status = 'renamed';
      cur.newPath = unquoteGitPath(line.slice('rename to '.length));
    } else if (line.startsWith('copy from ')) {
      cur.status = 'added';
      cur.oldPath = unquoteGitPath(line.slice('copy from '.length));
    } else if (line.startsWith('copy to ')) {
      cur.status = 'added';
      cur.newPath = unquoteGitPath(line.slice('copy to '.length));
    } else if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
      cur.binary = true;
    } else if (line.startsWith('--- ')) {
      const p = headerPath(line.slice(4), 'a/');
      if (p !== null) cur.oldPath = p;
      else cur.status ??= 'added';
    } else if (line.startsWith('+++ ')) {
      const p = headerPath(line.slice(4), 'b/');
      if (p !== null) cur.newPath = p;
      else cur.status = 'deleted';
      cur.keep = cur.keep || (p !== null && keepFor(p));
    } else {
      const h = parseHunkHeader(line);
      if (h) {
        hb ??= new HunkBuilder();
        startHunk(hb, h);
        oldLeft = h.oldLines;
        newLeft = h.newLines;
      }
    }
  }
  finish();
  return files;
}

/** A REST `pulls.listFiles` / compare `files` entry (fields used here). */
export interface RestFileEntry {
  filename: string;
  status: string;
  previous_filename?: string;
  patch?: string;
  additions?: number;
  deletions?: number;
  changes?: number;
}

/** Converts REST file entries; a missing `patch` gives `linesKnown: false` (changed, lines unknown). */
export function parseRestFiles(
  entries: readonly RestFileEntry[],
  options: DiffParseOptions = {},
): ChangedFile[] {
  const keepFor = options.keepLinesFor ?? isLockfile;
  const out: ChangedFile[] = [];
  for (const e of entries) {
    if (e.status === 'unchanged') continue;
    let status: ChangeStatus;
    switch (e.status) {
      case 'added':
      case 'copied':
        status = 'added';
        break;
      case 'removed':
        status = 'deleted';
        break;
      case 'renamed':
        status = 'renamed';
        break;
      default:
        status = 'modified';
    }
    const file: ChangedFile = { path: e.filename, status, hunks: [], linesKnown: false };
    if (e.previous_filename !== undefined && e.previous_filename !== e.filename)
      file.oldPath = e.previous_filename;
    if (typeof e.patch === 'string' && e.patch !== '') {
      const keep = keepFor(e.filename) ? { removed: [] as string[], added: [] as string[] } : undefined;
      const parsed = parsePatchHunks(e.patch, keep);
      file.hunks = parsed.hunks;
      file.linesKnown = !parsed.malformed;
      if (keep) file.lines = keep;
    } else if (status === 'renamed' && e.changes === 0) {
      file.linesKnown = true; // pure rename: no line changed
    }
    out.push(file);
  }
  return out;
}

/** Head-side changed lines of a file and deletion points (a deletion sits after head line `n`). */
export function changedLineSet(hunks: readonly Hunk[]): { lines: number[]; deletionsAfter: number[] } {
  const lines: number[] = [];
  const deletionsAfter: number[] = [];
  for (const h of hunks) {
    if (h.newLines === 0) deletionsAfter.push(h.newStart);
    for (let l = h.newStart; l < h.newStart + h.newLines; l++) lines.push(l);
  }
  return { lines, deletionsAfter };
}
