// Spawning the external tools of the k6 runner (k6, kubectl): a missing or unusable executable becomes
// one clear error with the install hint, and the last lines of a tool's output are kept for messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { childEnv } from '../../../util/child-env.ts';

export const K6_INSTALL_HINT =
  'Install k6: in a GitHub Actions workflow add the step `uses: grafana/setup-k6-action@v1` before perf-gate; ' +
  'elsewhere see https://grafana.com/docs/k6/latest/set-up/install-k6/ (or set k6.binary in the scenario to its path).';

export const KUBECTL_INSTALL_HINT =
  'Install kubectl and point it at the cluster that runs the k6-operator ' +
  '(https://kubernetes.io/docs/tasks/tools/), or set k6.distributed.kubectl in the scenario to its path.';

/** The last `maxChars` characters of a stream, as text (bounded memory whatever the tool prints). */
export class TextTail {
  private text = '';

  constructor(private readonly maxChars = 16_384) {}

  push(chunk: Buffer | string): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (this.text.length > 2 * this.maxChars) this.text = this.text.slice(-this.maxChars);
  }

  /** The last `n` non-empty lines. */
  lines(n: number): string[] {
    return this.text
      .slice(-this.maxChars)
      .split(/\r?\n/)
      .map((line) => line.trimEnd())
      .filter((line) => line !== '')
      .slice(-n);
  }
}

export interface ToolSpec {
  /** What the tool is, for messages: 'k6' or 'kubectl'. */
  what: string;
  /** How to get it, appended when it cannot be started. */
  installHint: string;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnedTool {
  child: ChildProcess;
  /** Resolves when the process has ended and its output is closed; rejects when it could not start. */
  done: Promise<ExitStatus>;
  stderr: TextTail;
  stdout: TextTail;
}

export interface SpawnToolOptions {
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; without it stdin is ignored. */
  input?: string;
  /** Receives stdout instead of the tail (which then stays empty). */
  onStdout?: (chunk: Buffer) => void;
}

export function spawnTool(
  command: string,
  args: readonly string[],
  tool: ToolSpec,
  options: SpawnToolOptions = {},
): SpawnedTool {
  const child = spawn(command, args, {
    // k6 and kubectl never get the GitHub token or the Action's inputs.
    env: childEnv(options.env ?? process.env),
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const stderr = new TextTail();
  const stdout = new TextTail();
  const done = new Promise<ExitStatus>((resolve, reject) => {
    let failed = false;
    child.on('error', (err: NodeJS.ErrnoException) => {
      // 'error' without a pid means the process never started; after a start it is a kill failure.
      if (child.pid !== undefined) return;
      failed = true;
      reject(notStartedError(command, tool, err));
    });
    child.once('close', (code, signal) => {
      if (!failed) resolve({ code, signal });
    });
  });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdout?.on('data', (chunk: Buffer) =>
    options.onStdout ? options.onStdout(chunk) : stdout.push(chunk),
  );
  if (options.input !== undefined && child.stdin) {
    // A tool that exits without reading its input must not crash us with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  }
  return { child, done, stderr, stdout };
}

function notStartedError(command: string, tool: ToolSpec, err: NodeJS.ErrnoException): Error {
  if (err.code === 'ENOENT') {
    return new Error(`${tool.what} not found: cannot run '${command}' (ENOENT). ${tool.installHint}`);
  }
  if (err.code === 'EACCES') {
    return new Error(
      `${tool.what} cannot be started: '${command}' is not executable (EACCES). ${tool.installHint}`,
    );
  }
  return new Error(`${tool.what} cannot be started: '${command}': ${err.message}. ${tool.installHint}`);
}

export interface ToolOutput extends ExitStatus {
  stdout: string;
  stderr: TextTail;
}

/** Runs a short command to its end and returns its whole stdout (for small outputs: versions, JSON). */
export async function runTool(
  command: string,
  args: readonly string[],
  tool: ToolSpec,
  options: Omit<SpawnToolOptions, 'onStdout'> = {},
): Promise<ToolOutput> {
  const chunks: Buffer[] = [];
  const spawned = spawnTool(command, args, tool, { ...options, onStdout: (chunk) => chunks.push(chunk) });
  const status = await spawned.done;
  return { ...status, stdout: Buffer.concat(chunks).toString('utf8'), stderr: spawned.stderr };
}

export const K6_TOOL: ToolSpec = { what: 'k6', installHint: K6_INSTALL_HINT };
export const KUBECTL_TOOL: ToolSpec = { what: 'kubectl', installHint: KUBECTL_INSTALL_HINT };

const versions = new Map<string, Promise<string>>();

/**
 * "k6 v1.0.0" from `k6 version`, once per binary. It is also the first thing run on a binary, so a missing
 * k6 is reported here, before any trial.
 */
export function k6Version(binary: string, env?: NodeJS.ProcessEnv): Promise<string> {
  let version = versions.get(binary);
  if (!version) {
    version = readK6Version(binary, env);
    versions.set(binary, version);
    // A failure is not remembered: the next trial tries again (and reports it again).
    version.catch(() => versions.delete(binary));
  }
  return version;
}

async function readK6Version(binary: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const out = await runTool(binary, ['version'], K6_TOOL, env ? { env } : {});
  if (out.code !== 0) {
    const detail = out.stderr.lines(5).join(' | ');
    throw new Error(
      `'${binary} version' failed with exit code ${out.code ?? out.signal}${detail ? `: ${detail}` : ''}. ${K6_INSTALL_HINT}`,
    );
  }
  return parseK6Version(out.stdout);
}

/** "k6 v0.46.0 (2023-08-14T13:23:26+0000/v0.46.0-0-gcbd9e9ad, go1.20.7, linux/amd64)" -> "k6 v0.46.0". */
export function parseK6Version(output: string): string {
  const match = /\bk6 (v\d+\.\d+\.\d+[^\s,()]*)/.exec(output);
  if (match) return `k6 ${match[1]}`;
  const first = output.split('\n')[0]?.trim() ?? '';
  return first === '' ? 'k6 (unknown version)' : first.slice(0, 100);
}
