// Per-trial CPU profiles from a live Node process over its inspector, through perf-gate's own WebSocket
// client: by WebSocket URL and by the inspector's HTTP address, messages of every length class, and the
// reasons (naming the setting) when the inspector is unreachable or the process dies mid-trial.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { InspectorSession } from '../../../src/attribution/io/inspector.ts';
import { decodeProfile } from '../../../src/attribution/profile-codec.ts';
import { profilerFor, startTrialProfile } from '../../../src/measure/profiling/trial-profiler.ts';

// Always on the CPU in spin (never idle, so every JavaScript sample lands there, whatever else the machine
// runs); the inspector's messages are still served, between bytecodes, as when debugging a hung loop.
const BUSY =
  'function spin() { let x = 0; for (let i = 0; i < 2e5; i++) x += Math.sqrt(i); return x; }\n' +
  'for (;;) spin();';

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await once(c, 'exit');
    }
  }
});

async function inspected(): Promise<{ child: ChildProcess; ws: string }> {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', '-e', BUSY], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  children.push(child);
  const ws = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (c: Buffer) => {
      text += c.toString();
      const m = /Debugger listening on (ws:\/\/\S+)/.exec(text);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`exited: ${text}`)));
  });
  return { child, ws };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CPU profiles over the Node inspector', () => {
  it('profiles one window of a running process, by WebSocket URL and by HTTP address', async () => {
    const { ws } = await inspected();
    const http = ws.replace(/^ws:/, 'http:').replace(/\/[^/]*$/, '');
    for (const url of [ws, http]) {
      // Sampling: a window on a busy machine can miss a function that runs once a millisecond, so up to
      // three windows; the assertion is that profiling works at all, not how often a sample lands.
      let sawSpin = false;
      for (let attempt = 0; attempt < 3 && !sawSpin; attempt++) {
        const trial = await startTrialProfile(profilerFor({ kind: 'inspector', url }, 500), 500);
        await pause(500);
        const profile = await trial.finish();
        if (typeof profile === 'string') throw new Error(profile);
        const model = decodeProfile(profile);
        expect(model.samples).toBeGreaterThan(0);
        sawSpin = model.functions.some((f) => f.name === 'spin');
      }
      expect(sawSpin).toBe(true);
    }
  });

  it('carries messages of every WebSocket length class (7-bit, 16-bit, 64-bit)', async () => {
    const { ws } = await inspected();
    const session = await InspectorSession.connect(ws);
    try {
      for (const n of [10, 5000, 300_000]) {
        const { result } = await session.post<{ result: { value: string } }>('Runtime.evaluate', {
          expression: `'x'.repeat(${n})`,
          returnByValue: true,
        });
        expect(result.value).toHaveLength(n);
      }
    } finally {
      session.close();
    }
  });

  it('says why, and what to set, when the inspector is unreachable or the process dies mid-trial', async () => {
    const unreachable = await startTrialProfile(
      profilerFor({ kind: 'inspector', url: 'ws://127.0.0.1:9/nothing' }, 1000),
      100,
    );
    expect(await unreachable.finish()).toMatch(
      /inspector ws:\/\/127\.0\.0\.1:9\/nothing: .*--inspect.*profile\.inspector/,
    );

    const { child, ws } = await inspected();
    const trial = await startTrialProfile(profilerFor({ kind: 'inspector', url: ws }, 1000), 100);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await trial.finish()).toMatch(/did the process exit during the trial/);
  });
});
