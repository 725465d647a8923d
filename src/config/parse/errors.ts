// Configuration problems, each tied to a file, a position and a field path, and the error that carries all
// of them at once (a user fixing a config file wants every problem in one run, not one per run).

/** One segment of a path into a YAML document: a mapping key or a sequence index. */
export type PathSegment = string | number;

export interface ConfigIssue {
  /** The file the problem is in, as shown to the user. */
  file: string;
  /** 1-based line, when the problem can be tied to a place in the file. */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** Dotted field path, e.g. `requests[1].method`; empty for the document itself (e.g. YAML syntax). */
  path: string;
  message: string;
  expected?: string;
  found?: string;
}

/** `file:line:col: path: message (expected X, found Y)`; parts that are unknown are left out. */
export function formatIssue(issue: ConfigIssue): string {
  let where = issue.file;
  if (issue.line !== undefined) where += `:${issue.line}:${issue.column ?? 1}`;
  const head = issue.path === '' ? `${where}: ` : `${where}: ${issue.path}: `;
  const detail: string[] = [];
  if (issue.expected !== undefined) detail.push(`expected ${issue.expected}`);
  if (issue.found !== undefined) detail.push(`found ${issue.found}`);
  return head + issue.message + (detail.length > 0 ? ` (${detail.join(', ')})` : '');
}

/**
 * Orders issues by file (in `files` order, then by first appearance), then line, then column; issues without
 * a line go last in their file.
 */
export function sortIssues(issues: readonly ConfigIssue[], files: readonly string[] = []): ConfigIssue[] {
  const fileOrder = new Map<string, number>();
  for (const file of [...files, ...issues.map((issue) => issue.file)]) {
    if (!fileOrder.has(file)) fileOrder.set(file, fileOrder.size);
  }
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => {
      const byFile = (fileOrder.get(a.issue.file) ?? 0) - (fileOrder.get(b.issue.file) ?? 0);
      if (byFile !== 0) return byFile;
      const la = a.issue.line ?? Number.MAX_SAFE_INTEGER;
      const lb = b.issue.line ?? Number.MAX_SAFE_INTEGER;
      if (la !== lb) return la - lb;
      const ca = a.issue.column ?? 0;
      const cb = b.issue.column ?? 0;
      return ca !== cb ? ca - cb : a.index - b.index;
    })
    .map(({ issue }) => issue);
}

/** Thrown by the config loader. `message` lists every issue, one per line (see {@link formatIssue}). */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const list = [...issues];
    super(list.length > 0 ? list.map(formatIssue).join('\n') : 'invalid configuration');
    this.name = 'ConfigError';
    this.issues = list;
  }
}

/** `['requests', 1, 'method']` -> `requests[1].method`. Keys that would read ambiguously are quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (segment === '' || /[.[\]\s"]/.test(segment)) out += `[${JSON.stringify(segment)}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

const MAX_SHOWN = 60;

/** A short, human description of a value found in a config file, for `found ...`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}...` : value;
    return `'${shown.replace(/\n/g, '\\n')}'`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value)) {
    return value.length === 0
      ? 'an empty list'
      : `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  }
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}
