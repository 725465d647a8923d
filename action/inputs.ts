// The Action's inputs, validated: an invalid value is rejected with a message naming the input.
import { UsageError, type FailOn } from '../src/contracts/errors.ts';
import { branchNameProblem } from '../src/util/git-names.ts';

export type ActionMode = 'auto' | 'gate' | 'baseline';
export type StoreKind = 'git-branch' | 'file';

export interface ActionInputs {
  config: string;
  targetUrl?: string;
  baselineUrl?: string;
  /** Paired mode: seed of the pair order (the CLI's --seed). */
  seed?: number;
  githubToken: string;
  mode: ActionMode;
  failOn: FailOn;
  comment: boolean;
  store: StoreKind;
  storeBranch: string;
  approveLabel: string;
  workingDirectory: string;
  templateDir?: string;
  /** The artifact name the workflow uploads report.html under; the comment links it only then. */
  reportArtifact?: string;
  /** `baseline mark-bad` from the Action: the run to exclude and why. */
  markBad?: { run: string; reason: string };
}

/** Reads INPUT_* the way @actions/core does (name upper-cased, spaces to underscores), from a given env. */
export function readInput(env: Record<string, string | undefined>, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[], fallback: T): T {
  if (value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`input '${name}' must be one of ${allowed.join(', ')}; got '${value}'`);
}

function bool(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback;
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new UsageError(`input '${name}' must be true or false; got '${value}'`);
}

function url(name: string, value: string): string | undefined {
  if (value === '') return undefined;
  try {
    const u = new URL(value);
    if (u.protocol === 'http:' || u.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw new UsageError(`input '${name}' must be an http(s) URL; got '${value}'`);
}

export function parseInputs(env: Record<string, string | undefined>): ActionInputs {
  const get = (name: string) => readInput(env, name);
  const storeBranch = get('store-branch') || 'perf-gate-data';
  const branchProblem = branchNameProblem(storeBranch);
  if (branchProblem) throw new UsageError(`input 'store-branch' ${branchProblem}: '${storeBranch}'`);
  const targetUrl = url('target-url', get('target-url'));
  const baselineUrl = url('baseline-url', get('baseline-url'));
  const templateDir = get('template-dir');
  const reportArtifact = get('report-artifact');
  // The characters actions/upload-artifact refuses in a name: a name it cannot upload is a false link.
  if (/["\\/:<>|*?\r\n]/.test(reportArtifact)) {
    throw new UsageError(
      `input 'report-artifact' must be an artifact name without " : < > | * ? \\ / or newlines; got '${reportArtifact}'`,
    );
  }
  const seed = get('seed');
  if (seed !== '' && !/^\d{1,15}$/.test(seed)) {
    throw new UsageError(`input 'seed' must be a whole number; got '${seed}'`);
  }
  const markBadRun = get('mark-bad');
  const markBadReason = get('mark-bad-reason');
  if (markBadRun && !markBadReason) {
    throw new UsageError("input 'mark-bad' needs 'mark-bad-reason' (why the run is bad; it is audited)");
  }
  return {
    config: get('config') || 'perf-gate.yml',
    ...(targetUrl ? { targetUrl } : {}),
    ...(baselineUrl ? { baselineUrl } : {}),
    ...(seed !== '' ? { seed: Number(seed) } : {}),
    githubToken: get('github-token'),
    mode: oneOf('mode', get('mode'), ['auto', 'gate', 'baseline'] as const, 'auto'),
    failOn: oneOf('fail-on', get('fail-on'), ['regression', 'warning', 'never'] as const, 'regression'),
    comment: bool('comment', get('comment'), true),
    store: oneOf('store', get('store'), ['git-branch', 'file'] as const, 'git-branch'),
    storeBranch,
    approveLabel: get('approve-label') || 'perf-gate:approve',
    workingDirectory: get('working-directory') || '.',
    ...(templateDir ? { templateDir } : {}),
    ...(reportArtifact ? { reportArtifact } : {}),
    ...(markBadRun ? { markBad: { run: markBadRun, reason: markBadReason } } : {}),
  };
}

export interface EventInfo {
  name: string;
  pullRequest?: {
    number: number;
    title: string;
    headRef: string;
    baseRef: string;
    fromFork: boolean;
    labels: string[];
  };
  /** Branch of a push (refs/heads/x -> x). */
  pushBranch?: string;
  defaultBranch?: string;
}

interface PullPayload {
  number?: number;
  title?: string;
  head?: { ref?: string; repo?: { full_name?: string } | null };
  base?: { ref?: string; repo?: { full_name?: string } };
  labels?: Array<{ name?: string }>;
}

/** What the workflow event says (GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH). */
export function eventInfo(
  name: string,
  payload: Record<string, unknown>,
  ref: string | undefined,
): EventInfo {
  const repo = payload.repository as { default_branch?: string } | undefined;
  const info: EventInfo = { name, ...(repo?.default_branch ? { defaultBranch: repo.default_branch } : {}) };
  const pr = payload.pull_request as PullPayload | undefined;
  if (pr && typeof pr.number === 'number') {
    info.pullRequest = {
      number: pr.number,
      title: pr.title ?? '',
      headRef: pr.head?.ref ?? '',
      baseRef: pr.base?.ref ?? '',
      fromFork: !!pr.head?.repo?.full_name && pr.head.repo.full_name !== pr.base?.repo?.full_name,
      labels: (pr.labels ?? []).map((l) => l.name ?? '').filter(Boolean),
    };
  }
  if (name === 'push' && ref?.startsWith('refs/heads/')) info.pushBranch = ref.slice('refs/heads/'.length);
  return info;
}

/** auto: gate on pull requests, store the baseline on a push to the default branch. */
export function resolveMode(mode: ActionMode, event: EventInfo): 'gate' | 'baseline' {
  if (mode !== 'auto') return mode;
  if (event.pullRequest) return 'gate';
  if (event.name === 'push' && event.pushBranch && event.pushBranch === event.defaultBranch)
    return 'baseline';
  return 'gate';
}
