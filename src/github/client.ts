// The Octokit used for every GitHub API call. Callers pass the token and the API base URL (the Action
// reads GITHUB_API_URL); nothing here reads the environment. Every request goes through the retry policy.
import { getOctokit } from '@actions/github';
import { UsageError } from '../contracts/errors.ts';
import type { Logger } from '../contracts/ports.ts';
import { Redactor } from '../util/redact.ts';
import { retryPolicy, withRetry, type RetryPolicy } from './retry.ts';

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const DEFAULT_GITHUB_TIMEOUT_MS = 30_000;

/** The request timeout from PERF_GATE_GITHUB_TIMEOUT_MS (milliseconds), when set to a positive number. */
export function githubTimeoutFromEnv(env: Record<string, string | undefined>): number | undefined {
  const ms = Number(env.PERF_GATE_GITHUB_TIMEOUT_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

export type GitHubOctokit = ReturnType<typeof getOctokit>;

export interface GitHubClient {
  octokit: GitHubOctokit;
  /** The policy the request hook applies; exposed for calls that must reconcile before repeating. */
  retry: RetryPolicy;
}

export interface GitHubClientOptions {
  token: string;
  /** API base URL, e.g. GITHUB_API_URL on GitHub Enterprise Server; default https://api.github.com. */
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
  /** Each attempt is abandoned after this long (a hung connection is a retryable failure); default 30 s. */
  timeoutMs?: number;
  logger?: Logger;
  /** Masks the token (added here) and other secrets in log lines. */
  redactor?: Redactor;
  userAgent?: string;
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const token = options.token.trim();
  if (token === '') throw new UsageError('a GitHub token is required to talk to the GitHub API');
  const redactor = options.redactor ?? new Redactor();
  redactor.add(token, true);
  const baseUrl = (options.baseUrl?.trim() || DEFAULT_GITHUB_API_URL).replace(/\/+$/, '');
  try {
    new URL(baseUrl);
  } catch {
    throw new UsageError(`GitHub API URL ${JSON.stringify(redactor.redact(baseUrl))} is not a URL`);
  }
  const logger = options.logger;
  const timeoutMs = options.timeoutMs ?? DEFAULT_GITHUB_TIMEOUT_MS;
  const retry = retryPolicy({
    ...options.retry,
    onRetry: (info) => {
      options.retry?.onRetry?.(info);
      logger?.warn(
        redactor.redact(
          `GitHub API ${info.request}: ${info.reason}; retrying in ${Math.ceil(info.waitMs / 1000)}s ` +
            `(attempt ${info.attempt + 1} of ${retry.maxAttempts})`,
        ),
      );
    },
  });
  // `request` is left out on purpose: passing it would replace @actions/github's proxy-aware fetch.
  const octokit = getOctokit(token, {
    baseUrl,
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    ...(logger
      ? {
          log: {
            debug: () => {},
            info: () => {},
            warn: (m: string) => logger.warn(redactor.redact(m)),
            error: (m: string) => logger.error(redactor.redact(m)),
          },
        }
      : {}),
  });
  octokit.hook.wrap('request', (request, endpoint) => {
    const path = String(endpoint.url).replace(baseUrl, '').split('?')[0] ?? '';
    // A fresh deadline per attempt. The options object is changed in place: before-after-hook binds
    // the same object to every inner hook, so a copy passed to request() would be ignored. Octokit
    // reports the abort as a status-500 error without a response, which the policy retries for
    // repeatable methods; a comment create is reconciled in comments.ts instead.
    const attempt = async () => {
      endpoint.request = { ...endpoint.request, signal: AbortSignal.timeout(timeoutMs) };
      return request(endpoint);
    };
    return withRetry(attempt, retry, endpoint.method, `${endpoint.method} ${path}`);
  });
  return { octokit, retry };
}
