import { describe, it, expect } from 'vitest';
import { benjaminiHochbergAdjust, holmAdjust } from '../../src/stats/adjust.ts';
import { createRng } from '../../src/stats/rng.ts';

// Benjamini & Hochberg (1995), §4 example (also scipy.stats.false_discovery_control docs): 15 p-values from a
// thrombolysis trial (Neuhaus et al. 1992).
const bh1995 = [
  0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528,
  0.759, 1.0,
];

/** Holm adjusted p by its definition: max over j ≤ i (in sorted order) of min(1, (m - j + 1) p(j)). O(m²). */
function holmByDefinition(p: number[]): number[] {
  const m = p.length;
  return p.map((pi, i) => {
    // rank of i among the p-values (ties broken by index, as a stable sort)
    const rankOf = (k: number): number => p.filter((v, j) => v < p[k]! || (v === p[k]! && j < k)).length;
    const ri = rankOf(i);
    let best = 0;
    for (let k = 0; k < m; k++) {
      const rk = rankOf(k);
      if (rk <= ri) best = Math.max(best, Math.min(1, (m - rk) * p[k]!));
    }
    void pi;
    return best;
  });
}

/** BH adjusted p by its definition: min over j ≥ i (in sorted order) of min(1, m p(j) / j). O(m²). */
function bhByDefinition(p: number[]): number[] {
  const m = p.length;
  const rankOf = (k: number): number => p.filter((v, j) => v < p[k]! || (v === p[k]! && j < k)).length;
  return p.map((_, i) => {
    const ri = rankOf(i);
    let best = 1;
    for (let k = 0; k < m; k++) {
      const rk = rankOf(k);
      if (rk >= ri) best = Math.min(best, (m * p[k]!) / (rk + 1));
    }
    return best;
  });
}

describe('holmAdjust', () => {
  it('Wikipedia "Holm–Bonferroni method" example: p = (0.01, 0.04, 0.03, 0.005) at α = 0.05 rejects H1 and H4 only', () => {
    const adj = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    expect(adj.map((v) => v <= 0.05)).toEqual([true, false, false, true]);
    // adjusted values from the definition: 4·0.005, 3·0.01, 2·0.03 (carried), 0.06 (monotone)
    expect(adj[0]).toBeCloseTo(0.03, 15);
    expect(adj[1]).toBeCloseTo(0.06, 15);
    expect(adj[2]).toBeCloseTo(0.06, 15);
    expect(adj[3]).toBeCloseTo(0.02, 15);
  });

  it('Benjamini & Hochberg (1995) example: the Bonferroni-type (Holm) procedure rejects only the 3 smallest of 15 at 0.05', () => {
    const adj = holmAdjust(bh1995);
    expect(adj.filter((v) => v <= 0.05)).toHaveLength(3);
    expect(adj.slice(0, 3).every((v) => v <= 0.05)).toBe(true);
  });

  it('matches the O(m²) definition on random families with ties, and is monotone, ≥ raw and ≤ 1', () => {
    const rng = createRng(17);
    for (let t = 0; t < 30; t++) {
      const m = 1 + Math.floor(rng() * 25);
      const p = Array.from({ length: m }, () => Math.round(rng() ** 2 * 100) / 100); // rounding makes ties
      const adj = holmAdjust(p);
      const ref = holmByDefinition(p);
      adj.forEach((v, i) => {
        expect(v).toBeCloseTo(ref[i]!, 14);
        expect(v).toBeGreaterThanOrEqual(p[i]!);
        expect(v).toBeLessThanOrEqual(1);
        adj.forEach((w, j) => {
          if (p[i]! < p[j]!) expect(v).toBeLessThanOrEqual(w);
          if (p[i]! === p[j]!) expect(v).toBe(w);
        });
      });
    }
  });
});

describe('benjaminiHochbergAdjust', () => {
  it('Benjamini & Hochberg (1995) example, as printed by scipy.stats.false_discovery_control: 4 rejections at q = 0.05', () => {
    const expected = [
      0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714, 0.06385714, 0.0645, 0.0765, 0.486, 0.58118182,
      0.714875, 0.75323077, 0.81321429, 1.0,
    ];
    const adj = benjaminiHochbergAdjust(bh1995);
    adj.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 8));
    expect(adj.filter((v) => v <= 0.05)).toHaveLength(4);
  });

  it('scipy.stats.false_discovery_control docs: [0.5, 0.6, 0.1, 0.001] → [0.6, 0.6, 0.2, 0.004] (input order kept)', () => {
    const adj = benjaminiHochbergAdjust([0.5, 0.6, 0.1, 0.001]);
    [0.6, 0.6, 0.2, 0.004].forEach((e, i) => expect(adj[i]).toBeCloseTo(e, 15));
  });

  it('matches the O(m²) definition on random families with ties, is monotone, ≥ raw, ≤ 1 and ≤ Holm', () => {
    const rng = createRng(23);
    for (let t = 0; t < 30; t++) {
      const m = 1 + Math.floor(rng() * 25);
      const p = Array.from({ length: m }, () => Math.round(rng() ** 2 * 100) / 100);
      const adj = benjaminiHochbergAdjust(p);
      const ref = bhByDefinition(p);
      const holm = holmAdjust(p);
      adj.forEach((v, i) => {
        expect(v).toBeCloseTo(ref[i]!, 14);
        expect(v).toBeGreaterThanOrEqual(p[i]!);
        expect(v).toBeLessThanOrEqual(1);
        expect(v).toBeLessThanOrEqual(holm[i]! + 1e-15);
        adj.forEach((w, j) => {
          if (p[i]! < p[j]!) expect(v).toBeLessThanOrEqual(w);
        });
      });
    }
  });

  it('controls the family-wise error under the global null (A/A): P(min adjusted ≤ 0.05) ≈ 0.05 (2000 families of 10)', () => {
    const rng = createRng(31);
    const sims = 2000;
    let holmHits = 0;
    let bhHits = 0;
    for (let s = 0; s < sims; s++) {
      const p = Array.from({ length: 10 }, () => rng());
      if (Math.min(...holmAdjust(p)) <= 0.05) holmHits++;
      if (Math.min(...benjaminiHochbergAdjust(p)) <= 0.05) bhHits++;
    }
    // Under independence both equal P(min p ≤ 0.05/10) = 1 - 0.995^10 ≈ 0.0489 (BH's FDR = FWER here).
    const expected = 1 - 0.995 ** 10;
    const sd = Math.sqrt((expected * (1 - expected)) / sims);
    expect(Math.abs(holmHits / sims - expected)).toBeLessThan(4 * sd);
    expect(Math.abs(bhHits / sims - expected)).toBeLessThan(4 * sd);
  });
});

describe('adjustment input validation', () => {
  it('returns [] for an empty family and rejects NaN or values outside [0, 1]', () => {
    expect(holmAdjust([])).toEqual([]);
    expect(benjaminiHochbergAdjust([])).toEqual([]);
    for (const bad of [[0.1, Number.NaN], [1.2], [-0.01], [Infinity]]) {
      expect(() => holmAdjust(bad)).toThrow(RangeError);
      expect(() => benjaminiHochbergAdjust(bad)).toThrow(RangeError);
    }
    expect(holmAdjust([0.2])).toEqual([0.2]);
  });
});
