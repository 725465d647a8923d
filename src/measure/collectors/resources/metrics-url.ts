// Scrapes a Prometheus /metrics URL for the process metrics every client library exports under the same
// names (prometheus/docs writing_clientlibs.md, "Process metrics"): process_cpu_seconds_total and
// process_resident_memory_bytes, plus process_start_time_seconds to notice a restart. Works for remote
// targets (preview deployments) where /proc and cgroups are out of reach.
import http from 'node:http';
import https from 'node:https';
import { parsePrometheusText, samplesNamed, type PromFamily } from './prometheus-text.ts';

export interface MetricsScrape {
  /** Sum over all series (a cluster aggregator may label one per worker). */
  cpuSeconds?: number;
  residentBytes?: number;
  startTimeSeconds?: number;
  /** prom-client's event-loop lag p99 since the previous scrape (Node only), in ms. */
  eventLoopLagP99Ms?: number;
  /** Local monotonic time (performance.now()) halfway through the request: when the values were taken. */
  atMs: number;
}

export class ScrapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScrapeError';
  }
}

/** Removes credentials and the query string, which may carry tokens, from a URL for display. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

function sum(families: PromFamily[], name: string): number | undefined {
  const values = samplesNamed(families, name)
    .map((s) => s.value)
    .filter(Number.isFinite);
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) : undefined;
}

/** Extracts the process metrics from a parsed page. */
export function processMetrics(families: PromFamily[]): Omit<MetricsScrape, 'atMs'> {
  const out: Omit<MetricsScrape, 'atMs'> = {};
  const cpu = sum(families, 'process_cpu_seconds_total');
  const rss = sum(families, 'process_resident_memory_bytes');
  const start = samplesNamed(families, 'process_start_time_seconds')[0]?.value;
  const lag = samplesNamed(families, 'nodejs_eventloop_lag_p99_seconds')[0]?.value;
  if (cpu !== undefined) out.cpuSeconds = cpu;
  if (rss !== undefined) out.residentBytes = rss;
  if (start !== undefined && Number.isFinite(start)) out.startTimeSeconds = start;
  if (lag !== undefined && Number.isFinite(lag)) out.eventLoopLagP99Ms = lag * 1000;
  return out;
}

export interface ScrapeOptions {
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Reuse one keep-alive agent across a probe's scrapes (createScrapeAgents). */
  agents?: ScrapeAgents;
}

export interface ScrapeAgents {
  http: http.Agent;
  https: https.Agent;
  destroy(): void;
}

/** Keep-alive agents with one socket: scrapes never overlap, and a reused connection is cheapest. */
export function createScrapeAgents(): ScrapeAgents {
  const a = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const b = new https.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    http: a,
    https: b,
    destroy() {
      a.destroy();
      b.destroy();
    },
  };
}

/** Pages larger than this are refused rather than buffered: /metrics pages are kilobytes. */
const MAX_PAGE_BYTES = 16 * 1024 * 1024;

/** Internal: the request timed out (turned into a ScrapeError with the URL). */
class ScrapeTimeout extends Error {}

/**
 * Moves `user:pass@` out of the URL into a Basic Authorization header, as Prometheus' basic_auth does,
 * so the credentials never appear in the request line or in messages.
 */
export function splitCredentials(url: string): { url: URL; headers: Record<string, string> } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ScrapeError(`invalid metrics URL '${displayUrl(url)}'`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ScrapeError(`metrics URL must be http or https, got ${u.protocol}`);
  }
  if (!u.username && !u.password) return { url: u, headers: {} };
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u, headers: { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` } };
}

// node:http rather than fetch(): about 0.36 ms of CPU per scrape against 0.85 ms (measured on Node 20),
// and the probe runs inside the load generator.
function get(
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
  agents: ScrapeAgents | undefined,
): Promise<{ status: number; body: string; headersAt: number }> {
  return new Promise((resolve, reject) => {
    const isHttps = url.protocol === 'https:';
    const mod = isHttps ? https : http;
    const req = mod.get(
      url,
      { headers, agent: agents ? (isHttps ? agents.https : agents.http) : undefined },
      (res) => {
        const headersAt = performance.now();
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_PAGE_BYTES) {
            req.destroy(new ScrapeError(`page larger than ${MAX_PAGE_BYTES} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headersAt });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new ScrapeTimeout()), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** One scrape. @throws ScrapeError on timeout, a non-2xx status or a page that does not parse. */
export async function scrapeMetrics(url: string, options: ScrapeOptions = {}): Promise<MetricsScrape> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const target = splitCredentials(url);
  const shown = displayUrl(url);
  const t0 = performance.now();
  let res: { status: number; body: string; headersAt: number };
  try {
    res = await get(
      target.url,
      { accept: 'text/plain;version=0.0.4', ...target.headers, ...options.headers },
      timeoutMs,
      options.agents,
    );
  } catch (err) {
    if (err instanceof ScrapeError) throw new ScrapeError(`${shown}: ${err.message}`);
    if (err instanceof ScrapeTimeout) throw new ScrapeError(`no answer from ${shown} within ${timeoutMs} ms`);
    const e = err as NodeJS.ErrnoException;
    throw new ScrapeError(`cannot fetch ${shown}: ${e.code ?? e.message}`);
  }
  if (res.status < 200 || res.status > 299) throw new ScrapeError(`HTTP ${res.status} from ${shown}`);
  let families: PromFamily[];
  try {
    families = parsePrometheusText(res.body);
  } catch (err) {
    throw new ScrapeError(`${shown} is not Prometheus text: ${(err as Error).message}`);
  }
  return { ...processMetrics(families), atMs: (t0 + res.headersAt) / 2 };
}
