/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The HTML report and the rendered PR comment, loaded in a real headless Chromium (@sparticuz/chromium
// ships the browser inside the package: no download, no network). Checks what a reader would see: no
// console errors, no request leaving the page, the charts drawn with one mark per value, the text
// present, hostile names inert. Screenshots go to test-artifacts/ (gitignored) for a human look.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import chromium from '@sparticuz/chromium';
import { marked } from 'marked';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare.ts';
import { createReportJson, renderReport, type RenderedReport } from '../../src/report/report.ts';
import { loadTemplates } from '../../src/report/templates.ts';
import { createRng } from '../../src/stats/index.ts';
import { decide } from '../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

const ARTIFACTS = path.resolve('test-artifacts/report');
const MERMAID = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
const HOSTILE = 'orders <img src=x onerror=alert(1)>';
const TRIALS = 8;
const REQUESTS = ['health', 'quote', HOSTILE];
/** The base branch's last p95 values of the regressed request (µs), as the history store reports them. */
const MAIN_P95 = [5_000, 5_100, 5_050, 5_300, 5_200, 5_400];

function trials(ms: number, seed: number, factor = 1): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: TRIALS }, () =>
    Array.from({ length: 200 }, () => ms * factor * (0.9 + 0.2 * rng())),
  );
}

function rendered(): RenderedReport {
  const side = (label: string, seed: number, slow: number) =>
    syntheticRun(
      [
        syntheticScenario(
          'shop',
          REQUESTS.map((name, i) => ({ name, trialsMs: trials(2 + 3 * i, seed + i, i === 1 ? slow : 1) })),
        ),
      ],
      label,
    );
  const baseline = side('baseline', 1, 1);
  const candidate = side('candidate', 50, 1.8);
  const comparison = compareRuns(baseline, candidate, { mode: 'stored' });
  const report = createReportJson({
    verdict: decide(comparison, { thresholds: DEFAULT_THRESHOLDS }),
    comparison,
    candidate,
    baseline,
    context: {
      branch: 'feature/slow-quote',
      baseBranch: 'main',
      runUrl: 'https://github.com/o/r/actions/runs/1',
    },
    generatedAt: '2026-12-07T00:00:00Z',
    history: {
      runs: MAIN_P95.length,
      changePoints: [],
      creep: [{ label: 'shop/quote p95', text: 'shop/quote p95 crept up 8 % over 6 runs', commits: [] }],
      trends: [
        {
          label: `shop/${HOSTILE} p95`,
          metric: 'p95',
          values: MAIN_P95,
          commits: MAIN_P95.map((_, i) => `c0ffee${i}`),
          candidate: 9_000,
        },
      ],
      notes: [],
    },
  });
  return renderReport(report, loadTemplates(), { htmlReport: '.perf-gate/report.html' });
}

let browser: Browser;
let report: RenderedReport;

/** A page that records console errors, uncaught errors and every request other than the page itself. */
async function openPage(): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
    void r.abort();
  });
  await page.setViewport({ width: 1000, height: 800 });
  return { page, errors, requests };
}

beforeAll(async () => {
  report = rendered();
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await puppeteer.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
  });
});

afterAll(async () => {
  await browser?.close();
});

describe('reports in a real browser', () => {
  it('the HTML report draws every chart offline, with no error, in light and dark themes', async () => {
    const { page, errors, requests } = await openPage();
    await page.setContent(report.html, { waitUntil: 'load' });
    const count = (sel: string) => page.$$eval(sel, (els) => els.length);

    expect(await page.$eval('h1', (h) => h.textContent)).toContain('Failed: performance regression');
    // p95 bars: baseline and candidate per request, each with its trials' range.
    expect(await count('svg .bar.base')).toBe(REQUESTS.length);
    expect(await count('svg .bar.cand')).toBe(REQUESTS.length);
    expect(await count('svg .range')).toBe(2 * REQUESTS.length);
    // Strip plot: one mark per trial, circles for the baseline and squares for the candidate.
    expect(await count('svg circle.trial.base')).toBe(TRIALS * REQUESTS.length);
    expect(await count('svg rect.trial.cand')).toBe(TRIALS * REQUESTS.length);
    // Distributions: one curve per side and request; the interval chart has one interval per gating
    // ratio series (p95 per request and throughput), the regressed one marked as failing.
    expect(await count('svg polyline.curve')).toBe(2 * REQUESTS.length);
    expect(await count('svg .ci')).toBe(REQUESTS.length + 1);
    expect(await count('svg .ci.failing')).toBe(1);
    // History: one circle per main-branch value and one square for the candidate, in a described figure.
    expect(await page.$eval('#history', (h) => h.textContent)).toBe('Base branch history');
    expect(await count('figure svg circle.hist.base')).toBe(MAIN_P95.length);
    expect(await count('figure svg rect.hist.cand')).toBe(1);
    expect(await count('figure svg.chart > desc')).toBe(1);
    const boxes = await page.$$eval('figure svg .hist', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { cand: e.classList.contains('cand'), x: r.x, w: r.width, h: r.height };
      }),
    );
    // Drawn, and the candidate set apart to the right of main's values.
    for (const b of boxes) expect(b.w * b.h).toBeGreaterThan(0);
    const square = boxes.find((b) => b.cand)!;
    for (const b of boxes.filter((x) => !x.cand)) expect(b.x + b.w).toBeLessThan(square.x);
    // Accessible: every chart is a labelled image and every table has column headers.
    expect(await count('svg.chart:not([role="img"][aria-label])')).toBe(0);
    expect(await count('table:not(:has(th[scope="col"]))')).toBe(0);
    // The hostile name is text, not an element.
    expect(await count('main img, main script')).toBe(0);
    expect(await page.$eval('main', (m) => m.textContent)).toContain(HOSTILE);

    expect(await page.$eval('svg text.label', (t) => getComputedStyle(t).fill)).toBe('rgb(31, 35, 40)');
    await writeFile(path.join(ARTIFACTS, 'report.html'), report.html);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-light.png'), fullPage: true });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    expect(await page.$eval('body', (b) => getComputedStyle(b).backgroundColor)).toBe('rgb(13, 17, 23)');
    // Chart text follows the theme (light on dark), so labels stay readable.
    expect(await page.$eval('svg text.label', (t) => getComputedStyle(t).fill)).toBe('rgb(230, 237, 243)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-dark.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('the comment renders as GFM with its Mermaid chart: two bars per request, side by side', async () => {
    const { page, errors, requests } = await openPage();
    const body = marked.parse(report.comment, { gfm: true, async: false });
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`,
    );
    await page.addScriptTag({ path: MERMAID });
    await page.evaluate(async () => {
      const m = (
        globalThis as unknown as { mermaid: { initialize(o: object): void; run(o: object): Promise<void> } }
      ).mermaid;
      for (const code of document.querySelectorAll('code.language-mermaid')) {
        const div = document.createElement('div');
        div.className = 'mermaid';
        div.textContent = code.textContent;
        code.parentElement!.replaceWith(div);
      }
      for (const d of document.querySelectorAll('details')) d.open = true;
      m.initialize({ startOnLoad: false });
      await m.run({ querySelector: '.mermaid' });
    });
    const bars = await page.$$eval('.mermaid svg .bar-plot-0 rect', (rects) =>
      rects.map((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x, y: r.y, w: r.width, h: r.height };
      }),
    );
    expect(bars).toHaveLength(2 * REQUESTS.length);
    // Side by side: no bar covers another (the old chart drew both series at the same position).
    const overlap = (a: (typeof bars)[0], b: (typeof bars)[0]) =>
      a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
    for (const [i, a] of bars.entries()) for (const b of bars.slice(i + 1)) expect(overlap(a, b)).toBe(false);
    const text = await page.$eval('body', (b) => b.textContent ?? '');
    expect(text).toContain('Performance gate failed');
    expect(text).toContain('report.html');
    expect(text).toContain(HOSTILE);
    expect(await page.$$eval('body img, body script:not([src])', (e) => e.length)).toBe(0);
    // Every table row has as many cells as its header.
    const shapes = await page.$$eval('table', (ts) =>
      ts.map((t) => [...t.querySelectorAll('tr')].map((r) => r.children.length)),
    );
    for (const rows of shapes) expect(new Set(rows).size).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'comment.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
