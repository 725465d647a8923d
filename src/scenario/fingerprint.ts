// A scenario fingerprint covers everything that changes what is measured: the engine, the load model,
// the timeout and every request's definition. Results with different fingerprints are never compared.
// The target URL is left out on purpose: baseline and candidate are often different deployments.
// Header values that came from the environment are secrets and enter the hash masked.
import { createHash } from 'node:crypto';
import type { RequestSpec, Scenario } from './model.ts';
import type { Redactor } from '../util/redact.ts';

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

function canonicalRequest(r: RequestSpec, redactor?: Redactor) {
  const headers = Object.entries(r.headers)
    .map(([k, v]) => [k.toLowerCase(), redactor ? redactor.redact(v) : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    method: r.method,
    path: redactor ? redactor.redact(r.path) : r.path,
    headers,
    body: r.body === undefined ? null : hash(redactor ? redactor.redact(r.body) : r.body),
    expect: [...r.expectStatus].sort((a, b) => a - b),
  };
}

export function requestFingerprint(r: RequestSpec, redactor?: Redactor): string {
  return hash(canonicalRequest(r, redactor));
}

export function scenarioFingerprint(s: Scenario, redactor?: Redactor): string {
  return hash({
    engine: s.runner,
    load: s.load,
    timeoutMs: s.timeoutMs,
    // A user's own k6 script defines the requests; where the load comes from (one runner or N pods) too.
    ...(s.k6
      ? {
          k6: {
            script: s.k6.script ? (s.k6.scriptSha256 ?? 'unhashed') : null,
            parallelism: s.k6.distributed?.parallelism ?? 1,
          },
        }
      : {}),
    requests: s.requests.map((r) => ({ name: r.name, weight: r.weight, ...canonicalRequest(r, redactor) })),
  });
}
