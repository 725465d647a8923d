// Before loading a target, check it answers HTTP at all, so an unreachable target fails fast with the
// URL and the OS error instead of a trial full of connection errors (or a hang).
import http from 'node:http';
import https from 'node:https';
import { RunFailure } from '../contracts/errors.ts';
import { redactUrl, type Redactor } from '../util/redact.ts';

export interface ReachabilityResult {
  status: number;
  ms: number;
}

export async function checkReachable(
  target: string,
  timeoutMs: number,
  redactor?: Redactor,
): Promise<ReachabilityResult> {
  const shown = redactUrl(target, redactor);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new RunFailure(`invalid target URL: ${shown}`);
  }
  const transport = url.protocol === 'https:' ? https : http;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      { method: 'GET', agent: false, timeout: timeoutMs, rejectUnauthorized: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      },
    );
    req.on('timeout', () => {
      req.destroy();
      reject(new RunFailure(`target ${shown} did not answer within ${timeoutMs} ms`));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const detail = err.code ? `${err.code}: ${err.message}` : err.message;
      reject(new RunFailure(`cannot reach target ${shown}: ${redactor ? redactor.redact(detail) : detail}`));
    });
    req.end();
  });
}
