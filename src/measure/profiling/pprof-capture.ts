// CPU profiles over HTTP from any runtime that serves pprof (Go's net/http/pprof and others):
// `GET <url>?seconds=N` records for N seconds and answers with a gzipped protobuf. One capture runs
// alongside each trial; a failure is a reason, never an exception.
import http from 'node:http';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';
import { isGzip, parsePprof } from '../../attribution/pprof.ts';
import { encodeProfile } from '../../attribution/profile-codec.ts';
import { type StoredProfile } from '../../contracts/run-result.ts';
import { redactUrl, type Redactor } from '../../util/redact.ts';

export interface PprofSetup {
  url: string;
}

/** Starts a capture of `seconds`; resolves to the profile or to why there is none. */
export function capturePprof(
  setup: PprofSetup,
  seconds: number,
  redactor?: Redactor,
): Promise<StoredProfile | string> {
  const url = new URL(setup.url);
  url.searchParams.set('seconds', String(Math.max(1, Math.ceil(seconds))));
  const shown = redactUrl(url.toString(), redactor);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = transport.get(url, { timeout: (seconds + 30) * 1000, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => resolve(`pprof ${shown}: ${err.message}`));
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(`pprof ${shown} answered HTTP ${res.statusCode}`);
        try {
          const body = Buffer.concat(chunks);
          const bytes = isGzip(body) ? gunzipSync(body) : body;
          resolve(encodeProfile(parsePprof(bytes)));
        } catch (err) {
          resolve(`pprof ${shown}: unparsable profile (${(err as Error).message})`);
        }
      });
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(`pprof ${shown} did not answer in ${seconds + 30} s`);
    });
    req.on('error', (err) => resolve(`pprof ${shown}: ${err.message}`));
  });
}
