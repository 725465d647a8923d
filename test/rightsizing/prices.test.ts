import { describe, expect, it } from 'vitest';
import {
  HOURS_PER_MONTH,
  PROVIDERS,
  SHIPPED_PRICE_TABLES,
  monthlyUsd,
  priceTableWarnings,
  validatePriceTable,
  type PriceTable,
} from '../../src/rightsizing/prices.ts';

describe('shipped price tables', () => {
  it.each(PROVIDERS)(
    '%s: valid, dated, every row with a source URL and a date, prices rising within a family',
    (p) => {
      const table = SHIPPED_PRICE_TABLES[p];
      expect(validatePriceTable(table)).toEqual({ ok: true, table, warnings: [] });
      expect(table.instances.length).toBeGreaterThanOrEqual(10);
      for (const row of table.instances) {
        expect(row.source, row.type).toMatch(
          /^https:\/\/github\.com\/[^/]+\/karpenter-provider-[a-z]+\/blob\/[0-9a-f]{7,40}\//,
        );
        expect(row.date, row.type).toBe(table.generatedAt);
      }
    },
  );

  it('carries the reference A7 figures (spot checks across providers and families)', () => {
    const price = (p: keyof typeof SHIPPED_PRICE_TABLES, type: string) =>
      SHIPPED_PRICE_TABLES[p].instances.find((r) => r.type === type);
    expect(price('aws', 't3.medium')).toMatchObject({ vcpu: 2, memoryGiB: 4, hourlyUsd: 0.0416 });
    expect(price('aws', 'c7i.large')).toMatchObject({ vcpu: 2, memoryGiB: 4, hourlyUsd: 0.08925 });
    expect(price('aws', 'm7i.4xlarge')).toMatchObject({ vcpu: 16, memoryGiB: 64, hourlyUsd: 0.8064 });
    expect(price('aws', 'r6i.4xlarge')).toMatchObject({ vcpu: 16, memoryGiB: 128, hourlyUsd: 1.008 });
    expect(price('gcp', 'e2-highcpu-2')).toMatchObject({ vcpu: 2, memoryGiB: 2, hourlyUsd: 0.04947 });
    expect(price('gcp', 'n2-standard-16')).toMatchObject({ vcpu: 16, memoryGiB: 64, hourlyUsd: 0.776944 });
    expect(price('azure', 'Standard_D16s_v5')).toMatchObject({ vcpu: 16, memoryGiB: 64, hourlyUsd: 0.768 });
    expect(price('azure', 'Standard_E4s_v5')).toMatchObject({ vcpu: 4, memoryGiB: 32, hourlyUsd: 0.252 });
    // The reference's overwritten row is not shipped.
    expect(price('azure', 'Standard_D2as_v5')).toBeUndefined();
    expect(SHIPPED_PRICE_TABLES.aws.generatedAt).toBe('2026-07-20');
    expect(SHIPPED_PRICE_TABLES.gcp.generatedAt).toBe('2026-08-03');
    expect(SHIPPED_PRICE_TABLES.azure.generatedAt).toBe('2026-06-18');
  });

  it('marks burstable types, with a baseline only where one is recorded', () => {
    const t3 = SHIPPED_PRICE_TABLES.aws.instances.filter((r) => r.family === 't3');
    expect(t3.map((r) => [r.type, r.burstable?.baselinePerVcpu])).toEqual([
      ['t3.medium', 0.2],
      ['t3.large', 0.3],
      ['t3.xlarge', 0.4],
      ['t3.2xlarge', 0.4],
    ]);
    expect(
      SHIPPED_PRICE_TABLES.gcp.instances.find((r) => r.type === 'e2-medium')?.burstable?.baselinePerVcpu,
    ).toBeNull();
    expect(
      SHIPPED_PRICE_TABLES.azure.instances.find((r) => r.type === 'Standard_B2s')?.burstable?.baselinePerVcpu,
    ).toBeNull();
  });

  it('monthly cost is hourly × 730', () => {
    expect(HOURS_PER_MONTH).toBe(730);
    expect(monthlyUsd(0.08925)).toBe(65.15);
    expect(monthlyUsd(0.8064)).toBe(588.67);
  });
});

describe('validatePriceTable (user-supplied tables)', () => {
  const good: PriceTable = {
    provider: 'hetzner',
    region: 'fsn1',
    currency: 'USD',
    pricing: 'on-demand, hourly',
    generatedAt: '2026-09-01',
    notes: [],
    instances: [
      {
        type: 'cx22',
        family: 'cx',
        vcpu: 2,
        memoryGiB: 4,
        hourlyUsd: 0.006,
        source: 'https://example.com/p',
        date: '2026-09-01',
      },
      {
        type: 'cx32',
        family: 'cx',
        vcpu: 4,
        memoryGiB: 8,
        hourlyUsd: 0.011,
        source: 'https://example.com/p',
        date: '2026-09-01',
      },
    ],
  };

  it('accepts a well-formed table and defaults notes', () => {
    const { notes: _notes, ...withoutNotes } = good;
    const v = validatePriceTable(withoutNotes);
    expect(v).toEqual({ ok: true, table: good, warnings: [] });
  });

  it('lists every problem with its path', () => {
    const v = validatePriceTable({
      ...good,
      generatedAt: '1 Sept 2026',
      instances: [{ ...good.instances[0], source: 'not a url', hourlyUsd: -1, extra: 1 }],
    });
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.errors.some((e) => e.startsWith('generatedAt: expected a date as YYYY-MM-DD'))).toBe(true);
    expect(v.errors.some((e) => e.startsWith('instances.0.source'))).toBe(true);
    expect(v.errors.some((e) => e.startsWith('instances.0.hourlyUsd'))).toBe(true);
    expect(v.errors.some((e) => e.startsWith('instances.0') && /extra/.test(e))).toBe(true);
  });

  it('refuses a duplicated type and a non-USD currency', () => {
    const dup = validatePriceTable({ ...good, instances: [good.instances[0], good.instances[0]] });
    expect(dup).toEqual({ ok: false, errors: ['instances: cx22 appears twice'] });
    expect(validatePriceTable({ ...good, currency: 'EUR' }).ok).toBe(false);
  });

  it('warns when a bigger size in a family is not dearer (an overwritten row)', () => {
    // The reference's Azure case: D2as_v5 listed at 0.178, above D4as_v5 at 0.172.
    const bad: PriceTable = {
      ...good,
      instances: [
        {
          ...good.instances[0]!,
          type: 'Standard_D2as_v5',
          family: 'Dasv5',
          vcpu: 2,
          memoryGiB: 8,
          hourlyUsd: 0.178,
        },
        {
          ...good.instances[0]!,
          type: 'Standard_D4as_v5',
          family: 'Dasv5',
          vcpu: 4,
          memoryGiB: 16,
          hourlyUsd: 0.172,
        },
      ],
    };
    expect(priceTableWarnings(bad)).toEqual([
      'family Dasv5: Standard_D4as_v5 (4 vCPU, 16 GiB) costs $0.172/h, not more than the smaller Standard_D2as_v5 ($0.178/h)',
    ]);
    const v = validatePriceTable(bad);
    expect(v.ok && v.warnings.length).toBe(1);
  });
});
