import { describe, expect, it } from 'vitest';
import {
  ServerTiming,
  formatDuration,
  formatServerTiming,
  isServerTimingToken,
  parseServerTiming,
} from '../../src/demo/server-timing.ts';

/** W3C Server-Timing grammar, simplified: metric *( ";" param ), joined by ", ". */
const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const PARAM = `${TOKEN}=(?:${TOKEN}|"(?:[^"\\\\]|\\\\.)*")`;
const METRIC = `${TOKEN}(?:;${PARAM})*`;
const HEADER = new RegExp(`^${METRIC}(?:, ${METRIC})*$`);

describe('formatDuration', () => {
  it('keeps at most 3 decimals, plain decimal notation', () => {
    expect(formatDuration(2.1)).toBe('2.1');
    expect(formatDuration(0.35)).toBe('0.35');
    expect(formatDuration(1.23456)).toBe('1.235');
    expect(formatDuration(6)).toBe('6');
    expect(formatDuration(0.0004)).toBe('0');
    expect(formatDuration(0.0005)).toBe('0.001');
    expect(formatDuration(1e-7)).toBe('0');
    expect(formatDuration(-1)).toBe('0');
    expect(formatDuration(Number.NaN)).toBe('0');
    expect(formatDuration(12345.6789)).toBe('12345.679');
  });
});

describe('formatServerTiming', () => {
  it('formats the W3C header', () => {
    expect(
      formatServerTiming([
        { name: 'db', dur: 2.1 },
        { name: 'fees', dur: 0.35, desc: 'fee rules' },
      ]),
    ).toBe('db;dur=2.1, fees;dur=0.35;desc="fee rules"');
  });

  it('escapes quotes and backslashes in desc, drops control characters', () => {
    const header = formatServerTiming([{ name: 'x', dur: 1, desc: 'a "b" \\c\nd' }]);
    expect(header).toBe('x;dur=1;desc="a \\"b\\" \\\\cd"');
    expect(header).toMatch(HEADER);
    expect(parseServerTiming(header)).toEqual([{ name: 'x', dur: 1, desc: 'a "b" \\cd' }]);
  });

  it('rejects metric names that are not tokens', () => {
    expect(isServerTimingToken('db')).toBe(true);
    expect(isServerTimingToken('db phase')).toBe(false);
    expect(isServerTimingToken('a;b')).toBe(false);
    expect(isServerTimingToken('')).toBe(false);
    expect(() => formatServerTiming([{ name: 'bad name', dur: 1 }])).toThrow(/invalid/);
    expect(() => new ServerTiming().add('a,b', 1)).toThrow(/invalid/);
  });
});

describe('ServerTiming', () => {
  it('collects phases in first-seen order, summing repeats', async () => {
    const t = new ServerTiming();
    t.add('auth', 0.1234, 'bearer token');
    await t.time('db', () => new Promise((r) => setTimeout(r, 5)), 'query');
    const value = t.timeSync('fees', () => 42);
    expect(value).toBe(42);
    t.add('auth', 0.1);
    const entries = t.toEntries();
    expect(entries.map((e) => e.name)).toEqual(['auth', 'db', 'fees']);
    expect(entries[0]!.dur).toBeCloseTo(0.2234, 6);
    expect(entries[1]!.dur).toBeGreaterThanOrEqual(3.5); // a 5 ms timer (libuv may fire ~1 ms early)
    expect(t.has('db')).toBe(true);
    expect(t.has('render')).toBe(false);

    const header = t.toHeader();
    expect(header).toMatch(HEADER);
    const parsed = parseServerTiming(header);
    expect(parsed.map((e) => e.name)).toEqual(['auth', 'db', 'fees']);
    for (const e of parsed) {
      expect(Number.isFinite(e.dur)).toBe(true);
      expect(e.dur).toBeGreaterThanOrEqual(0);
      expect(String(e.dur).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(3);
    }
    expect(parsed[0]).toEqual({ name: 'auth', dur: 0.223, desc: 'bearer token' });
  });

  it('records the phase even when the timed function throws', async () => {
    const t = new ServerTiming();
    expect(() =>
      t.timeSync('fees', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    await expect(t.time('db', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(t.toEntries().map((e) => e.name)).toEqual(['fees', 'db']);
  });

  it('start() stops once', () => {
    const t = new ServerTiming();
    const stop = t.start('render');
    stop();
    const first = t.toEntries()[0]!.dur;
    stop();
    expect(t.toEntries()[0]!.dur).toBe(first);
  });
});

describe('parseServerTiming', () => {
  it('parses several metrics, quoted commas and semicolons, missing dur', () => {
    expect(parseServerTiming('db;dur=2.1, fees;dur=0.35;desc="a, b; c", miss, cdn;desc=hit')).toEqual([
      { name: 'db', dur: 2.1 },
      { name: 'fees', dur: 0.35, desc: 'a, b; c' },
      { name: 'miss', dur: 0 },
      { name: 'cdn', dur: 0, desc: 'hit' },
    ]);
  });
});
