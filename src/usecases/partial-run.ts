// A run that stops part-way (its target failed) still leaves its result: what was measured before the
// fault, with a `failure` field saying why. Both shells wrap their measurement in this.
import { RunFailure } from '../contracts/errors.ts';
import type { Logger } from '../contracts/ports.ts';
import { atomicWrite } from '../util/atomic-write.ts';
import { encodeRunResult } from '../store/codec/run-result-codec.ts';

/** Runs `work`; on a RunFailure that carries a partial result, writes it to `file` and rethrows (exit 3). */
export async function keepPartialRun<T>(file: string, logger: Logger, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RunFailure && err.partial) {
      await atomicWrite(file, encodeRunResult(err.partial));
      const trials = err.partial.scenarios.reduce((n, s) => n + s.trials.length, 0);
      logger.warn(`the run stopped part-way; the ${trials} trial(s) measured up to the fault are in ${file}`);
    }
    throw err;
  }
}
