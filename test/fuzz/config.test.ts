// Fuzzing perf-gate.yml and scenario files: every text either parses or raises a ConfigError that
// lists its issues (file:line:col). YAML anchors, aliases, tags, deep nesting and `${` all included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfigText, parseScenarioText } from '../../src/config/parse/parse-config.ts';
import { corpus, fuzz, mutatedText, parsesOrRaises, pathological } from './fuzz.ts';

const CONFIG = `target: http://127.0.0.1:3000
scenarios: scenarios/*.yml
defaults:
  trials: 10
  warmup: 5s
  load: { model: closed, connections: 10, duration: 10s }
thresholds:
  p95: +10%
  budgets: ['p95 < 300ms']
`;

const SCENARIO = `name: checkout
headers:
  authorization: Bearer \${API_TOKEN}
requests:
  - name: list
    path: /items?page=1
    expect: [200, 2xx]
  - name: buy
    method: POST
    path: /buy
    body: '{"item": 1}'
    weight: 2
`;

const ENV = { API_TOKEN: 'tok-123456', TRIALS: '7' };
const YAML_BITS = fc.constantFrom(
  '&a ',
  '*a',
  '!!str ',
  '!!binary ',
  '<<: *a',
  '? ',
  '| ',
  '> ',
  '%YAML 1.2\n',
  '---\n',
  '...',
  '\t',
  '#',
);

function check(parse: (text: string) => unknown) {
  return (text: string) => {
    const r = parsesOrRaises(() => parse(text), 'ConfigError');
    if (r instanceof Error) expect(r.message.length).toBeGreaterThan(0);
  };
}

const config = (t: string) => parseConfigText(t, 'perf-gate.yml', ENV);
const scenario = (t: string) => parseScenarioText(t, 'scenarios/a.yml', ENV);

describe('fuzz: perf-gate.yml and scenario files', () => {
  it('the valid samples parse', () => {
    expect(config(CONFIG).value).toBeDefined();
    expect(scenario(SCENARIO).value).toBeDefined();
  });

  it('mutated configs parse or raise ConfigError', () => {
    fuzz(mutatedText(CONFIG, fc.oneof(YAML_BITS, fc.string({ maxLength: 8 }))), check(config));
  });

  it('mutated scenarios parse or raise ConfigError', () => {
    fuzz(mutatedText(SCENARIO, fc.oneof(YAML_BITS, fc.string({ maxLength: 8 }))), check(scenario));
  });

  it('arbitrary text parses or raises ConfigError', () => {
    fuzz(fc.string({ unit: 'binary', maxLength: 300 }), check(scenario));
  });

  it('the corpus and pathological inputs end with a result or a ConfigError', () => {
    for (const { text } of corpus('config')) check(scenario)(text);
    for (const text of pathological(['${', '$${', '[', '{', '- ', '&a ', '"'], 20_000)) check(scenario)(text);
  });
});
