// The environment a child process perf-gate starts (the service under test, k6, kubectl) runs with:
// the caller's, minus every credential perf-gate holds for GitHub. The token goes only to the GitHub
// client and git; a service that needs a variable of that name sets it in `service.env`.

/** Variables that carry GitHub or runner credentials, whatever their value. */
const CREDENTIAL_NAMES = new Set([
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'GH_ENTERPRISE_TOKEN',
  'GITHUB_ENTERPRISE_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
]);

export interface ChildEnvOptions {
  /** Values that must not reach the child under any name (e.g. the token given as an input). */
  secrets?: Iterable<string>;
}

/**
 * A copy of `env` without Action inputs (`INPUT_*`, which hold the github-token input), without GitHub
 * and runner credentials, and without any variable whose value is one of `secrets`.
 */
export function childEnv(
  env: Record<string, string | undefined>,
  options: ChildEnvOptions = {},
): Record<string, string> {
  const secrets = new Set([...(options.secrets ?? [])].filter((s) => s !== ''));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const upper = name.toUpperCase();
    if (upper.startsWith('INPUT_') || CREDENTIAL_NAMES.has(upper) || secrets.has(value)) continue;
    out[name] = value;
  }
  return out;
}
