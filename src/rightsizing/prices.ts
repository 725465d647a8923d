// Price tables: the shipped, dated on-demand prices (prices/*.json, every row with its source URL and
// date) and the schema a user-supplied table must follow. Pure: the caller reads a user file and passes
// the parsed JSON to validatePriceTable().
import { z } from 'zod';
import awsTable from './prices/aws.json' with { type: 'json' };
import azureTable from './prices/azure.json' with { type: 'json' };
import gcpTable from './prices/gcp.json' with { type: 'json' };

/** Monthly cost convention of the cloud price pages: 730 hours. */
export const HOURS_PER_MONTH = 730;

export const PROVIDERS = ['aws', 'gcp', 'azure'] as const;
export type Provider = (typeof PROVIDERS)[number];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .meta({ description: 'Date the price was valid (YYYY-MM-DD).' });

export const InstancePriceSchema = z
  .object({
    type: z.string().min(1).meta({ description: 'Instance type / machine type / VM size, e.g. c7i.large.' }),
    family: z
      .string()
      .min(1)
      .meta({ description: 'Family used to filter candidates, e.g. c7i, n2-standard, Dsv5.' }),
    vcpu: z.number().positive().meta({ description: 'vCPUs.' }),
    memoryGiB: z.number().positive().meta({ description: 'Memory in GiB.' }),
    hourlyUsd: z.number().positive().meta({ description: 'On-demand price per hour.' }),
    source: z.url().meta({ description: 'Where this price comes from.' }),
    date: isoDate,
    burstable: z
      .object({
        baselinePerVcpu: z.number().gt(0).max(1).nullable().meta({
          description: 'Sustained CPU share per vCPU (0.3 = 30 %); null when unknown (never recommended).',
        }),
        verified: z.boolean(),
        note: z.string().optional(),
      })
      .strict()
      .optional()
      .meta({ description: 'Present for burstable / shared-core types.' }),
  })
  .strict();

export const PriceTableSchema = z
  .object({
    provider: z.string().min(1).meta({ description: 'aws, gcp, azure, or any name for a custom table.' }),
    region: z.string().min(1),
    currency: z.literal('USD'),
    pricing: z.string().min(1).meta({ description: 'What kind of price, e.g. "on-demand, Linux, hourly".' }),
    generatedAt: isoDate,
    notes: z.array(z.string()).default([]),
    instances: z.array(InstancePriceSchema).min(1),
  })
  .strict();

export type InstancePrice = z.infer<typeof InstancePriceSchema>;
export type PriceTable = z.infer<typeof PriceTableSchema>;

export type PriceTableValidation =
  { ok: true; table: PriceTable; warnings: string[] } | { ok: false; errors: string[] };

/**
 * Problems that make a row implausible though well-formed: a price that does not rise with size inside
 * a family (a sign of an overwritten row, as the reference found in one generated Azure file).
 */
export function priceTableWarnings(table: PriceTable): string[] {
  const warnings: string[] = [];
  const byFamily = new Map<string, InstancePrice[]>();
  for (const row of table.instances) {
    const list = byFamily.get(row.family) ?? [];
    list.push(row);
    byFamily.set(row.family, list);
  }
  for (const [family, rows] of byFamily) {
    const sorted = [...rows].sort((a, b) => a.vcpu - b.vcpu || a.memoryGiB - b.memoryGiB);
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1]!;
      const b = sorted[i]!;
      const bigger =
        b.vcpu >= a.vcpu && b.memoryGiB >= a.memoryGiB && (b.vcpu > a.vcpu || b.memoryGiB > a.memoryGiB);
      if (bigger && !(b.hourlyUsd > a.hourlyUsd)) {
        warnings.push(
          `family ${family}: ${b.type} (${b.vcpu} vCPU, ${b.memoryGiB} GiB) costs $${b.hourlyUsd}/h, ` +
            `not more than the smaller ${a.type} ($${a.hourlyUsd}/h)`,
        );
      }
    }
  }
  return warnings;
}

/** Validates a parsed price-table JSON (a user's override or a shipped file). No I/O. */
export function validatePriceTable(data: unknown): PriceTableValidation {
  const parsed = PriceTableSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
    };
  }
  const table = parsed.data;
  const seen = new Set<string>();
  const errors: string[] = [];
  for (const row of table.instances) {
    if (seen.has(row.type)) errors.push(`instances: ${row.type} appears twice`);
    seen.add(row.type);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, table, warnings: priceTableWarnings(table) };
}

function shipped(data: unknown, name: string): PriceTable {
  const v = validatePriceTable(data);
  if (!v.ok) throw new Error(`shipped price table ${name} is invalid: ${v.errors.join('; ')}`);
  return v.table;
}

/** The shipped tables, validated once at load. */
export const SHIPPED_PRICE_TABLES: Readonly<Record<Provider, PriceTable>> = {
  aws: shipped(awsTable, 'aws.json'),
  gcp: shipped(gcpTable, 'gcp.json'),
  azure: shipped(azureTable, 'azure.json'),
};

/** D-A's default AWS candidates (burstable, general, compute, memory); other providers: every row. */
export const DEFAULT_FAMILIES: Readonly<Record<Provider, readonly string[] | undefined>> = {
  aws: ['t3', 'm7i', 'c7i', 'r6i'],
  gcp: undefined,
  azure: undefined,
};

export function monthlyUsd(hourlyUsd: number): number {
  return Math.round(hourlyUsd * HOURS_PER_MONTH * 100) / 100;
}
