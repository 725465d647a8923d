// CPU profiles from a live Node process over its inspector (Chrome DevTools Protocol): Profiler.start
// when a trial begins, Profiler.stop when it ends. Nothing depends on how (or whether) the process exits,
// which is what `--cpu-prof` needs and most services, dying on SIGTERM, never do.
import http from 'node:http';
import { connectWebSocket, type WebSocketConnection } from './websocket.ts';

/** The `ws://` URL of an inspector given as `ws://…` or as its HTTP address (`http://127.0.0.1:9229`). */
export async function inspectorWebSocketUrl(url: string, timeoutMs = 5000): Promise<string> {
  if (url.startsWith('ws://')) return url;
  const list = new URL('/json/list', url);
  const body = await new Promise<string>((resolve, reject) => {
    const req = http.get(list, { timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(text) : reject(new Error(`${list} answered HTTP ${res.statusCode}`)),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`${list} did not answer in ${timeoutMs} ms`)));
    req.on('error', reject);
  });
  let targets: unknown;
  try {
    targets = JSON.parse(body);
  } catch {
    throw new Error(`${list} did not answer JSON: is this a Node inspector (node --inspect)?`);
  }
  const ws = Array.isArray(targets)
    ? (targets as { webSocketDebuggerUrl?: unknown }[]).find(
        (t) => typeof t.webSocketDebuggerUrl === 'string',
      )
    : undefined;
  if (!ws) throw new Error(`${list} lists no inspector target`);
  return ws.webSocketDebuggerUrl as string;
}

/** A Chrome DevTools Protocol session: requests answered by id, events ignored. */
export class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private closedWhy: string | undefined;

  private constructor(private readonly ws: WebSocketConnection) {
    ws.onMessage((text) => {
      let msg: { id?: number; result?: unknown; error?: { message?: string } };
      try {
        msg = JSON.parse(text) as typeof msg;
      } catch {
        return;
      }
      if (msg.id === undefined) return;
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.error) waiter.reject(new Error(msg.error.message ?? 'inspector error'));
      else waiter.resolve(msg.result);
    });
    ws.onClose((why) => {
      this.closedWhy = why;
      for (const w of this.pending.values()) w.reject(new Error(`inspector connection lost: ${why}`));
      this.pending.clear();
    });
  }

  static async connect(url: string, timeoutMs = 5000): Promise<InspectorSession> {
    const ws = await connectWebSocket(await inspectorWebSocketUrl(url, timeoutMs), timeoutMs);
    return new InspectorSession(ws);
  }

  post<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.closedWhy !== undefined)
      return Promise.reject(new Error(`inspector connection lost: ${this.closedWhy}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

export interface RunningInspectorProfile {
  /** Stops the profiler and returns the `Profiler.Profile` as `.cpuprofile` JSON text. */
  stop(): Promise<string>;
}

/**
 * Connects to the inspector and starts the sampling profiler (interval in µs). The session stays open
 * for the trial: closing it would stop the profiler.
 */
export async function startInspectorProfile(
  url: string,
  samplingIntervalUs: number,
): Promise<RunningInspectorProfile> {
  const session = await InspectorSession.connect(url);
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
    await session.post('Profiler.start');
  } catch (err) {
    session.close();
    throw err;
  }
  return {
    async stop() {
      try {
        const { profile } = await session.post<{ profile: unknown }>('Profiler.stop');
        return JSON.stringify(profile);
      } finally {
        await session.post('Profiler.disable').catch(() => {});
        session.close();
      }
    },
  };
}
