// Starts a target service as a child process and waits until it prints the URL it listens on.
// Used by the demo, and by configs whose target perf-gate starts itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { RunFailure } from '../contracts/errors.ts';

export interface TargetProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
  /** Set once the process has exited on its own after it was ready: how, with its last stderr lines. */
  exitedEarly(): string | undefined;
}

export interface StartTargetOptions {
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Matches the ready line; the first capture group is the URL. */
  readyPattern?: RegExp;
  timeoutMs?: number;
}

export async function startTargetProcess(options: StartTargetOptions): Promise<TargetProcess> {
  const pattern = options.readyPattern ?? /(https?:\/\/\S+)/;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv | undefined,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const what = [options.command, ...options.args].join(' ');
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new RunFailure(`target process '${what}' printed no URL within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = pattern.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new RunFailure(`cannot start target process '${what}': ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new RunFailure(
          `target process '${what}' exited (${signal ?? `code ${code}`}) before it was ready` +
            (stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''),
        ),
      );
    });
  });
  child.stdout!.resume();
  // Watched for its whole life: an exit before we stop it is kept, with its last stderr lines.
  let stopping = false;
  let earlyExit: string | undefined;
  child.on('exit', (code, signal) => {
    if (stopping) return;
    const last = stderr.trim().split('\n').filter(Boolean).slice(-5).join(' | ');
    earlyExit =
      `target process '${what}' exited during the run (${signal ?? `code ${code}`})` +
      (last ? `; its last stderr lines: ${last}` : '');
  });
  return {
    url,
    pid: child.pid!,
    child,
    exitedEarly: () => earlyExit,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
