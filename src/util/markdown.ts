// Escaping for user-controlled text (request and scenario names, paths, branch names, titles, reasons)
// before it enters GitHub Flavored Markdown. Each context escapes only what GFM would otherwise read
// as syntax there, so the raw comment (email notifications, `gh pr view`, plain views) stays readable
// and the rendered one shows the same literal text: no links, no HTML, no emphasis, no mentions, no
// table breaks, no workflow-expression look-alikes, no reordering by bidi controls, no unbounded length.
// Non-string fields are formatted from their type (mdInt, mdNumber, mdEnum), so a report whose "number"
// is a string of HTML renders a placeholder, not the HTML. This module is the one place that decides it.

/** Characters that are inline syntax wherever they appear: escapes, code, emphasis, strikethrough. */
const INLINE_SPECIALS = /[\\`*~]/g;

/** Control characters, bidi embeddings, overrides and isolates (Trojan Source), invisible format characters. */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Longest user text kept (headlines, reasons, notes); names are cut shorter. */
export const MAX_TEXT_CHARS = 2000;
/** Longest request, scenario, function or file name shown. */
export const MAX_NAME_CHARS = 120;

function bound(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/**
 * Inline text (a sentence, a list item, a heading, link text). Newlines become spaces (a newline
 * could start a block); block markers are escaped only at the start, where they would act.
 */
export function mdText(text: string): string {
  return mdTextBounded(text, MAX_TEXT_CHARS);
}

/** A request, scenario, function or file name in inline text: escaped and cut to MAX_NAME_CHARS. */
export function mdName(text: string): string {
  return mdTextBounded(text, MAX_NAME_CHARS);
}

/** Inline text cut to `max` characters. (A separate function, so `.map(mdText)` never passes an index.) */
export function mdTextBounded(text: string, max: number): string {
  // Leading blanks are never shown and four of them would open a code block. Invisible characters are
  // dropped and the text is cut before escaping, so no escape is split.
  const flat = bound(
    String(text)
      .replace(INVISIBLE, '')
      .replace(/[\r\n\t\f\v]+/g, ' ')
      .replace(/^ +/, ''),
    max,
  );
  return escapeLeadingBlockMarker(
    flat
      .replace(INLINE_SPECIALS, (c) => `\\${c}`)
      // A link needs `](`, `][` or a `[ref]:` definition; a bare `[+1 %, +5 %]` is text (the leading
      // `[` of a definition is escaped with the block markers below).
      .replace(/\](?=[([:])/g, '\\]')
      // `_` emphasises only at a word edge (GFM ignores intraword underscores: request_id stays).
      .replace(/(^|[^A-Za-z0-9])_|_(?=[^A-Za-z0-9]|$)/g, (m) => m.replace('_', '\\_'))
      // An entity needs `&name;` or `&#..;`; a lone `&` is plain text.
      .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;')
      // HTML needs `<` before a tag name, `/`, `!` or `?`; `p95 < 20ms` is plain text.
      .replace(/<(?=[A-Za-z/!?])/g, '&lt;')
      // GitHub's inline math needs a closing `$` right after a non-blank and not before a digit: escaping
      // those is enough ("costs $5 or $6" stays). `${{` would be a workflow expression look-alike.
      .replace(/\$\{/g, '$\\{')
      .replace(/(?<=\S)\$(?!\d)/g, '\\$')
      // @mentions and team mentions would notify people: a zero-width space breaks the link.
      .replace(/@(?=[A-Za-z0-9])/g, '@\u200b'),
  );
}

/** A table cell: inline text plus the pipe, which would end the cell even inside code. */
export function mdCell(text: string): string {
  return mdCellBounded(text, MAX_TEXT_CHARS);
}

/** A name in a table cell: escaped, pipes too, cut to MAX_NAME_CHARS. */
export function mdCellName(text: string): string {
  return mdCellBounded(text, MAX_NAME_CHARS);
}

function mdCellBounded(text: string, max: number): string {
  return mdTextBounded(text, max).replace(/\|/g, '\\|');
}

/**
 * At the start of a paragraph or list item: `# ` (heading), `- `/`+ ` (list), `---` (rule), `>` (quote),
 * `1.`/`1)` (ordered list) and `[` (link definition, task box) would open a block. Escaped only there.
 */
function escapeLeadingBlockMarker(text: string): string {
  return text
    .replace(/^(#{1,6}(?=\s|$)|[-+](?=\s|$)|-(?=[-\s]*$)|>|\[)/, '\\$1')
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/** A URL placed in `(...)` of a Markdown link: only http(s), with parentheses and spaces encoded. */
export function mdUrl(url: string | undefined): string {
  if (!url || !/^https?:\/\//.test(url)) return '';
  return encodeURI(url).replace(/[()]/g, (c) => encodeURIComponent(c));
}

const PLACEHOLDER = '?';

/** A whole number as text, or "?" when the value is not one (a hostile report's string, NaN). */
export function mdInt(value: unknown): string {
  return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : PLACEHOLDER;
}

/** A finite number as text (JavaScript's shortest form), or "?". */
export function mdNumber(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : PLACEHOLDER;
}

/** `value` when it is one of `allowed`, else "?": enums are shown as written only when known. */
export function mdEnum<T extends string>(value: unknown, allowed: readonly T[]): T | typeof PLACEHOLDER {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : PLACEHOLDER;
}

/** A label safe inside a Mermaid chart (quoted string): only plain characters, bounded length. */
export function mermaidLabel(text: string, max = 28): string {
  const plain = text.replace(/[^A-Za-z0-9 _./:-]/g, '_');
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

/** Text for HTML element content and attribute values (the HTML report). */
export function html(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Text for a terminal: control characters (ANSI escapes, carriage returns), bidi controls and other
 * invisible characters become visible escapes, so a name cannot rewrite the screen; cut to `max`.
 */
export function terminalText(text: string, max = MAX_TEXT_CHARS): string {
  const visible = String(text).replace(
    INVISIBLE,
    (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
  return bound(visible.replace(/[\r\n\t]/g, ' '), max);
}
