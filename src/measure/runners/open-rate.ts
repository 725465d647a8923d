// Open-model (`rate`) trials: requests are scheduled at a constant arrival rate, independent of how
// fast the target answers. Why not autocannon's rate options: they send each second's budget in a
// burst at the start of the second, keep the closed loop (a stalled server makes it send less), and
// their coordinated-omission correction is miscalibrated (shared/reference/measurement.md 1.5).
//
// Coordinated omission: a request that is due while all `connections` are busy waits in a queue, and
// its latency is measured from its scheduled send time, as wrk2 does, so a server stall shows in the
// latencies of every request that was due during it. A request sent on time is measured from its
// actual send, so the generator's own timer slack is not charged to the server (it is reported as
// generator health instead). Requests still queued when the window ends (the target held every
// connection) are counted as not sent and carry their latency from schedule to the window's end; an
// achieved rate under the limit marks the trial "load not held" only when the generator, not the
// target, fell behind (docs/measurement.md).
import http from 'node:http';
import https from 'node:https';
import { TrialRecorder, type RequestSink } from '../collectors/request-recorder.ts';
import { createLatencyHistogram, recordLatencyMs } from '../collectors/latency-histogram.ts';
import { weightedCycle } from './request-mix.ts';
import { requestUrl, type RawTrial, type TrialEngine, type TrialInput } from './types.ts';

interface PreparedRequest {
  sink: RequestSink;
  options: http.RequestOptions;
  body?: Buffer;
}

export const openRateEngine: TrialEngine = {
  name: 'open-rate',
  runTrial: runOpenRateTrial,
};

export async function runOpenRateTrial({
  scenario,
  durationMs,
  onProgress,
  signal,
}: TrialInput): Promise<RawTrial> {
  if (scenario.load.model !== 'rate') throw new Error('runOpenRateTrial needs a rate load model');
  const { ratePerSec, connections } = scenario.load;
  const recorder = new TrialRecorder(scenario.requests);
  const cycle = weightedCycle(scenario.requests.map((r) => r.weight));
  const secure = new URL(scenario.target).protocol === 'https:';
  const transport = secure ? https : http;
  const agent = new transport.Agent({
    keepAlive: true,
    maxSockets: connections,
    maxFreeSockets: connections,
  });

  const prepared: PreparedRequest[] = scenario.requests.map((spec, i) => {
    const url = requestUrl(scenario.target, spec.path);
    const body = spec.body !== undefined ? Buffer.from(spec.body) : undefined;
    const headers: Record<string, string | number> = { ...spec.headers };
    if (body) headers['content-length'] = body.length;
    return {
      sink: recorder.sinks[i]!,
      body,
      options: {
        agent,
        method: spec.method,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || (secure ? 443 : 80),
        path: url.pathname + url.search,
        headers,
        ...(secure ? { rejectUnauthorized: false } : {}),
      },
    };
  });

  const intervalMs = 1000 / ratePerSec;
  const due = Math.floor((durationMs / 1000) * ratePerSec);
  const sendLag = createLatencyHistogram();
  const queue: Array<{ request: PreparedRequest; scheduledAt: number }> = [];
  let inFlight = 0;
  let sent = 0;
  let scheduled = 0;
  let windowOver = false;
  let aborted = false;
  let tickTimer: NodeJS.Timeout | undefined;
  const startedAt = new Date().toISOString();
  const t0 = performance.now();

  return new Promise<RawTrial>((resolve) => {
    const progress = onProgress
      ? setInterval(
          () => onProgress({ elapsedMs: performance.now() - t0, attempts: recorder.attempts, recorder }),
          250,
        )
      : undefined;

    const finish = () => {
      if (progress) clearInterval(progress);
      signal?.removeEventListener('abort', abort);
      agent.destroy();
      const windowMs = performance.now() - t0;
      // An aborted trial's window is what it ran, and its rate is over that window.
      const measuredMs = aborted ? windowMs : Math.max(windowMs, durationMs);
      const rateWindowMs = aborted ? windowMs : durationMs;
      // Requests still waiting for a connection when the window ended were due and never sent because
      // the target held every connection: they carry their coordinated-omission latency (at least the
      // time from their schedule to the window's end), so a target that cannot absorb the rate shows
      // in the latencies instead of vanishing from them.
      const backlog = queue.length;
      if (!aborted) {
        const end = t0 + durationMs;
        for (const q of queue) q.request.sink.recordNotSent(Math.max(0, end - q.scheduledAt));
      }
      resolve({
        startedAt,
        durationMs: measuredMs,
        recorder,
        generator: {
          intendedRate: ratePerSec,
          achievedRate: Math.round((sent / (rateWindowMs / 1000)) * 100) / 100,
          notSent: aborted ? backlog : backlog + (due - scheduled),
          backlog,
          sendLagP99Ms: sendLag.totalCount > 0 ? sendLag.getValueAtPercentile(99) / 1000 : 0,
        },
      });
    };

    const maybeFinish = () => {
      if (windowOver && inFlight === 0 && !aborted) finish();
    };

    // A failing target: stop sending, drop what is in flight (not counted), keep what was measured.
    function abort() {
      if (aborted || (windowOver && inFlight === 0)) return;
      aborted = true;
      windowOver = true;
      if (tickTimer) clearTimeout(tickTimer);
      finish();
    }
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });

    const send = (request: PreparedRequest, scheduledAt: number, waited: boolean) => {
      inFlight++;
      sent++;
      const sentAt = performance.now();
      recordLatencyMs(sendLag, sentAt - scheduledAt);
      const start = waited ? scheduledAt : sentAt;
      let settled = false;
      const settle = () => {
        if (settled || aborted) return false;
        settled = true;
        inFlight--;
        const next = queue.shift();
        if (next && !windowOver) send(next.request, next.scheduledAt, true);
        maybeFinish();
        return true;
      };
      const req = transport.request(request.options, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => {
          const ms = performance.now() - start;
          if (settle()) {
            request.sink.recordResponse(res.statusCode ?? 0, ms, bytes);
            recorder.serverTiming.add(request.sink.spec.name, ms, res.headers['server-timing']);
          }
        });
        res.on('error', (err: NodeJS.ErrnoException) => {
          if (settle()) request.sink.recordConnectionError(err.code);
        });
      });
      req.setTimeout(scenario.timeoutMs, () => {
        if (settle()) request.sink.recordTimeout();
        req.destroy();
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (settle()) request.sink.recordConnectionError(err.code);
      });
      req.end(request.body);
    };

    const tick = () => {
      if (aborted) return;
      const now = performance.now();
      // Everything due by now goes out (or into the queue) with its own scheduled time.
      while (scheduled < due && t0 + scheduled * intervalMs <= now) {
        const scheduledAt = t0 + scheduled * intervalMs;
        const request = prepared[cycle[scheduled % cycle.length]!]!;
        scheduled++;
        if (inFlight < connections) send(request, scheduledAt, false);
        else queue.push({ request, scheduledAt });
      }
      if (now - t0 >= durationMs) {
        windowOver = true;
        maybeFinish();
        return;
      }
      // Sleep until the next send is due (or, when all are scheduled, until the window ends so queued
      // requests can still go out). Timer slack only delays the send; it is not charged to the server
      // because an on-time request is measured from its actual send.
      const nextAt = scheduled < due ? t0 + scheduled * intervalMs : t0 + durationMs;
      tickTimer = setTimeout(tick, Math.max(0, nextAt - performance.now()));
    };
    if (!aborted) tick();
  });
}
