// The k6 engine: one `k6 run` per trial (warm-up included), its NDJSON followed while it runs and
// parsed into the trial's sinks. Distributed scenarios go to the k6-operator instead (distributed.ts).
import { access, mkdtemp, open, rm, writeFile, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { TrialRecorder } from '../../collectors/request-recorder.ts';
import type { Scenario } from '../../../scenario/model.ts';
import type { RawTrial, TrialEngine, TrialInput } from '../types.ts';
import { runDistributedTrial } from './distributed.ts';
import { K6Tally, type NdjsonLines } from './ndjson.ts';
import { k6Version, K6_TOOL, spawnTool } from './process.ts';
import { generateK6Script, wrapUserScript } from './script.ts';
import { assertK6Exit, k6RawTrial } from './trial.ts';

export interface K6EngineOptions {
  /** Environment of k6 and kubectl. Default: this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Parent of the per-trial temp directory. Default: the OS temp directory. */
  tmpDir?: string;
  /** How often the growing output file, or the cluster, is polled. */
  pollMs?: number;
}

export function createK6Engine(scenario: Scenario, options: K6EngineOptions = {}): TrialEngine {
  const distributed = scenario.k6?.distributed;
  return {
    name: 'k6',
    runTrial: (input) =>
      distributed ? runDistributedTrial(input, distributed, options) : runLocalK6Trial(input, options),
  };
}

/** The environment k6 runs with: the caller's, without k6's usage report. */
export function k6Env(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, K6_NO_USAGE_REPORT: 'true' };
}

export async function runLocalK6Trial(input: TrialInput, options: K6EngineOptions = {}): Promise<RawTrial> {
  const { scenario, durationMs, onProgress, signal } = input;
  const binary = scenario.k6?.binary ?? 'k6';
  const userScript = scenario.k6?.script;
  const env = k6Env(options.env);
  const engineVersion = await k6Version(binary, env);
  if (userScript !== undefined) await assertReadable(userScript);

  const dir = await mkdtemp(path.join(options.tmpDir ?? os.tmpdir(), 'perf-gate-k6-'));
  try {
    const entry = path.join(dir, 'perf-gate.js');
    const out = path.join(dir, 'out.ndjson');
    const script =
      userScript === undefined
        ? generateK6Script(scenario, durationMs)
        : wrapUserScript(scenario, durationMs, pathToFileURL(userScript).href);
    // The generated script holds header values, which may be secrets: readable by us only.
    await writeFile(entry, script, { mode: 0o600 });

    const tally = new K6Tally(new TrialRecorder(scenario.requests));
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const k6 = spawnTool(binary, ['run', '--quiet', '--no-color', '--out', `json=${out}`, entry], K6_TOOL, {
      env,
    });
    const ticker = onProgress
      ? setInterval(
          () =>
            onProgress({
              elapsedMs: performance.now() - t0,
              attempts: tally.recorder.attempts,
              recorder: tally.recorder,
            }),
          250,
        )
      : undefined;
    // A failing target: k6 ends its test on SIGINT and still flushes what it measured.
    let aborted = false;
    const abort = () => {
      aborted = true;
      k6.child.kill('SIGINT');
    };
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
    let status: Awaited<typeof k6.done>;
    try {
      [status] = await Promise.all([
        k6.done,
        followFile(out, k6.done, tally.stream(), options.pollMs ?? 100),
      ]);
    } catch (err) {
      // Our side failed (e.g. an unusable output): stop k6 rather than let it load the target unseen.
      k6.child.kill('SIGKILL');
      await k6.done.catch(() => undefined);
      throw err;
    } finally {
      if (ticker) clearInterval(ticker);
      signal?.removeEventListener('abort', abort);
    }
    tally.finish();
    const lastLines = [...k6.stderr.lines(10), ...k6.stdout.lines(2)];
    if (!aborted) assertK6Exit(`k6 (${binary})`, status.code, status.signal, lastLines);
    const ranMs = aborted ? Math.min(durationMs, performance.now() - t0) : durationMs;
    return k6RawTrial({ scenario, startedAt, durationMs: ranMs, tally, engineVersion });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function assertReadable(file: string): Promise<void> {
  try {
    await access(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new Error(`the k6 script ${file} cannot be read (${code})`);
  }
}

/**
 * Reads a file that another process is still writing, until that process has ended and every byte is
 * read. Parsing keeps pace with k6 instead of starting after it, and memory stays one buffer.
 */
export async function followFile(
  file: string,
  writerDone: Promise<unknown>,
  lines: NdjsonLines,
  pollMs: number,
): Promise<void> {
  let ended = false;
  const endedSignal = writerDone.then(
    () => (ended = true),
    () => (ended = true),
  );
  const wait = () => Promise.race([sleep(pollMs, undefined, { ref: false }), endedSignal]);
  const buffer = Buffer.allocUnsafe(256 * 1024);
  let handle: FileHandle | undefined;
  let position = 0;
  try {
    for (;;) {
      // Sampled before reading: once the writer has ended, one empty read means the file is complete.
      const endedBefore = ended;
      if (!handle) {
        try {
          handle = await open(file, 'r');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          if (endedBefore) break;
          await wait();
          continue;
        }
      }
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead > 0) {
        position += bytesRead;
        lines.push(buffer.subarray(0, bytesRead));
        continue;
      }
      if (endedBefore) break;
      await wait();
    }
    lines.end();
  } finally {
    await handle?.close();
  }
}
