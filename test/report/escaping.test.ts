// Hostile names (HTML, Markdown, table pipes, @team, backticks, javascript: links, bidi controls,
// terminal escapes, 10,000 characters) render inert and bounded: in the comment's Markdown (mdCell, the
// strictest context: inline text plus table pipes),
// for non-string fields (mdInt, mdNumber, mdEnum) and on the terminal (terminalText, the comparison table).
import { describe, expect, it } from 'vitest';
import { comparisonTable, verdictText } from '../../src/report/comparison-table.ts';
import {
  MAX_NAME_CHARS,
  mdCell,
  mdCellName,
  mdEnum,
  mdInt,
  mdNumber,
  terminalText,
} from '../../src/util/markdown.ts';
import { compareRuns } from '../../src/compare/compare.ts';
import { decide } from '../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderReport } from '../../src/report/report.ts';
import { loadTemplates } from '../../src/report/templates.ts';
import type { ReportJson } from '../../src/report/model/report-json.ts';

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '[click](javascript:alert(1))',
  '| a | b |',
  '@acme/owners',
  '`rm -rf`',
  '\u202egnp.exe\u202c',
  '\u2066isolate\u2069',
  '\u001b[2J\u001b[31mred',
  '${{ secrets.TOKEN }}',
];

describe('mdCell, with and without the name bound', () => {
  it('leave no HTML, link, mention, table break or bidi control', () => {
    for (const h of HOSTILE) {
      const out = mdCell(h);
      expect(out).not.toMatch(/<[a-z]/i);
      expect(out).not.toMatch(/(?<!\\)\]\(/);
      expect(out).not.toMatch(/(?<!\\)\|/);
      expect(out).not.toMatch(/@(?!\u200b)/);
      // eslint-disable-next-line no-control-regex
      expect(out).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u001b]/);
      expect(out).not.toMatch(/(?<!\\)`/);
    }
  });

  it('bound a 10,000-character name, cutting before escaping', () => {
    const name = `${'|'.repeat(5)}${'a'.repeat(10_000)}`;
    const out = mdCellName(name);
    expect(out.length).toBeLessThan(MAX_NAME_CHARS * 2);
    expect(out.endsWith('…')).toBe(true);
    expect(mdCell('x'.repeat(10_000)).length).toBe(2000);
  });
});

describe('typed fields', () => {
  it('render a placeholder for anything that is not the type they claim', () => {
    expect(mdInt(12)).toBe('12');
    expect(mdInt('12 <img src=x>')).toBe('?');
    expect(mdInt(1.5)).toBe('?');
    expect(mdNumber(0.05)).toBe('0.05');
    expect(mdNumber('[x](https://evil)')).toBe('?');
    expect(mdNumber(Number.NaN)).toBe('?');
    expect(mdEnum('label', ['config', 'flag', 'label'] as const)).toBe('label');
    expect(mdEnum('<b>label</b>', ['config', 'flag', 'label'] as const)).toBe('?');
  });
});

describe('a hostile report rendered without the codec (defence in depth)', () => {
  it('renders its non-string fields typed: no HTML, link or mention gets through', () => {
    const file = path.join(
      import.meta.dirname,
      '../fuzz/corpus/report/non-string-fields-rendered-raw-html-link-mentions.json.txt',
    );
    const report = JSON.parse(readFileSync(file, 'utf8')) as ReportJson;
    const { comment, summary } = renderReport(report, loadTemplates());
    for (const body of [comment, summary]) {
      expect(body).not.toContain('<img');
      expect(body).not.toContain('](https://evil');
      expect(body).not.toMatch(/@(everyone|acme)/);
    }
  });
});

describe('the terminal', () => {
  it('shows escape sequences, carriage returns and bidi controls as visible text', () => {
    expect(terminalText('\u001b[2Jx\ry\u202e')).toBe('\\u001b[2Jx y\\u202e');
  });

  it('keeps hostile request names inert and bounded in the comparison table and the verdict', () => {
    const hostile = `\u001b]0;pwned\u0007\u001b[2J${'n'.repeat(10_000)}`;
    const trials = (ms: number) =>
      Array.from({ length: 6 }, (_, t) => Array.from({ length: 20 }, (_, i) => ms + ((i + t) % 5) * 0.01));
    const baseline = syntheticRun([syntheticScenario('api', [{ name: hostile, trialsMs: trials(10) }])]);
    const candidate = syntheticRun([syntheticScenario('api', [{ name: hostile, trialsMs: trials(20) }])]);
    const comparison = compareRuns(baseline, candidate, { mode: 'stored' });
    const verdict = decide(comparison, { thresholds: DEFAULT_THRESHOLDS });
    const text = `${comparisonTable(comparison, verdict)}\n${verdictText(verdict)}`;
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(text).not.toContain('n'.repeat(2001));
    for (const line of comparisonTable(comparison, verdict).split('\n'))
      expect(line.length).toBeLessThan(400);
  });
});
