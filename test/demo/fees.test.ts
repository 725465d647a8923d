import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FeePayment, FeeRule } from '../../src/demo/fees.ts';
import {
  CURRENCIES,
  FEE_RULES,
  FeeRuleNotFoundError,
  MAX_AMOUNT,
  MERCHANT_CATEGORIES,
  REGRESSED_FUNCTION,
  applyFeeRule,
  buildFeeIndex,
  computeFee,
  findFeeRuleIndexed,
  findFeeRuleLinear,
  isCurrency,
  isMerchantCategory,
} from '../../src/demo/fees.ts';

/** Deterministic pseudo-random payments, band edges included. */
function samplePayments(count: number): FeePayment[] {
  const edges = [1, 999, 1_000, 1_001, 9_999, 10_000, 99_999, 100_000, 999_999, 1_000_000, MAX_AMOUNT - 1];
  const out: FeePayment[] = [];
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < count; i++) {
    const amount = i < edges.length * 4 ? edges[i % edges.length]! : 1 + (next() % 5_000_000);
    out.push({
      amount,
      currency: CURRENCIES[next() % CURRENCIES.length]!,
      merchantCategory: MERCHANT_CATEGORIES[next() % MERCHANT_CATEGORIES.length]!,
    });
  }
  return out;
}

describe('fee rule table', () => {
  it('has 200 rules with unique ids, one per currency × category × band, bands not overlapping', () => {
    expect(FEE_RULES).toHaveLength(200);
    expect(new Set(FEE_RULES.map((r) => r.id)).size).toBe(200);
    for (const a of FEE_RULES) {
      expect(a.minAmount).toBeLessThan(a.maxAmount);
      expect(a.minFee).toBeLessThanOrEqual(a.maxFee);
      const overlapping = FEE_RULES.filter(
        (b) =>
          b !== a &&
          b.currency === a.currency &&
          b.merchantCategory === a.merchantCategory &&
          b.minAmount < a.maxAmount &&
          a.minAmount < b.maxAmount,
      );
      expect(overlapping).toEqual([]);
    }
  });

  it('covers every amount in 1..MAX_AMOUNT-1 of every scope', () => {
    for (const currency of CURRENCIES) {
      for (const merchantCategory of MERCHANT_CATEGORIES) {
        for (const amount of [1, 500, 1_000, 123_456, MAX_AMOUNT - 1]) {
          expect(findFeeRuleIndexed({ amount, currency, merchantCategory })).toBeDefined();
        }
      }
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(FEE_RULES)).toBe(true);
    expect(Object.isFrozen(FEE_RULES[0])).toBe(true);
  });
});

describe('computeFee: the regression changes speed, not results', () => {
  it('gives the same rule and fee in both variants for many inputs', () => {
    for (const payment of samplePayments(250)) {
      const baseline = computeFee(payment, 'baseline');
      const regressed = computeFee(payment, 'regressed');
      expect(regressed).toEqual(baseline);
      expect(findFeeRuleLinear(payment)).toBe(findFeeRuleIndexed(payment));
    }
  });

  it('defaults to the baseline variant', () => {
    const p: FeePayment = { amount: 1250, currency: 'EUR', merchantCategory: 'grocery' };
    expect(computeFee(p)).toEqual(computeFee(p, 'baseline'));
  });

  it('computes fixed + basis points, rounded, clamped to [minFee, maxFee]', () => {
    const p: FeePayment = { amount: 12_500, currency: 'USD', merchantCategory: 'general' };
    const quote = computeFee(p);
    const rule = FEE_RULES.find((r) => r.id === quote.ruleId)!;
    expect(rule.currency).toBe('USD');
    expect(rule.merchantCategory).toBe('general');
    expect(quote.fee).toBe(rule.fixed + Math.round((12_500 * rule.bps) / 10_000));
    expect(Number.isInteger(quote.fee)).toBe(true);

    const rule0: FeeRule = { ...FEE_RULES[0]!, bps: 100, fixed: 5, minFee: 20, maxFee: 30 };
    expect(applyFeeRule(rule0, 1)).toBe(20); // minimum
    expect(applyFeeRule(rule0, 2_000)).toBe(25);
    expect(applyFeeRule(rule0, 100_000)).toBe(30); // maximum
  });

  it('throws FeeRuleNotFoundError out of range in both variants', () => {
    for (const variant of ['baseline', 'regressed'] as const) {
      for (const amount of [0, -5, MAX_AMOUNT, 1.5]) {
        expect(() => computeFee({ amount, currency: 'EUR', merchantCategory: 'fuel' }, variant)).toThrow(
          FeeRuleNotFoundError,
        );
      }
    }
  });

  it('the linear lookup skips a rule that conflicts with another one (re-validation)', () => {
    const rules = FEE_RULES.slice(0, 5).map((r) => ({ ...r }));
    const payment: FeePayment = { amount: 1_500, currency: rules[1]!.currency, merchantCategory: 'grocery' };
    expect(findFeeRuleLinear(payment, rules)?.id).toBe(rules[1]!.id);
    rules.push({ ...rules[1]!, id: 999 }); // overlapping duplicate: both become invalid
    expect(findFeeRuleLinear(payment, rules)).toBeUndefined();
    // The index itself does not validate; it still answers.
    expect(findFeeRuleIndexed(payment, buildFeeIndex(rules))).toBeDefined();
  });

  it('guards currencies and categories', () => {
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('eur')).toBe(false);
    expect(isCurrency(1)).toBe(false);
    expect(isMerchantCategory('grocery')).toBe(true);
    expect(isMerchantCategory('toString')).toBe(false);
  });
});

describe('REGRESSED_FUNCTION', () => {
  it('points at the declaration and closing brace of findFeeRuleLinear in src/demo/fees.ts', () => {
    expect(REGRESSED_FUNCTION.name).toBe(findFeeRuleLinear.name);
    expect(REGRESSED_FUNCTION.file).toBe('src/demo/fees.ts');
    const source = readFileSync(new URL('../../src/demo/fees.ts', import.meta.url), 'utf8').split('\n');
    expect(source[REGRESSED_FUNCTION.line - 1]).toMatch(/^export function findFeeRuleLinear\(/);
    expect(source[REGRESSED_FUNCTION.endLine - 1]).toBe('}');
    const body = source.slice(REGRESSED_FUNCTION.line, REGRESSED_FUNCTION.endLine - 1);
    expect(body.some((l) => l === '}')).toBe(false);
  });
});
