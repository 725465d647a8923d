import { describe, expect, it } from 'vitest';
import { childEnv } from '../../src/util/child-env.ts';

describe('childEnv', () => {
  it('drops Action inputs, GitHub and runner credentials, and any variable holding a given secret', () => {
    const env = childEnv(
      {
        PATH: '/bin',
        HOME: '/home/x',
        'INPUT_GITHUB-TOKEN': 'ghs_abc',
        INPUT_CONFIG: 'perf-gate.yml',
        GITHUB_TOKEN: 'ghs_abc',
        GH_TOKEN: 'ghp_x',
        ACTIONS_RUNTIME_TOKEN: 'rt',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
        MY_COPY: 'ghs_abc',
        API_TOKEN: 'for-the-service',
        GITHUB_REPOSITORY: 'owner/repo',
        UNSET: undefined,
      },
      { secrets: ['ghs_abc'] },
    );
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/home/x',
      API_TOKEN: 'for-the-service',
      GITHUB_REPOSITORY: 'owner/repo',
    });
  });

  it('matches names case-insensitively (Windows environments, input_ spelled in lower case)', () => {
    expect(childEnv({ input_github_token: 'x', Github_Token: 'y', Path: 'p' })).toEqual({ Path: 'p' });
  });
});
