// The one process starter (src/engine/service.ts) on real child processes: ready when it prints its URL
// or when its URL answers; an exit before that is a RunFailure with its stderr; an exit during the run
// is kept for the failure; stop ends it.
import { describe, expect, it } from 'vitest';
import { RunFailure } from '../../src/contracts/errors.ts';
import { startProcess, whileRunning } from '../../src/measure/service.ts';

// A tiny HTTP server that prints its URL, then answers until it is told to stop (or dies after --die ms).
const SERVER = `
const http = require('node:http');
const s = http.createServer((_q, r) => r.end('ok'));
s.listen(0, '127.0.0.1', () => {
  console.log('listening on http://127.0.0.1:' + s.address().port);
  const die = Number(process.argv[1] || 0);
  if (die) setTimeout(() => { console.error('dying as asked'); process.exit(7); }, die);
});`;

const node = (script: string, ...args: string[]) => ({
  command: process.execPath,
  args: ['-e', script, ...args],
  env: process.env,
});

describe('the process starter', () => {
  it('is ready when the process prints its URL, answers there, and stops on request', async () => {
    const p = await startProcess({
      ...node(SERVER),
      ready: { printsUrl: /listening on (\S+)/, timeoutMs: 10_000 },
    });
    expect(p.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(p.url)).status).toBe(200);
    await p.stop();
    await expect(fetch(p.url)).rejects.toThrow();
    expect(p.exitedEarly()).toBeUndefined();
  });

  it('is ready when a given URL answers (a configured service)', async () => {
    const first = await startProcess({
      ...node(SERVER),
      ready: { printsUrl: /listening on (\S+)/, timeoutMs: 10_000 },
    });
    // A second process that prints nothing: ready once the (first one's) URL answers.
    const quiet = await startProcess({
      ...node('setInterval(() => {}, 1000)'),
      ready: { answersAt: first.url, timeoutMs: 10_000 },
    });
    expect(quiet.url).toBe(first.url);
    await Promise.all([quiet.stop(), first.stop()]);
  });

  it('names an exit before it was ready, with its stderr (RunFailure, exit 3)', async () => {
    const start = startProcess({
      ...node("console.error('no config found'); process.exit(2)"),
      ready: { printsUrl: /listening on (\S+)/, timeoutMs: 10_000 },
    });
    await expect(start).rejects.toThrow(RunFailure);
    await expect(start).rejects.toThrow(/exited \(code 2\).*no config found/);
  });

  it('keeps an exit during the run and adds it to the run failure', async () => {
    const p = await startProcess({
      ...node(SERVER, '300'),
      ready: { printsUrl: /listening on (\S+)/, timeoutMs: 10_000 },
    });
    const failed = whileRunning(p, undefined, async () => {
      await new Promise((r) => setTimeout(r, 800));
      throw new RunFailure('the target stopped answering');
    });
    await expect(failed).rejects.toThrow(
      /stopped answering; the service .* exited during the run \(code 7\).*dying as asked/s,
    );
  });
});
