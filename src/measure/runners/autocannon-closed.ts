// Closed-model trials on autocannon, in-process. autocannon drives the connections; we record every
// response ourselves, in microseconds, into the sink of the request definition that answered.
//
// Exact attribution (pinned by test/runners/autocannon-closed.server.test.ts against autocannon 9.0.0):
// - for a response, autocannon calls the answering definition's `onResponse` and then, synchronously on
//   the same client, emits `response` with the float-ms duration (shared/reference/autocannon-notes.md);
// - for a timeout or a broken connection, the in-flight request is read from the client's pipelined
//   queue before autocannon clears it, so errors land on the right name too;
// - autocannon does not drop the queue when a connection ends or errors and it reconnects, which would
//   shift every later response onto the previous request's name; we clear stale entries on reconnect.
import autocannon from 'autocannon';
import { TrialRecorder } from '../collectors/request-recorder.ts';
import { weightedCycle } from './request-mix.ts';
import { requestUrl, type RawTrial, type TrialEngine, type TrialInput } from './types.ts';

const SINK = Symbol.for('perf-gate.sink');

interface QueuedRequest {
  req: Record<string | symbol, unknown>;
}

/** The parts of autocannon's (private) Client we rely on; checked at runtime, pinned by tests. */
interface AutocannonClient {
  on(event: 'response', fn: (status: number, bytes: number, ms: number) => void): void;
  on(event: 'timeout', fn: () => void): void;
  on(event: 'connError', fn: (error?: NodeJS.ErrnoException) => void): void;
  pipelinedRequests: { peek(): QueuedRequest | undefined; clear(): void };
  _connect: () => void;
  _destroyConnection: () => void;
}

function assertClientShape(client: Partial<AutocannonClient>): asserts client is AutocannonClient {
  if (
    typeof client._connect !== 'function' ||
    typeof client._destroyConnection !== 'function' ||
    typeof client.pipelinedRequests?.peek !== 'function'
  ) {
    throw new Error('unsupported autocannon version: perf-gate needs autocannon 9.0.x internals');
  }
}

export const autocannonClosedEngine: TrialEngine = {
  name: 'autocannon',
  runTrial: runClosedTrial,
};

const STOP_TICK_MS = 50;

/**
 * autocannon's duration, request timeout and sample interval for a trial. autocannon checks whether to stop
 * (at the end of its duration, or on stop()) only at a sample tick, 1 s apart by default: a 300 ms trial ran
 * 1 s and a 1.5 s trial 2 s, and an aborted trial ran on for up to a second. A 50 ms tick ends a trial
 * within 50 ms of its duration; we aggregate nothing from autocannon's samples, so the tick costs nothing.
 */
export function autocannonTiming(
  durationMs: number,
  timeoutMs: number,
): { duration: number; timeout: number; sampleInt: number } {
  return {
    duration: durationMs / 1000,
    // autocannon's request timeout has a 1 s floor (its validation rejects less).
    timeout: Math.max(timeoutMs / 1000, 1),
    sampleInt: Math.max(1, Math.min(STOP_TICK_MS, durationMs)),
  };
}

export async function runClosedTrial({
  scenario,
  durationMs,
  onProgress,
  signal,
}: TrialInput): Promise<RawTrial> {
  if (scenario.load.model !== 'closed') throw new Error('runClosedTrial needs a closed load model');
  const recorder = new TrialRecorder(scenario.requests);
  const sinks = recorder.sinks;
  const cycle = weightedCycle(scenario.requests.map((r) => r.weight));

  // The sink index of the definition whose onResponse ran last, and its Server-Timing header; read
  // synchronously by `response`.
  let answered = -1;
  let answeredTiming: string | string[] | undefined;
  const requests = cycle.map((sinkIndex) => {
    const spec = scenario.requests[sinkIndex]!;
    const url = requestUrl(scenario.target, spec.path);
    return {
      method: spec.method,
      path: url.pathname + url.search,
      headers: spec.headers,
      ...(spec.body !== undefined ? { body: spec.body } : {}),
      [SINK]: sinkIndex,
      onResponse: (
        _status: number,
        _body: string,
        _context: unknown,
        headers: Record<string, string | string[]>,
      ) => {
        answered = sinkIndex;
        answeredTiming = headers['server-timing'] ?? headers['Server-Timing'];
      },
    };
  });

  const sinkOf = (entry: QueuedRequest | undefined) => {
    const index = entry?.req[SINK];
    return typeof index === 'number' ? sinks[index] : undefined;
  };

  const setupClient = (raw: unknown) => {
    const client = raw as Partial<AutocannonClient>;
    assertClientShape(client);
    let lostToTimeout: number | undefined;
    const connect = client._connect;
    client._connect = function (this: AutocannonClient) {
      // Entries left from a dead connection would pair the next response with the wrong request.
      this.pipelinedRequests.clear();
      connect.call(this);
    };
    const destroyConnection = client._destroyConnection;
    client._destroyConnection = function (this: AutocannonClient) {
      const index = this.pipelinedRequests.peek()?.req[SINK];
      lostToTimeout = typeof index === 'number' ? index : undefined;
      destroyConnection.call(this);
    };
    client.on('response', (status, bytes, ms) => {
      const sink = sinks[answered];
      if (sink && !Number.isInteger(status)) {
        // A connection reset mid-response can surface as a "response" without a status line.
        sink.recordConnectionError('EINCOMPLETE');
      } else if (sink) {
        sink.recordResponse(status, ms, bytes);
        recorder.serverTiming.add(sink.spec.name, ms, answeredTiming);
      }
      answered = -1;
      answeredTiming = undefined;
    });
    client.on('timeout', () => {
      if (lostToTimeout !== undefined) sinks[lostToTimeout]!.recordTimeout();
      lostToTimeout = undefined;
    });
    client.on('connError', (error) => {
      sinkOf(client.pipelinedRequests.peek())?.recordConnectionError(error?.code);
    });
  };

  const origin = new URL(scenario.target).origin;
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const instance = autocannon({
    url: origin,
    connections: scenario.load.connections,
    pipelining: 1,
    ...autocannonTiming(durationMs, scenario.timeoutMs),
    requests: requests as unknown as autocannon.Request[],
    setupClient: setupClient as unknown as autocannon.Options['setupClient'],
    // Our own histograms are the measurement; skip autocannon's aggregation work.
    skipAggregateResult: true,
  } as autocannon.Options);

  const ticker = onProgress
    ? setInterval(
        () => onProgress({ elapsedMs: performance.now() - t0, attempts: recorder.attempts, recorder }),
        250,
      )
    : undefined;
  // autocannon honours stop() at its next sample tick (autocannonTiming).
  const stop = () => (instance as unknown as { stop(): void }).stop();
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    // The instance is thenable: it resolves when the run is done and rejects on invalid options.
    await (instance as unknown as Promise<unknown>);
  } finally {
    if (ticker) clearInterval(ticker);
    signal?.removeEventListener('abort', stop);
  }
  return { startedAt, durationMs: performance.now() - t0, recorder };
}
