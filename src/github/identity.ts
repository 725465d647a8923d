// Who the token is. The sticky comment is perf-gate's only when this identity wrote it: a marker copied
// into anyone else's comment must not make perf-gate edit (or fail on) that comment.
import type { GitHubClient } from './client.ts';

/** The login of the Actions app, which GITHUB_TOKEN writes as. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export interface TokenIdentity {
  login: string;
  /** 'user': GET /user answered (a personal or user-to-server token); 'app': an installation token. */
  kind: 'user' | 'app';
}

/**
 * GET /user names a user token's owner. An installation token (GITHUB_TOKEN, a GitHub App's token) gets
 * 403 "Resource not accessible by integration" there; it writes as the app's bot, `appLogin`
 * (github-actions[bot] for GITHUB_TOKEN, `<app-slug>[bot]` for another app).
 */
export async function tokenIdentity(
  client: GitHubClient,
  appLogin = ACTIONS_BOT_LOGIN,
): Promise<TokenIdentity> {
  try {
    const { data } = await client.octokit.rest.users.getAuthenticated();
    return { login: data.login, kind: 'user' };
  } catch (err) {
    if ((err as { status?: unknown }).status === 403) return { login: appLogin, kind: 'app' };
    throw err;
  }
}
