// Small SVG charts for the HTML report, drawn as text: no library, no script, no network. Every mark
// carries a class (bar, range, trial, ci, curve) so tests can count them, a <title> for hover and
// assistive technology, and a shape as well as a colour (baseline circle, candidate square), so no
// meaning rests on colour alone. Pure.
import { html } from '../../util/markdown.ts';
import type { RequestBars } from '../model/chart.ts';

export interface SideValues {
  label: string;
  baseline: number[];
  candidate: number[];
}

export interface IntervalRow {
  label: string;
  /** Relative change and its interval (0.12 = +12 %). */
  estimate: number;
  lower: number;
  upper: number;
  /** The minimum effect that applied (relative, signed towards "worse"), when known. */
  minEffect: number | null;
  failing: boolean;
}

export interface Curve {
  label: string;
  baseline: Array<[number, number]>;
  candidate: Array<[number, number]>;
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} %`;
const LABEL_W = 200;
/** Row labels are cut to fit the label column; the mark's own title has the full text. */
const short = (s: string) => (s.length > 24 ? `${s.slice(0, 23)}…` : s);
const PLOT_W = 460;
const W = LABEL_W + PLOT_W + 90;

function svg(title: string, height: number, body: string[], desc?: string): string {
  return [
    `<svg class="chart" role="img" aria-label="${html(title)}" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${html(title)}</title>`,
    ...(desc ? [`<desc>${html(desc)}</desc>`] : []),
    ...body,
    '</svg>',
  ].join('\n');
}

/** A baseline circle or a candidate square at (x, y). */
function marker(side: 'baseline' | 'candidate', x: number, y: number, cls: string, title: string): string {
  const t = `<title>${html(title)}</title>`;
  return side === 'baseline'
    ? `<circle class="${cls} base" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4">${t}</circle>`
    : `<rect class="${cls} cand" x="${(x - 4).toFixed(1)}" y="${(y - 4).toFixed(1)}" width="8" height="8">${t}</rect>`;
}

function axis(top: number, y: number, unit: string): string[] {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const x = LABEL_W + f * PLOT_W;
    return `<line class="grid" x1="${x}" x2="${x}" y1="8" y2="${y}"/><text class="tick" x="${x}" y="${y + 14}" text-anchor="middle">${fmt(top * f)}${f === 1 ? ` ${unit}` : ''}</text>`;
  });
  return ticks;
}

/** Per request: baseline and candidate bars (median of the trials) with the trials' range. */
export function barsChart(title: string, bars: RequestBars[]): string {
  const top = Math.max(...bars.flatMap((b) => [b.baseline.high, b.candidate.high]), 1e-9) * 1.05;
  const x = (ms: number) => LABEL_W + (ms / top) * PLOT_W;
  const rowH = 44;
  const body: string[] = [];
  bars.forEach((b, i) => {
    const y0 = 10 + i * rowH;
    body.push(
      `<text class="label" x="${LABEL_W - 8}" y="${y0 + 20}" text-anchor="end">${html(short(b.request))}</text>`,
    );
    (['baseline', 'candidate'] as const).forEach((side, j) => {
      const s = b[side];
      const y = y0 + 4 + j * 18;
      const name = side === 'baseline' ? 'base' : 'cand';
      body.push(
        `<rect class="bar ${name}" x="${LABEL_W}" y="${y}" width="${Math.max(1, x(s.median) - LABEL_W).toFixed(1)}" height="14"><title>${html(`${b.request}, ${side}: median ${fmt(s.median)} ms over ${s.trials} trials`)}</title></rect>`,
        `<line class="range" x1="${x(s.low).toFixed(1)}" x2="${x(s.high).toFixed(1)}" y1="${y + 7}" y2="${y + 7}"><title>${html(`${side} trials from ${fmt(s.low)} to ${fmt(s.high)} ms`)}</title></line>`,
        `<text class="value" x="${(x(s.high) + 6).toFixed(1)}" y="${y + 11}">${name} ${fmt(s.median)} ms</text>`,
      );
    });
  });
  const height = 10 + bars.length * rowH + 24;
  return svg(title, height, [...axis(top, height - 22, 'ms'), ...body]);
}

/** Per request: every trial's value as a point, baseline (circles) above candidate (squares). */
export function stripChart(title: string, rows: SideValues[], unit: string): string {
  const top = Math.max(...rows.flatMap((r) => [...r.baseline, ...r.candidate]), 1e-9) * 1.05;
  const x = (v: number) => LABEL_W + (v / top) * PLOT_W;
  const rowH = 40;
  const body: string[] = [];
  rows.forEach((r, i) => {
    const y0 = 10 + i * rowH;
    body.push(
      `<text class="label" x="${LABEL_W - 8}" y="${y0 + 18}" text-anchor="end">${html(short(r.label))}</text>`,
    );
    r.baseline.forEach((v, k) =>
      body.push(
        marker('baseline', x(v), y0 + 8, 'trial', `${r.label}, baseline trial ${k + 1}: ${fmt(v)} ${unit}`),
      ),
    );
    r.candidate.forEach((v, k) =>
      body.push(
        marker(
          'candidate',
          x(v),
          y0 + 24,
          'trial',
          `${r.label}, candidate trial ${k + 1}: ${fmt(v)} ${unit}`,
        ),
      ),
    );
  });
  const height = 10 + rows.length * rowH + 24;
  return svg(title, height, [...axis(top, height - 22, unit), ...body]);
}

/** Per gating series: the change's interval against zero and the minimum effect. */
export function intervalChart(title: string, rows: IntervalRow[]): string {
  const ext = Math.max(
    0.05,
    ...rows.flatMap((r) => [Math.abs(r.lower), Math.abs(r.upper), Math.abs(r.minEffect ?? 0)]),
  );
  const lim = Math.min(ext * 1.1, 10);
  const x = (v: number) => LABEL_W + ((Math.max(-lim, Math.min(lim, v)) + lim) / (2 * lim)) * PLOT_W;
  const rowH = 26;
  const height = 10 + rows.length * rowH + 24;
  const body: string[] = [
    `<line class="zero" x1="${x(0)}" x2="${x(0)}" y1="4" y2="${height - 22}"/>`,
    `<text class="tick" x="${x(-lim)}" y="${height - 8}">${pct(-lim)}</text>`,
    `<text class="tick" x="${x(0)}" y="${height - 8}" text-anchor="middle">0</text>`,
    `<text class="tick" x="${x(lim)}" y="${height - 8}" text-anchor="end">${pct(lim)}</text>`,
  ];
  rows.forEach((r, i) => {
    const y = 10 + i * rowH + 10;
    body.push(
      `<text class="label" x="${LABEL_W - 8}" y="${y + 4}" text-anchor="end">${html(short(r.label))}</text>`,
    );
    if (r.minEffect !== null) {
      body.push(
        `<line class="min-effect" x1="${x(r.minEffect).toFixed(1)}" x2="${x(r.minEffect).toFixed(1)}" y1="${y - 9}" y2="${y + 9}"><title>minimum effect ${pct(r.minEffect)}</title></line>`,
      );
    }
    const cls = r.failing ? 'ci failing' : 'ci';
    body.push(
      `<line class="${cls}" x1="${x(r.lower).toFixed(1)}" x2="${x(r.upper).toFixed(1)}" y1="${y}" y2="${y}"><title>${html(`${r.label}: ${pct(r.estimate)} [${pct(r.lower)}, ${pct(r.upper)}]`)}</title></line>`,
      `<circle class="estimate" cx="${x(r.estimate).toFixed(1)}" cy="${y}" r="3.5"/>`,
      `<text class="value" x="${W - 4}" y="${y + 4}" text-anchor="end">${pct(r.estimate)}${r.failing ? ' ✗' : ''}</text>`,
    );
  });
  return svg(title, height, body);
}

/** Latency at each percentile for both sides; x is the percentile on a "nines" scale (log of 1 − p). */
export function curveChart(title: string, curve: Curve): string {
  const height = 220;
  const all = [...curve.baseline, ...curve.candidate].map(([, v]) => v);
  const top = Math.max(...all, 1e-9) * 1.05;
  const nines = (p: number) => -Math.log10(Math.max(1 - p / 100, 0.0001));
  const maxN = nines(99.99);
  const x = (p: number) => 50 + (nines(p) / maxN) * (W - 110);
  const y = (v: number) => height - 30 - (v / top) * (height - 50);
  const body: string[] = [
    `<line class="grid" x1="50" x2="${W - 60}" y1="${height - 30}" y2="${height - 30}"/>`,
    `<text class="tick" x="46" y="${y(top / 1.05) + 4}" text-anchor="end">${fmt(top / 1.05)} ms</text>`,
    `<text class="tick" x="46" y="${height - 26}" text-anchor="end">0</text>`,
  ];
  for (const p of [50, 90, 99, 99.9]) {
    body.push(
      `<text class="tick" x="${x(p).toFixed(1)}" y="${height - 12}" text-anchor="middle">p${p}</text>`,
    );
  }
  (['baseline', 'candidate'] as const).forEach((side) => {
    const pts = curve[side].filter(([p]) => p < 100);
    if (!pts.length) return;
    const cls = side === 'baseline' ? 'base' : 'cand';
    body.push(
      `<polyline class="curve ${cls}" fill="none" points="${pts.map(([p, v]) => `${x(p).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const [p, v] of pts) body.push(marker(side, x(p), y(v), 'point', `${side} p${p}: ${fmt(v)} ms`));
  });
  return svg(title, height, body);
}

export interface Trend {
  /** Main-branch values, oldest first, in the display unit. */
  values: number[];
  /** One label per value (its commit). */
  labels: string[];
  /** This change's value, drawn apart as a square; null when it has none. */
  candidate: number | null;
  unit: string;
}

/**
 * A series' last main-branch values as a line of circles, then this change's value as a square set
 * apart on the right (shape and a dashed link, not colour alone). The y axis starts at zero, as the
 * comment's chart does, so a small creep is not drawn as a cliff.
 */
export function trendChart(title: string, desc: string, t: Trend): string {
  const height = 180;
  const left = 70;
  const right = W - 90;
  const slots = t.values.length + (t.candidate === null ? 0 : 1.5);
  const x = (i: number) => left + (slots <= 1 ? 0 : (i / (slots - 1)) * (right - left));
  const top = Math.max(...t.values, t.candidate ?? 0, 1e-9) * 1.1;
  const y = (v: number) => height - 36 - (v / top) * (height - 56);
  const body: string[] = [
    `<line class="grid" x1="${left}" x2="${right}" y1="${height - 36}" y2="${height - 36}"/>`,
    `<text class="tick" x="${left - 8}" y="${y(top / 1.1) + 4}" text-anchor="end">${fmt(top / 1.1)} ${html(t.unit)}</text>`,
    `<text class="tick" x="${left - 8}" y="${height - 32}" text-anchor="end">0</text>`,
  ];
  const first = t.labels[0];
  const last = t.labels.at(-1);
  if (first !== undefined)
    body.push(`<text class="tick" x="${x(0)}" y="${height - 18}">${html(first.slice(0, 7))}</text>`);
  if (last !== undefined && t.values.length > 1)
    body.push(
      `<text class="tick" x="${x(t.values.length - 1)}" y="${height - 18}" text-anchor="end">${html(last.slice(0, 7))}</text>`,
    );
  const pts = t.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  if (pts.length > 1) body.push(`<polyline class="trend-line" fill="none" points="${pts.join(' ')}"/>`);
  t.values.forEach((v, i) =>
    body.push(
      `<circle class="hist base" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5"><title>${html(`main ${t.labels[i] ?? ''}: ${fmt(v)} ${t.unit}`)}</title></circle>`,
    ),
  );
  if (t.candidate !== null) {
    const cx = x(slots - 1);
    const cy = y(t.candidate);
    if (t.values.length) {
      const n = t.values.length - 1;
      body.push(
        `<line class="trend-link" x1="${x(n).toFixed(1)}" y1="${y(t.values[n]!).toFixed(1)}" x2="${cx.toFixed(1)}" y2="${cy.toFixed(1)}"/>`,
      );
    }
    body.push(
      `<rect class="hist cand" x="${(cx - 5).toFixed(1)}" y="${(cy - 5).toFixed(1)}" width="10" height="10"><title>${html(`candidate (this change): ${fmt(t.candidate)} ${t.unit}`)}</title></rect>`,
      `<text class="tick" x="${cx.toFixed(1)}" y="${height - 18}" text-anchor="middle">candidate</text>`,
      `<text class="value" x="${(cx + 9).toFixed(1)}" y="${(cy + 4).toFixed(1)}">${fmt(t.candidate)}</text>`,
    );
  }
  return svg(title, height, body, desc);
}
