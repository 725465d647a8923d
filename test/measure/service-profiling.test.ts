// The profiling hook of a started service: how its inspector is opened, how its URL is read from stderr,
// and which profiler each side gets.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  inspectorLaunch,
  profilersFor,
  watchInspectorUrl,
} from '../../src/measure/profiling/service-profiling.ts';

describe('inspectorLaunch', () => {
  it("puts the flags on node's command line, without inlining unless kept", () => {
    expect(inspectorLaunch('/usr/bin/node', ['dist/server.js'], {}).args).toEqual([
      '--inspect=127.0.0.1:0',
      '--no-turbo-inlining',
      'dist/server.js',
    ]);
    expect(inspectorLaunch('node', ['a.js'], {}, true).args).toEqual(['--inspect=127.0.0.1:0', 'a.js']);
  });

  it('goes through NODE_OPTIONS for other commands, keeping what is there', () => {
    const launch = inspectorLaunch('npm', ['start'], { NODE_OPTIONS: '--max-old-space-size=512' });
    expect(launch.args).toEqual(['start']);
    expect(launch.env.NODE_OPTIONS).toBe('--max-old-space-size=512 --inspect=127.0.0.1:0');
  });
});

describe('watchInspectorUrl', () => {
  it('reads the latest announcement, even split across chunks', () => {
    const stderr = new PassThrough();
    const url = watchInspectorUrl(stderr);
    expect(url()).toBeUndefined();
    stderr.write('Debugger listening on ws://127.0.0.1:4000/a\nFor help, see: …\nDebugger listen');
    stderr.write('ing on ws://127.0.0.1:4001/b\n');
    expect(url()).toBe('ws://127.0.0.1:4001/b');
  });
});

describe('profilersFor', () => {
  const profiling = {
    target: { kind: 'pprof' as const, url: 'http://127.0.0.1:6060/debug/pprof/profile' },
    baselineTarget: { kind: 'inspector' as const, url: 'http://127.0.0.1:9230' },
    samplingIntervalUs: 250,
    keepInlining: false,
  };

  it("uses the started service's inspector in place of profile.inspector/pprof", () => {
    const p = profilersFor(profiling, { cpuProfile: true, inspectorUrl: 'ws://127.0.0.1:4000/a' });
    expect(p.profiler).toMatchObject({
      target: { kind: 'inspector', url: 'ws://127.0.0.1:4000/a' },
      samplingIntervalUs: 250,
    });
    expect(p.baselineProfiler).toMatchObject({ target: profiling.baselineTarget });
  });

  it('says why when the started service announced no inspector, and names the way out', () => {
    const p = profilersFor(undefined, { cpuProfile: true, inspectorUrl: undefined });
    expect(p.profiler).toEqual({
      unavailable: expect.stringMatching(/never printed an inspector URL.*profile\.inspector/),
    });
  });

  it('takes profile.* when perf-gate starts nothing, and nothing when nothing is configured', () => {
    expect(profilersFor(profiling).profiler).toMatchObject({ target: profiling.target });
    expect(profilersFor(undefined)).toEqual({});
  });
});
