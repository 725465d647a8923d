// The committed Action bundle run as a GitHub runner runs it: the event payload in GITHUB_EVENT_PATH, the
// inputs as INPUT_* variables, outputs and the job summary written to files, the loopback fake GitHub API
// behind GITHUB_API_URL. Shared by the Action's end-to-end tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BUNDLE = path.resolve(import.meta.dirname, '../../action/dist/index.js');

export interface ActionEvent {
  name: string;
  ref: string;
  payload: unknown;
}

export interface ActionRun {
  code: number;
  /** stdout and stderr, interleaved as they came. */
  log: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface BundledActionOptions {
  /** GITHUB_WORKSPACE, and the working directory of the run. */
  workspace: string;
  event: ActionEvent;
  /** GITHUB_API_URL: the fake GitHub's base URL. */
  apiUrl: string;
  repository?: string;
  /** Action inputs by name (`fail-on`, `target-url`, ...), passed as INPUT_<NAME>. */
  inputs?: Record<string, unknown>;
  /** Any other variables of the runner (GITHUB_SERVER_URL, GITHUB_TOKEN, a secret the config reads, ...). */
  env?: Record<string, string>;
}

/** The `name<<delimiter` blocks @actions/core writes to GITHUB_OUTPUT. */
export function parseActionOutputs(raw: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const m of raw.matchAll(/^([\w-]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  return outputs;
}

export async function runBundledAction(o: BundledActionOptions): Promise<ActionRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-action-run-'));
  const files = {
    event: path.join(dir, 'event.json'),
    output: path.join(dir, 'output'),
    summary: path.join(dir, 'summary'),
  };
  writeFileSync(files.event, JSON.stringify(o.event.payload));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_EVENT_NAME: o.event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REF: o.event.ref,
    GITHUB_REPOSITORY: o.repository ?? 'owner/repo',
    GITHUB_API_URL: o.apiUrl,
    GITHUB_RUN_ID: '99',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    ...o.env,
  };
  for (const [name, value] of Object.entries(o.inputs ?? {}))
    env[`INPUT_${name.toUpperCase()}`] = String(value);
  const child = spawn(process.execPath, [BUNDLE], {
    cwd: o.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
  return {
    code,
    log,
    outputs: parseActionOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
  };
}

/** A push to a branch of `repository`. */
export function pushEvent(branch = 'main', repository = 'owner/repo'): ActionEvent {
  return {
    name: 'push',
    ref: `refs/heads/${branch}`,
    payload: { ref: `refs/heads/${branch}`, repository: { default_branch: 'main', full_name: repository } },
  };
}

/** A pull request (#7 by default, feature -> main) synchronised in `repository`. */
export function pullRequestEvent(
  o: { title?: string; number?: number; repository?: string } = {},
): ActionEvent {
  const number = o.number ?? 7;
  const repository = o.repository ?? 'owner/repo';
  return {
    name: 'pull_request',
    ref: `refs/pull/${number}/merge`,
    payload: {
      action: 'synchronize',
      number,
      repository: { default_branch: 'main', full_name: repository },
      pull_request: {
        number,
        title: o.title ?? 'A change',
        labels: [],
        head: { ref: 'feature', sha: 'abc', repo: { full_name: repository } },
        base: { ref: 'main', sha: 'def', repo: { full_name: repository } },
      },
    },
  };
}
