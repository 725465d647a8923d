// The Action's inputs as @actions/core passes them (INPUT_<NAME> in the environment): `report-artifact`,
// the artifact name the workflow uploads the HTML report under.
import { describe, expect, it } from 'vitest';
import { parseInputs } from '../../action/inputs.ts';
import { UsageError } from '../../src/contracts/errors.ts';

describe('Action inputs: report-artifact', () => {
  it('is absent by default and read when set', () => {
    expect(parseInputs({}).reportArtifact).toBeUndefined();
    expect(parseInputs({ 'INPUT_REPORT-ARTIFACT': ' perf-gate-report ' }).reportArtifact).toBe(
      'perf-gate-report',
    );
  });

  it('refuses a name actions/upload-artifact cannot upload, naming the input', () => {
    for (const name of ['a/b', 'a:b', 'a*b', 'a"b']) {
      expect(() => parseInputs({ 'INPUT_REPORT-ARTIFACT': name })).toThrow(UsageError);
      expect(() => parseInputs({ 'INPUT_REPORT-ARTIFACT': name })).toThrow(/input 'report-artifact'/);
    }
  });
});

describe('Action inputs: seed (paired mode, as the CLI --seed)', () => {
  it('is absent by default, read as a number when set, and refused when not a whole number', () => {
    expect(parseInputs({}).seed).toBeUndefined();
    expect(parseInputs({ INPUT_SEED: '42' }).seed).toBe(42);
    expect(() => parseInputs({ INPUT_SEED: '-1' })).toThrow(/input 'seed' must be a whole number/);
  });
});
