// k6 and kubectl are spawned through one function (spawnTool): whatever environment the caller passes,
// the tool never sees the GitHub token or the Action's inputs.
import { describe, expect, it } from 'vitest';
import { runTool } from '../../../../src/measure/runners/k6/process.ts';

describe('spawnTool environment', () => {
  it('drops INPUT_* and GitHub credentials, keeps the rest', async () => {
    const out = await runTool(
      process.execPath,
      ['-e', 'process.stdout.write(JSON.stringify(process.env))'],
      { what: 'node', installHint: '' },
      {
        env: {
          PATH: process.env.PATH,
          'INPUT_GITHUB-TOKEN': 'ghs_secret_input',
          GITHUB_TOKEN: 'ghs_secret_env',
          K6_CLOUD_TOKEN: 'kept',
        },
      },
    );
    const env = JSON.parse(out.stdout) as Record<string, string>;
    expect(env['INPUT_GITHUB-TOKEN']).toBeUndefined();
    expect(env.GITHUB_TOKEN).toBeUndefined();
    expect(env.K6_CLOUD_TOKEN).toBe('kept');
  });
});
