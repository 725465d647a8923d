import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, ruleFor } from '../../src/compare/rules.ts';
import { parseBudget, parseMinEffect } from '../../src/config/thresholds/grammar.ts';
import { parseThresholds } from '../../src/config/thresholds/parse.ts';
import { parseConfigText } from '../../src/config/parse/parse-config.ts';

describe('thresholds grammar', () => {
  it('parses minimum effects in the worse direction of each metric', () => {
    expect(parseMinEffect('p95', '+10%')).toMatchObject({ kind: 'relative', value: 0.1 });
    expect(parseMinEffect('throughput', '-5%')).toMatchObject({ kind: 'relative', value: -0.05 });
    expect(parseMinEffect('errorRate', '+1pp')).toMatchObject({ kind: 'absolute', value: 0.01 });
    expect(parseMinEffect('p95', '-10%')).toHaveProperty('error');
    expect(parseMinEffect('throughput', '+5%')).toHaveProperty('error');
    expect(parseMinEffect('errorRate', '+1%')).toHaveProperty('error');
    expect(parseMinEffect('p95', '+0%')).toHaveProperty('error');
    expect(parseMinEffect('p95', 10)).toHaveProperty('error');
  });

  it('parses budgets with units', () => {
    expect(parseBudget('p95 < 300ms')).toMatchObject({ metric: 'p95', op: '<', value: 300_000 });
    expect(parseBudget('p99<=1.5s')).toMatchObject({ metric: 'p99', op: '<=', value: 1_500_000 });
    expect(parseBudget('errorRate < 1%')).toMatchObject({ metric: 'errorRate', value: 0.01 });
    expect(parseBudget('throughput >= 200/s')).toMatchObject({ metric: 'throughput', op: '>=', value: 200 });
    expect(parseBudget('p95 < 300')).toHaveProperty('error');
    expect(parseBudget('p42 < 3ms')).toHaveProperty('error');
    expect(parseBudget('errorRate < 0.01')).toHaveProperty('error');
  });

  it('reports every problem with its path', () => {
    const { issues } = parseThresholds({
      alpha: 2,
      p95: '10%',
      gate: ['p95', 'p42'],
      budgets: ['p95 < 300'],
      overrides: [{ p95: '+20%' }],
      approve: [{ metric: 'p95' }],
      typo: 1,
    });
    const paths = issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'alpha',
        'p95',
        'gate.1',
        'budgets.0',
        'overrides.0',
        'approve.0.reason',
        'typo',
      ]),
    );
  });

  it('uses defaults, then overrides from least to most specific', () => {
    const { value, issues } = parseThresholds({
      p95: '+8%',
      budgets: ['p95 < 300ms'],
      control: ['health'],
      overrides: [
        { request: 'pay', p95: '+30%' },
        { scenario: 'checkout', p95: '+20%', budgets: ['p95 < 500ms'] },
      ],
    });
    expect(issues).toEqual([]);
    expect(ruleFor(value, 'other', 'x', 'p95').minEffect.value).toBe(0.08);
    expect(ruleFor(value, 'checkout', 'x', 'p95').minEffect.value).toBe(0.2);
    expect(ruleFor(value, 'checkout', 'pay', 'p95').minEffect.value).toBe(0.3);
    expect(ruleFor(value, 'checkout', 'x', 'p95').budgets.map((b) => b.text)).toEqual(['p95 < 500ms']);
    expect(ruleFor(value, 'other', 'health', 'p95').gating).toBe(false);
    expect(ruleFor(DEFAULT_THRESHOLDS, 's', 'r', 'p50').gating).toBe(false);
    expect(ruleFor(DEFAULT_THRESHOLDS, 's', null, 'throughput').gating).toBe(true);
  });
});

describe('the documented examples', () => {
  /** The ```yaml blocks of a doc that hold a `thresholds:` section. */
  function thresholdBlocks(doc: string): string[] {
    const text = readFileSync(new URL(`../../docs/${doc}`, import.meta.url), 'utf8');
    return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .filter((block) => /^thresholds:/m.test(block));
  }

  it.each(['thresholds.md', 'configuration.md'])('%s: every thresholds example is valid', (doc) => {
    const blocks = thresholdBlocks(doc);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const raw = parseConfigText(block, doc, {}).value;
      expect(raw.thresholds, block).toBeTruthy();
    }
  });
});
