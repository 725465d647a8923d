// The ConfigError a parse or load raises, for tests that check what it names (file, field, expected).
import { ConfigError, type ConfigIssue } from '../../src/config/parse/errors.ts';

/** The issues of the ConfigError `run` throws; any other outcome fails the test. */
export function issuesOf(run: () => unknown): ConfigIssue[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** The ConfigError `promise` rejects with; any other outcome fails the test. */
export async function rejectionOf(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
