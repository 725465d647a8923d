// Distributed trials on Kubernetes through the k6-operator: one TestRun per trial, with `parallelism`
// runner pods that split the load by k6 execution segments. Each runner writes its NDJSON to stdout
// (`--out json=-`); perf-gate follows every runner's `kubectl logs -f` from the moment the pod runs, and
// all streams feed one tally, which makes the merge of the shards exact (every quantity is a sum).
//
// Why logs and not `kubectl cp`: a runner pod has exited when k6 is done, and a file inside an exited
// container cannot be copied. Following from the start also survives kubelet log rotation.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TrialRecorder } from '../../collectors/request-recorder.ts';
import type { K6Distributed, Scenario } from '../../../scenario/model.ts';
import type { RawTrial, TrialInput } from '../types.ts';
import { K6Tally, NdjsonLines } from './ndjson.ts';
import { KUBECTL_TOOL, runTool, spawnTool, TextTail, type ExitStatus, type SpawnedTool } from './process.ts';
import { generateK6Script, k6RequestTable, REQUESTS_ENV, wrapUserScript } from './script.ts';
import { assertK6Exit, k6RawTrial } from './trial.ts';

export const TESTRUN_API_VERSION = 'k6.io/v1alpha1';
/** Entry script in the ConfigMap; a user's own script sits next to it as USER_SCRIPT_FILE. */
export const ENTRY_FILE = 'perf-gate.js';
export const USER_SCRIPT_FILE = 'script.js';
const REQUESTS_KEY = 'requests.json';
/** A ConfigMap holds at most 1 MiB. */
const CONFIGMAP_LIMIT = 1_000_000;
/** Linux refuses an environment string over 128 KiB (MAX_ARG_STRLEN). */
const ENV_LIMIT = 120_000;

export interface K6OperatorNames {
  testRun: string;
  configMap: string;
  secret: string;
}

/** Names valid for Kubernetes (the operator derives `<testRun>-<n>` and `<testRun>-initializer` from them). */
export function k6OperatorNames(scenarioName: string, suffix: string): K6OperatorNames {
  const slug =
    scenarioName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 20)
      .replace(/^-+|-+$/g, '') || 'scenario';
  const base = `perf-gate-${slug}-${suffix}`;
  return { testRun: base, configMap: `${base}-script`, secret: `${base}-requests` };
}

export interface K6OperatorManifestInput {
  names: K6OperatorNames;
  namespace?: string;
  parallelism: number;
  image?: string;
  /** ConfigMap files: ENTRY_FILE, and USER_SCRIPT_FILE for a user's script. */
  files: Record<string, string>;
  /** The generated script's request table (JSON), kept in a Secret: header values may be secrets. */
  requestsJson?: string;
}

type Manifest = Record<string, unknown>;

/** The resources of one distributed trial, in apply order: Secret (generated scripts), ConfigMap, TestRun. */
export function k6OperatorManifests(input: K6OperatorManifestInput): Manifest[] {
  const { names, namespace } = input;
  const metadata = (name: string) => ({
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    labels: { 'app.kubernetes.io/managed-by': 'perf-gate' },
  });
  const items: Manifest[] = [];
  const env: Manifest[] = [{ name: 'K6_NO_USAGE_REPORT', value: 'true' }];
  if (input.requestsJson !== undefined) {
    items.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: metadata(names.secret),
      type: 'Opaque',
      stringData: { [REQUESTS_KEY]: input.requestsJson },
    });
    env.push({ name: REQUESTS_ENV, valueFrom: { secretKeyRef: { name: names.secret, key: REQUESTS_KEY } } });
  }
  items.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(names.configMap), data: input.files });
  items.push({
    apiVersion: TESTRUN_API_VERSION,
    kind: 'TestRun',
    metadata: metadata(names.testRun),
    spec: {
      parallelism: input.parallelism,
      script: { configMap: { name: names.configMap, file: ENTRY_FILE } },
      // NDJSON on stdout, read back with `kubectl logs`; the operator adds --quiet and the segment flags.
      arguments: '--out json=- --no-color',
      runner: { ...(input.image !== undefined ? { image: input.image } : {}), env },
    },
  });
  return items;
}

/** The manifests as one document for `kubectl apply -f -` (JSON is YAML). */
export function manifestList(items: readonly Manifest[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)}\n`;
}

interface RunnerPod {
  name: string;
  phase: string;
  /** The k6 container's exit, once terminated. */
  exit?: { code: number | null; signal: NodeJS.Signals | null; reason?: string };
}

interface Follower {
  logs: SpawnedTool;
  done: Promise<ExitStatus>;
  /** k6's own text around the NDJSON (errors, summary), for messages. */
  text: TextTail;
}

export interface DistributedOptions {
  env?: NodeJS.ProcessEnv;
  pollMs?: number;
}

export async function runDistributedTrial(
  input: TrialInput,
  distributed: K6Distributed,
  options: DistributedOptions = {},
): Promise<RawTrial> {
  const { scenario, durationMs, onProgress } = input;
  const { parallelism, kubectl } = distributed;
  if (scenario.load.connections < parallelism) {
    throw new Error(
      `k6.distributed.parallelism (${parallelism}) is more than the ${scenario.load.connections} connections: ` +
        'every runner needs at least one VU',
    );
  }
  const env = options.env ?? process.env;
  const pollMs = options.pollMs ?? 2000;
  const names = k6OperatorNames(scenario.name, randomBytes(3).toString('hex'));
  const manifests = k6OperatorManifests({
    names,
    ...(distributed.namespace !== undefined ? { namespace: distributed.namespace } : {}),
    parallelism,
    ...(distributed.image !== undefined ? { image: distributed.image } : {}),
    ...(await scriptFiles(scenario, durationMs)),
  });
  const ns = distributed.namespace !== undefined ? ['-n', distributed.namespace] : [];
  const kube = async (args: string[], stdin?: string) => {
    const out = await runTool(kubectl, [...args, ...ns], KUBECTL_TOOL, {
      env,
      ...(stdin !== undefined ? { input: stdin } : {}),
    });
    if (out.code !== 0) {
      throw new Error(
        `'kubectl ${args.join(' ')}' failed (exit ${out.code ?? out.signal}): ${out.stderr.lines(5).join(' | ')}`,
      );
    }
    return out.stdout;
  };

  const tally = new K6Tally(new TrialRecorder(scenario.requests));
  const followers = new Map<string, Follower>();
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const ticker = onProgress
    ? setInterval(
        () => onProgress({ elapsedMs: performance.now() - t0, attempts: tally.recorder.attempts }),
        1000,
      )
    : undefined;
  let applied = false;
  try {
    await kube(['apply', '-f', '-'], manifestList(manifests));
    applied = true;
    const deadline = Date.now() + durationMs + scenario.timeoutMs + distributed.startTimeoutMs;
    let pods: RunnerPod[] = [];
    for (;;) {
      pods = parseRunnerPods(
        await kube(['get', 'pods', '-l', `app=k6,k6_cr=${names.testRun},runner=true`, '-o', 'json']),
      );
      for (const pod of pods) {
        if (followers.has(pod.name) || pod.phase === 'Pending') continue;
        followers.set(pod.name, followLogs(kubectl, pod.name, ns, env, tally));
      }
      const stage = (await kube(['get', 'testrun', names.testRun, '-o', 'jsonpath={.status.stage}'])).trim();
      if (stage === 'error') throw new Error(await operatorError(kube, names.testRun));
      if (pods.length >= parallelism && pods.every((pod) => pod.exit) && followers.size === pods.length)
        break;
      if (Date.now() > deadline) {
        throw new Error(
          `TestRun ${names.testRun} did not finish in time (stage '${stage || 'none'}', ` +
            `${pods.filter((pod) => pod.exit).length}/${parallelism} runners done): ` +
            'check the k6-operator and the runner pods, or raise k6.distributed.startTimeout',
        );
      }
      await sleep(pollMs);
    }
    for (const [pod, follower] of followers) {
      const status = await follower.done;
      if (status.code !== 0) {
        throw new Error(
          `'kubectl logs' of runner ${pod} failed (exit ${status.code ?? status.signal}): ` +
            `${follower.logs.stderr.lines(5).join(' | ')}; the trial's data is incomplete`,
        );
      }
    }
    tally.finish();
    for (const pod of pods) {
      const reason = pod.exit?.reason !== undefined ? ` (${pod.exit.reason})` : '';
      assertK6Exit(
        `k6 runner ${pod.name}${reason}`,
        pod.exit?.code ?? null,
        pod.exit?.signal ?? null,
        followers.get(pod.name)?.text.lines(10) ?? [],
      );
    }
    const image = distributed.image ?? "the operator's default image";
    return k6RawTrial({
      scenario,
      startedAt,
      durationMs,
      tally,
      engineVersion: `k6 (${image}, ${parallelism} runners via k6-operator)`,
    });
  } finally {
    if (ticker) clearInterval(ticker);
    for (const follower of followers.values()) follower.logs.child.kill('SIGKILL');
    await Promise.all([...followers.values()].map((f) => f.done.catch(() => undefined)));
    if (applied) {
      // Best effort: a failed cleanup must not hide the trial's own outcome.
      await kube([
        'delete',
        `testrun/${names.testRun}`,
        `configmap/${names.configMap}`,
        ...(manifests.some((m) => m.kind === 'Secret') ? [`secret/${names.secret}`] : []),
        '--ignore-not-found',
        '--wait=false',
      ]).catch(() => undefined);
    }
  }
}

async function scriptFiles(
  scenario: Scenario,
  durationMs: number,
): Promise<Pick<K6OperatorManifestInput, 'files' | 'requestsJson'>> {
  const userScript = scenario.k6?.script;
  let result: Pick<K6OperatorManifestInput, 'files' | 'requestsJson'>;
  if (userScript === undefined) {
    const requestsJson = JSON.stringify(k6RequestTable(scenario));
    if (requestsJson.length > ENV_LIMIT) {
      throw new Error(
        `the request table of scenario '${scenario.name}' is ${requestsJson.length} bytes: too large for the ` +
          `runners' environment (limit ${ENV_LIMIT}); use smaller bodies, or your own k6 script`,
      );
    }
    result = {
      files: { [ENTRY_FILE]: generateK6Script(scenario, durationMs, { requestTable: 'env' }) },
      requestsJson,
    };
  } else {
    let source: string;
    try {
      source = await readFile(userScript, 'utf8');
    } catch (err) {
      throw new Error(`the k6 script ${userScript} cannot be read (${(err as NodeJS.ErrnoException).code})`);
    }
    result = {
      files: {
        [ENTRY_FILE]: wrapUserScript(scenario, durationMs, `./${USER_SCRIPT_FILE}`),
        [USER_SCRIPT_FILE]: source,
      },
    };
  }
  const size = Object.values(result.files).reduce((n, text) => n + Buffer.byteLength(text), 0);
  if (size > CONFIGMAP_LIMIT) {
    throw new Error(
      `the k6 script${userScript ? ` ${path.basename(userScript)}` : ''} is ${size} bytes: a ConfigMap holds at most 1 MiB`,
    );
  }
  return result;
}

function followLogs(
  kubectl: string,
  pod: string,
  ns: string[],
  env: NodeJS.ProcessEnv,
  tally: K6Tally,
): Follower {
  const text = new TextTail(8192);
  const lines = new NdjsonLines((line) => {
    if (line.charCodeAt(0) !== 0x7b /* { */) text.push(`${line}\n`);
    tally.line(line);
  });
  const logs = spawnTool(kubectl, ['logs', '-f', pod, '-c', 'k6', ...ns], KUBECTL_TOOL, {
    env,
    onStdout: (chunk) => lines.push(chunk),
  });
  const done = logs.done.then((status) => {
    lines.end();
    return status;
  });
  // Handled where awaited; this keeps an early failure from being an unhandled rejection meanwhile.
  done.catch(() => undefined);
  return { logs, done, text };
}

/** Runner pods from `kubectl get pods -o json`. */
export function parseRunnerPods(json: string): RunnerPod[] {
  const list = JSON.parse(json) as {
    items?: Array<{
      metadata?: { name?: string };
      status?: {
        phase?: string;
        containerStatuses?: Array<{
          name?: string;
          state?: { terminated?: { exitCode?: number; signal?: number; reason?: string } };
        }>;
      };
    }>;
  };
  return (list.items ?? []).map((item) => {
    const phase = item.status?.phase ?? 'Unknown';
    const statuses = item.status?.containerStatuses ?? [];
    const k6 = statuses.find((s) => s.name === 'k6') ?? statuses[0];
    const terminated = k6?.state?.terminated;
    let exit: RunnerPod['exit'];
    if (terminated) {
      exit = {
        code: terminated.exitCode ?? null,
        signal: null,
        ...(terminated.reason !== undefined ? { reason: terminated.reason } : {}),
      };
    } else if (phase === 'Failed') {
      // Evicted or never started: no container exit code.
      exit = { code: null, signal: null, reason: 'pod failed' };
    }
    return { name: item.metadata?.name ?? '?', phase, ...(exit ? { exit } : {}) };
  });
}

async function operatorError(kube: (args: string[]) => Promise<string>, testRun: string): Promise<string> {
  const logs = await kube(['logs', `job/${testRun}-initializer`, '--tail=20']).catch(() => '');
  const last = logs
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-5);
  return (
    `the k6-operator put TestRun ${testRun} in stage 'error' (often the script failed k6 inspect in the initializer)` +
    (last.length > 0 ? `; initializer output:\n    ${last.join('\n    ')}` : '')
  );
}
