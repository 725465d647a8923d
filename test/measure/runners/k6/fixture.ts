// The real k6 run (test/fixtures/k6/README.md) and its raw http_req_duration Points, read independently
// of the parser under test.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = fileURLToPath(new URL('../../../fixtures/k6/', import.meta.url));
export const REAL_RUN = `${FIXTURE_DIR}out-json.real-run.k6-v0.46.ndjson`;
export const FAKE_K6 = `${FIXTURE_DIR}fake-k6.mjs`;
export const FAKE_KUBECTL = `${FIXTURE_DIR}fake-kubectl.mjs`;

export interface RawPoint {
  name: string;
  status: number;
  ms: number;
  time: string;
}

export function realRunText(): string {
  return readFileSync(REAL_RUN, 'utf8');
}

export function rawDurations(text = realRunText()): RawPoint[] {
  const points: RawPoint[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const parsed = JSON.parse(line) as {
      type: string;
      metric: string;
      data: { time: string; value: number; tags: Record<string, string> };
    };
    if (parsed.type !== 'Point' || parsed.metric !== 'http_req_duration') continue;
    const tags = parsed.data.tags;
    points.push({
      name: tags.name ?? '',
      status: Number(tags.status),
      ms: parsed.data.value,
      time: parsed.data.time,
    });
  }
  return points;
}

/** Type-7 quantile (linear interpolation at p(n-1)), what k6 reports. */
export function type7(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Nearest rank (the value at rank ceil(p n)), what an HdrHistogram percentile approximates. */
export function nearestRank(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}
