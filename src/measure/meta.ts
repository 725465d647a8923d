// Facts about where and with what a run was made: git commit, tool versions, host.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import type { RunMeta } from '../contracts/run-result.ts';

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function perfGateVersion(): string {
  try {
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The commit and ref of a checkout; `env` supplies CI's notion of the ref (GITHUB_HEAD_REF etc.). */
export function gitInfo(cwd: string, env: Record<string, string | undefined> = {}): RunMeta['git'] {
  const sha = git(['rev-parse', 'HEAD'], cwd);
  if (!sha) {
    // No checkout (the workflow measured a deployed URL without actions/checkout): the event still names the
    // commit, and the history needs it to say where a change happened.
    const eventSha = env.GITHUB_SHA;
    if (!eventSha || !/^[0-9a-f]{7,64}$/i.test(eventSha)) return undefined;
    const eventRef = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME;
    return { sha: eventSha, ...(eventRef ? { ref: eventRef } : {}), dirty: false };
  }
  const branch = git(['rev-parse', '--abbrev-ref', 'HEAD'], cwd);
  const ref =
    env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || (branch && branch !== 'HEAD' ? branch : undefined);
  const dirty = (git(['status', '--porcelain', '--untracked-files=no'], cwd) ?? '') !== '';
  return { sha, ...(ref ? { ref } : {}), dirty };
}

export function hostInfo(): RunMeta['host'] {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    platform: os.platform(),
    arch: os.arch(),
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    kernel: os.release(),
  };
}

export function toolVersions(): RunMeta['tool'] {
  return { perfGate: perfGateVersion(), autocannon: packageVersion('autocannon'), node: process.version };
}

/** The git checkout that `dir` belongs to (where profile frames and changed files are mapped), else `dir`. */
export function repositoryRoot(dir: string): string {
  return git(['rev-parse', '--show-toplevel'], dir) ?? dir;
}
