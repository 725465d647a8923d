// git for tests that build real repositories: a fixed author, no system config, `main` as the first
// branch, output as trimmed text.
import { execFileSync } from 'node:child_process';

export const gitEnv: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Perf Test',
  GIT_AUTHOR_EMAIL: 'perf-test@example.com',
  GIT_COMMITTER_NAME: 'Perf Test',
  GIT_COMMITTER_EMAIL: 'perf-test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], {
    cwd,
    env: gitEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}
