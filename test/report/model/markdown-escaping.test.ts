// The comment's escaping, checked by rendering with a GFM renderer (marked): any string placed as inline
// text, a list item or a table cell renders as exactly that text and nothing else (no element, no
// link, no lost table column), while ordinary text stays as it is in the raw comment.
import fc from 'fast-check';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { mdCell, mdText } from '../../../src/util/markdown.ts';

const gfm = { gfm: true, async: false } as const;

/** The text a reader sees in rendered HTML: tags removed, entities decoded. */
function shown(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\u200b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Elements in rendered HTML other than the expected wrappers. */
function elements(html: string, allowed: string[]): string[] {
  return [...html.matchAll(/<\/?([a-z0-9]+)/gi)]
    .map((m) => m[1]!.toLowerCase())
    .filter((t) => !allowed.includes(t));
}

/** What the text should look like once rendered: blanks collapsed as HTML shows them. */
const expected = (s: string) => s.replace(/\s+/g, ' ').trim();

// Strings from GFM's special characters and a few words, so the generator hits syntax often.
const hostile = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ...'\\`*_{}[]()#+-.!|~><&$:@;"\' \n'.split(''),
        '](javascript:alert(1))',
        '<img src=x onerror=alert(1)>',
        '&amp;',
        '&#60;',
        '${{ secrets.X }}',
        '@everyone',
        '1. ',
        '---',
        '[x]: http://evil',
        'http://example.com',
      ),
      fc.stringMatching(/^[a-z0-9]{1,6}$/),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''))
  .filter((s) => /\S/.test(s));

/**
 * GFM autolinks a bare URL (`http://…`, `www.…`): harmless, it shows its own address, but inside it
 * escapes are not read, so its text is checked only for being an http(s) link that shows a URL.
 */
function withoutAutolinks(html: string): { html: string; autolinked: boolean } {
  let autolinked = false;
  const rest = html.replace(/<a href="(https?:\/\/[^"]*)">([^<]*)<\/a>/g, (_whole, _href, text: string) => {
    autolinked = true;
    expect(text).toMatch(/^(https?:\/\/|www\.)/);
    return '';
  });
  return { html: rest, autolinked };
}

describe('Markdown escaping per GFM context', () => {
  it('inline text renders as the same text, with no element', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const { html, autolinked } = withoutAutolinks(marked.parseInline(mdText(s), gfm) as string);
        expect(elements(html, [])).toEqual([]);
        if (!autolinked) expect(shown(html)).toBe(expected(s));
      }),
      { numRuns: 400, seed: 14 },
    );
  });

  it('a list item stays one item with the same text', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const { html, autolinked } = withoutAutolinks(marked.parse(`- ${mdText(s)}\n`, gfm) as string);
        expect(elements(html, ['ul', 'li'])).toEqual([]);
        expect((html.match(/<li>/g) ?? []).length).toBe(1);
        if (!autolinked) expect(shown(html)).toBe(expected(s));
      }),
      { numRuns: 400, seed: 15 },
    );
  });

  it('a table cell keeps the columns and the text', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const md = `| a | b |\n| --- | --- |\n| ${mdCell(s)} | end |\n`;
        const { html, autolinked } = withoutAutolinks(marked.parse(md, gfm) as string);
        expect(elements(html, ['table', 'thead', 'tbody', 'tr', 'th', 'td'])).toEqual([]);
        const cells = [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
        expect(cells).toHaveLength(2);
        if (!autolinked) expect(shown(cells[0]!)).toBe(expected(s));
        expect(shown(cells[1]!)).toBe('end');
      }),
      { numRuns: 400, seed: 16 },
    );
  });

  it('leaves ordinary text readable in the raw comment', () => {
    for (const s of [
      'Inconclusive: the data cannot decide (see the reasons).',
      'payments-api-demo',
      'p95 < 20ms',
      'request_id & trace.id',
      'p95 latency: +452.6% [+351.2%, +506.0%], p=0.0022 (minimum effect +10%)',
      'a.b-c/d:e#1 (f) !g',
    ]) {
      expect(mdText(s)).toBe(s);
      expect(mdCell(s)).toBe(s);
    }
    expect(mdCell('a|b')).toBe('a\\|b');
    expect(mdText('- item')).toBe('\\- item');
    expect(mdText('# title')).toBe('\\# title');
    expect(mdText('#123 fixed')).toBe('#123 fixed');
    // GitHub-only syntax marked does not know: mentions and inline math.
    expect(mdText('ping @everyone')).toBe('ping @\u200beveryone');
    expect(mdText('costs $5 or $6')).toBe('costs $5 or $6');
    expect(mdText('$x+y$')).toBe('$x+y\\$');
    expect(mdText('${{ secrets.X }}')).toBe('$\\{{ secrets.X }}');
  });
});
