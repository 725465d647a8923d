// Fee computation of the demo payments API over a table of fee rules.
//
// 200 rules: 5 currencies × 8 merchant categories × 5 amount bands (amounts in minor units). The baseline
// finds a payment's rule through an index (Map by currency/category, then a binary search over the bands).
// The regressed variant reproduces a realistic "simplification" PR: the index is gone, the table is scanned
// linearly and every rule is re-validated against the whole table at lookup time (quadratic, about half a
// millisecond of CPU per call). Both variants return exactly the same fee: the regression changes speed,
// not results.
//
// The slow code lives in `findFeeRuleLinear` below; REGRESSED_FUNCTION points at it (a test keeps the line
// number honest), so the demo can check that attribution names the right function.

export type DemoVariant = 'baseline' | 'regressed';

export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const MERCHANT_CATEGORIES = [
  'grocery',
  'travel',
  'electronics',
  'restaurants',
  'fuel',
  'digital',
  'general',
  'gambling',
] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

/** Upper bound (exclusive) of the last amount band, in minor units; larger amounts have no fee rule. */
export const MAX_AMOUNT = 1_000_000_000;

export interface FeeRule {
  id: number;
  currency: Currency;
  merchantCategory: MerchantCategory;
  /** Amount band in minor units, [minAmount, maxAmount). */
  minAmount: number;
  maxAmount: number;
  /** Proportional part, basis points of the amount. */
  bps: number;
  /** Fixed part, minor units. */
  fixed: number;
  /** The fee never goes below minFee nor above maxFee (minor units). */
  minFee: number;
  maxFee: number;
}

export interface FeePayment {
  /** Minor units (cents), positive integer below MAX_AMOUNT. */
  amount: number;
  currency: Currency;
  merchantCategory: MerchantCategory;
}

export interface FeeQuote {
  ruleId: number;
  /** Minor units. */
  fee: number;
  bps: number;
  fixed: number;
}

/** The function the regressed variant slows down, for tests and for checking attribution. */
export const REGRESSED_FUNCTION = {
  name: 'findFeeRuleLinear',
  file: 'src/demo/fees.ts',
  /** 1-based lines of the declaration and of its closing brace in this TypeScript source. */
  line: 167,
  endLine: 221,
} as const;

export class FeeRuleNotFoundError extends Error {
  constructor(readonly payment: FeePayment) {
    super(`no fee rule for ${payment.currency}/${payment.merchantCategory} amount ${payment.amount}`);
    this.name = 'FeeRuleNotFoundError';
  }
}

const BAND_EDGES = [0, 1_000, 10_000, 100_000, 1_000_000, MAX_AMOUNT] as const;
const CATEGORY_BPS: Record<MerchantCategory, number> = {
  grocery: 120,
  travel: 260,
  electronics: 190,
  restaurants: 150,
  fuel: 110,
  digital: 240,
  general: 175,
  gambling: 420,
};
const CURRENCY_FIXED: Record<Currency, number> = { EUR: 25, USD: 30, GBP: 20, CHF: 30, JPY: 40 };
const CURRENCY_BPS_ADJ: Record<Currency, number> = { EUR: 0, USD: 10, GBP: 5, CHF: 15, JPY: 20 };

function buildFeeRules(): FeeRule[] {
  const rules: FeeRule[] = [];
  let id = 1;
  for (const currency of CURRENCIES) {
    for (const merchantCategory of MERCHANT_CATEGORIES) {
      for (let band = 0; band < BAND_EDGES.length - 1; band++) {
        // Volume discount: larger bands pay fewer basis points but a higher minimum.
        const bps = Math.max(40, CATEGORY_BPS[merchantCategory] + CURRENCY_BPS_ADJ[currency] - band * 18);
        rules.push({
          id: id++,
          currency,
          merchantCategory,
          minAmount: BAND_EDGES[band]!,
          maxAmount: BAND_EDGES[band + 1]!,
          bps,
          fixed: band === 0 ? CURRENCY_FIXED[currency] : CURRENCY_FIXED[currency] + band * 5,
          minFee: 10 + band * 10,
          maxFee: 5_000 * 10 ** band,
        });
      }
    }
  }
  return rules;
}

/** The fee rule table (immutable). */
export const FEE_RULES: readonly FeeRule[] = Object.freeze(buildFeeRules().map((r) => Object.freeze(r)));

export interface FeeIndex {
  /** Key `${currency}|${merchantCategory}` → rules of that scope sorted by minAmount. */
  byScope: Map<string, FeeRule[]>;
}

export function buildFeeIndex(rules: readonly FeeRule[]): FeeIndex {
  const byScope = new Map<string, FeeRule[]>();
  for (const rule of rules) {
    const key = `${rule.currency}|${rule.merchantCategory}`;
    let list = byScope.get(key);
    if (list === undefined) byScope.set(key, (list = []));
    list.push(rule);
  }
  for (const list of byScope.values()) list.sort((a, b) => a.minAmount - b.minAmount);
  return { byScope };
}

const DEFAULT_INDEX = buildFeeIndex(FEE_RULES);

/** Baseline lookup: one Map get and a binary search over the scope's amount bands. */
export function findFeeRuleIndexed(
  payment: FeePayment,
  index: FeeIndex = DEFAULT_INDEX,
): FeeRule | undefined {
  const bands = index.byScope.get(`${payment.currency}|${payment.merchantCategory}`);
  if (bands === undefined) return undefined;
  let lo = 0;
  let hi = bands.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const rule = bands[mid]!;
    if (payment.amount < rule.minAmount) hi = mid - 1;
    else if (payment.amount >= rule.maxAmount) lo = mid + 1;
    else return rule;
  }
  return undefined;
}

/**
 * Regressed lookup ("simplify fee lookup, validate rules on use"): scans the whole table and, for every
 * rule, re-validates that no other rule of the same scope overlaps it or sits in the same amount tier
 * (tier = decade of the band's lower bound). Quadratic in the number of rules; same result as the index.
 * Keep its bytecode above V8's inlining limit (460 bytes; it is ~520): if TurboFan inlined it into
 * computeFee, CPU profiles would charge part of its samples to computeFee instead.
 */
export function findFeeRuleLinear(
  payment: FeePayment,
  rules: readonly FeeRule[] = FEE_RULES,
): FeeRule | undefined {
  let match: FeeRule | undefined;
  for (let i = 0; i < rules.length; i++) {
    const candidate = rules[i]!;
    // A broken rule must never price a payment.
    if (
      !Number.isInteger(candidate.id) ||
      candidate.id <= 0 ||
      candidate.minAmount < 0 ||
      candidate.maxAmount <= candidate.minAmount ||
      candidate.maxAmount > MAX_AMOUNT ||
      candidate.bps < 0 ||
      candidate.bps > 10_000 ||
      candidate.fixed < 0 ||
      candidate.minFee < 0 ||
      candidate.maxFee < candidate.minFee ||
      !CURRENCIES.includes(candidate.currency) ||
      !MERCHANT_CATEGORIES.includes(candidate.merchantCategory)
    ) {
      continue;
    }
    let candidateTier = 0;
    for (let v = candidate.minAmount; v >= 10; v = Math.floor(v / 10)) candidateTier++;
    let conflicts = 0;
    for (let j = 0; j < rules.length; j++) {
      const other = rules[j]!;
      let otherTier = 0;
      for (let v = other.minAmount; v >= 10; v = Math.floor(v / 10)) otherTier++;
      if (other !== candidate && other.id === candidate.id) {
        conflicts++; // duplicate id
      } else if (
        other.id !== candidate.id &&
        other.currency === candidate.currency &&
        other.merchantCategory === candidate.merchantCategory &&
        (otherTier === candidateTier ||
          (other.minAmount < candidate.maxAmount && candidate.minAmount < other.maxAmount))
      ) {
        conflicts++;
      }
    }
    if (
      conflicts === 0 &&
      candidate.currency === payment.currency &&
      candidate.merchantCategory === payment.merchantCategory &&
      payment.amount >= candidate.minAmount &&
      payment.amount < candidate.maxAmount
    ) {
      match = candidate;
    }
  }
  return match;
}

/** Fee of `amount` under `rule`: fixed + bps of the amount (rounded half up), clamped to [minFee, maxFee]. */
export function applyFeeRule(rule: FeeRule, amount: number): number {
  const proportional = Math.round((amount * rule.bps) / 10_000);
  return Math.min(rule.maxFee, Math.max(rule.minFee, rule.fixed + proportional));
}

/**
 * Fee for a payment. Throws FeeRuleNotFoundError when no rule covers it (amount ≤ 0 or ≥ MAX_AMOUNT,
 * unknown currency or category); validate input first to answer 400 instead.
 */
export function computeFee(payment: FeePayment, variant: DemoVariant = 'baseline'): FeeQuote {
  const rule = variant === 'regressed' ? findFeeRuleLinear(payment) : findFeeRuleIndexed(payment);
  if (rule === undefined || payment.amount <= 0 || !Number.isInteger(payment.amount)) {
    throw new FeeRuleNotFoundError(payment);
  }
  return { ruleId: rule.id, fee: applyFeeRule(rule, payment.amount), bps: rule.bps, fixed: rule.fixed };
}

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && (CURRENCIES as readonly string[]).includes(value);
}

export function isMerchantCategory(value: unknown): value is MerchantCategory {
  return typeof value === 'string' && (MERCHANT_CATEGORIES as readonly string[]).includes(value);
}
