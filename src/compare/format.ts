// Number formatting for verdict messages, terminal tables and the report model. Pure.
import type { ChangeEstimate } from './types.ts';
import type { MetricUnit } from './metrics.ts';

export function formatValue(unit: MetricUnit, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  if (unit === 'us') {
    const ms = value / 1000;
    return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
  }
  if (unit === 'fraction') return `${(value * 100).toFixed(2)} %`;
  if (unit === 'ms') return `${value.toFixed(3)} ms`;
  if (unit === 'cores') return `${value.toFixed(2)} cores`;
  if (unit === 'bytes') return `${(value / 1024 ** 2).toFixed(1)} MiB`;
  return `${value.toFixed(1)}/s`;
}

export function formatChange(c: ChangeEstimate | null): { change: string; ci: string } {
  if (!c) return { change: 'n/a', ci: '' };
  const f =
    c.scale === 'ratio'
      ? (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} %`
      : (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)} pp`;
  return { change: f(c.estimate), ci: `[${f(c.lower)}, ${f(c.upper)}]` };
}

/** One line, for the terminal and verdict messages: "+12.3% [+8.1%, +16.0%]" or "+0.50pp [...]". */
export function formatChangeInline(c: ChangeEstimate): string {
  const f =
    c.scale === 'ratio'
      ? (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`
      : (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}pp`;
  return `${f(c.estimate)} [${f(c.lower)}, ${f(c.upper)}]`;
}

export function formatP(p: number | null): string {
  if (p === null) return 'n/a';
  if (p < 0.0001) return p.toExponential(1);
  return p < 0.01 ? p.toFixed(4) : p.toFixed(3);
}
