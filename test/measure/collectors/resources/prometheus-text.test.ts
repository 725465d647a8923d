import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  PromParseError,
  parsePrometheusText,
  samplesNamed,
  type PromFamily,
} from '../../../../src/measure/collectors/resources/prometheus-text.ts';

const family = (fs: PromFamily[], name: string) => {
  const f = fs.find((x) => x.name === name);
  if (!f) throw new Error(`no family ${name}`);
  return f;
};

describe('Prometheus text format: text produced by prom-client', () => {
  it('round-trips default metrics, a labelled histogram and label values with escapes', async () => {
    const register = new client.Registry();
    client.collectDefaultMetrics({ register });
    const tricky = 'back\\slash "quoted"\nnew line';
    const histogram = new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration\nwith a newline and a back\\slash in help',
      labelNames: ['route', 'method'],
      buckets: [0.005, 0.05, 0.5],
      registers: [register],
    });
    histogram.observe({ route: tricky, method: 'GET' }, 0.01);
    histogram.observe({ route: tricky, method: 'GET' }, 0.2);
    histogram.observe({ route: '/plain', method: 'POST' }, 3);
    const summary = new client.Summary({
      name: 'job_seconds',
      help: 'A summary',
      percentiles: [0.5, 0.9],
      registers: [register],
    });
    summary.observe(1);
    summary.observe(2);
    const gauge = new client.Gauge({
      name: 'weird_values',
      help: 'NaN and Inf',
      labelNames: ['k'],
      registers: [register],
    });
    gauge.set({ k: 'nan' }, NaN);
    gauge.set({ k: 'inf' }, Infinity);
    gauge.set({ k: 'ninf' }, -Infinity);

    const text = await register.metrics();
    const families = parsePrometheusText(text);
    const json = await register.getMetricsAsJSON();

    // Every metric prom-client registered comes back with its type and help, and the same sample count.
    for (const m of json) {
      const f = family(families, m.name);
      expect(f.type).toBe(m.type);
      expect(f.help).toBe(m.help);
      expect(f.samples.length, m.name).toBe((m as unknown as { values: unknown[] }).values.length);
    }
    expect(families.length).toBe(json.length);

    const cpu = samplesNamed(families, 'process_cpu_seconds_total');
    expect(cpu).toHaveLength(1);
    expect(cpu[0]!.value).toBeGreaterThan(0);
    expect(samplesNamed(families, 'process_resident_memory_bytes')[0]!.value).toBeGreaterThan(1e6);

    // Histogram: buckets, sum and count grouped under one family, escapes decoded exactly.
    const h = family(families, 'http_request_duration_seconds');
    expect(h.type).toBe('histogram');
    expect(h.help).toBe('Duration\nwith a newline and a back\\slash in help');
    const bucket = (route: string, le: string) =>
      samplesNamed(families, 'http_request_duration_seconds_bucket', { route, le })[0]?.value;
    expect(bucket(tricky, '0.005')).toBe(0);
    expect(bucket(tricky, '0.05')).toBe(1);
    expect(bucket(tricky, '+Inf')).toBe(2);
    expect(bucket('/plain', '0.5')).toBe(0);
    expect(bucket('/plain', '+Inf')).toBe(1);
    expect(
      samplesNamed(families, 'http_request_duration_seconds_sum', { route: tricky })[0]!.value,
    ).toBeCloseTo(0.21);
    expect(samplesNamed(families, 'http_request_duration_seconds_count', { method: 'POST' })[0]!.value).toBe(
      1,
    );

    const s = family(families, 'job_seconds');
    expect(s.type).toBe('summary');
    expect(s.samples.map((x) => x.name).sort()).toEqual([
      'job_seconds',
      'job_seconds',
      'job_seconds_count',
      'job_seconds_sum',
    ]);

    const w = family(families, 'weird_values');
    const byK = Object.fromEntries(w.samples.map((x) => [x.labels.k, x.value]));
    expect(byK.nan).toBeNaN();
    expect(byK.inf).toBe(Infinity);
    expect(byK.ninf).toBe(-Infinity);
  });
});

describe('Prometheus text format: edge cases of the 0.0.4 grammar', () => {
  it('handles comments, blank lines, timestamps, special values, trailing commas and CRLF', () => {
    const text = [
      '# a free comment',
      '#no space comment',
      '',
      '# HELP up Whether the target is up.',
      '# TYPE up gauge',
      'up 1',
      '   ',
      'up{instance="a",} 0 1700000000000',
      '# TYPE rpc_total counter',
      'rpc_total{code="200"} 1.5e3',
      'rpc_total{code="500"}   +Inf',
      'rpc_total{ code = "503" } -Inf\t-12',
      'no_type_metric NaN',
      'colon:metric:name 4\r',
      '# TYPE empty_labels untyped',
      'empty_labels{} .5',
      '# HELP helpless',
      '',
    ].join('\n');
    const fs = parsePrometheusText(text);
    const up = family(fs, 'up');
    expect(up.type).toBe('gauge');
    expect(up.help).toBe('Whether the target is up.');
    expect(up.samples).toEqual([
      { name: 'up', labels: {}, value: 1 },
      { name: 'up', labels: { instance: 'a' }, value: 0, timestampMs: 1700000000000 },
    ]);
    const rpc = family(fs, 'rpc_total').samples;
    expect(rpc.map((s) => s.value)).toEqual([1500, Infinity, -Infinity]);
    expect(rpc[2]).toEqual({
      name: 'rpc_total',
      labels: { code: '503' },
      value: -Infinity,
      timestampMs: -12,
    });
    expect(family(fs, 'no_type_metric').type).toBe('untyped');
    expect(family(fs, 'no_type_metric').samples[0]!.value).toBeNaN();
    expect(family(fs, 'colon:metric:name').samples[0]!.value).toBe(4);
    expect(family(fs, 'empty_labels').samples[0]!.value).toBe(0.5);
    expect(family(fs, 'helpless').help).toBe('');
  });

  it('decodes label escapes \\\\, \\" and \\n and keeps other characters as written', () => {
    const fs = parsePrometheusText('m{a="x\\\\y",b="say \\"hi\\"",c="1\\n2",d="comma, brace} = ok"} 7\n');
    expect(fs[0]!.samples[0]!.labels).toEqual({
      a: 'x\\y',
      b: 'say "hi"',
      c: '1\n2',
      d: 'comma, brace} = ok',
    });
  });

  it('groups histogram and summary series under their TYPE, but not look-alike names', () => {
    const text = [
      '# TYPE lat histogram',
      'lat_bucket{le="0.1"} 1',
      'lat_bucket{le="+Inf"} 2',
      'lat_sum 0.3',
      'lat_count 2',
      '# TYPE q summary',
      'q{quantile="0.5"} 1',
      'q_sum 3',
      'q_count 2',
      'other_count 9',
    ].join('\n');
    const fs = parsePrometheusText(text);
    expect(fs.map((f) => [f.name, f.type, f.samples.length])).toEqual([
      ['lat', 'histogram', 4],
      ['q', 'summary', 3],
      ['other_count', 'untyped', 1],
    ]);
  });

  it.each([
    ['m{a="x} 1', 2, /unterminated value of label 'a'/],
    ['m{a="\\t"} 1', 2, /invalid escape/],
    ['m{a="1",a="2"} 1', 2, /label 'a' appears twice/],
    ['m{1a="x"} 1', 2, /expected a label name/],
    ['m{a "x"} 1', 2, /expected '=' after label 'a'/],
    ['m{a=x} 1', 2, /expected '"'/],
    ['m{a="x" b="y"} 1', 2, /expected ',' or '}'/],
    ['m', 2, /missing value/],
    ['m abc', 2, /invalid value 'abc'/],
    ['m 0x10', 2, /invalid value '0x10'/],
    ['m 1 1.5', 2, /invalid timestamp/],
    ['m 1 2 3', 2, /unexpected text after the timestamp/],
    ['9m 1', 2, /expected a metric name/],
    ['# TYPE m bogus', 2, /unknown metric type 'bogus'/],
    ['# TYPE ok gauge\n# TYPE ok counter', 3, /second TYPE line/],
    ['# HELP ok a\n# HELP ok b', 3, /second HELP line/],
    ['ok 1\n# TYPE ok gauge', 3, /TYPE line for 'ok' after its samples/],
    ['# TYPE h histogram\nh_bucket 1', 3, /without an 'le' label/],
    ['# TYPE h histogram\nh 1', 3, /bare sample/],
    ['# TYPE s summary\ns 1', 3, /without a 'quantile' label/],
  ])('rejects %j with the line number', (body, line, message) => {
    const text = `# HELP first fine\n${body}\n`;
    let error: unknown;
    try {
      parsePrometheusText(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PromParseError);
    expect((error as PromParseError).line).toBe(line);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(new RegExp(`^line ${line}: `));
  });

  it('returns nothing for an empty page and refuses HTML', () => {
    expect(parsePrometheusText('')).toEqual([]);
    expect(() => parsePrometheusText('<html><body>Not Found</body></html>')).toThrow(PromParseError);
  });
});
