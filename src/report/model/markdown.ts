// Escaping for user-controlled text (request and scenario names, paths, branch names, titles, reasons)
// before it enters GitHub Flavored Markdown. Each context escapes only what GFM would otherwise read
// as syntax there, so the raw comment (email notifications, `gh pr view`, plain views) stays readable
// and the rendered one shows the same literal text: no links, no HTML, no emphasis, no mentions, no
// table breaks, no workflow-expression look-alikes. This module is the one place that decides it.

/** Characters that are inline syntax wherever they appear: escapes, code, emphasis, strikethrough. */
const INLINE_SPECIALS = /[\\`*~]/g;

/**
 * Inline text (a sentence, a list item, a heading, link text). Newlines become spaces (a newline
 * could start a block); block markers are escaped only at the start, where they would act.
 */
export function mdText(text: string): string {
  // Leading blanks are never shown and four of them would open a code block.
  const flat = text.replace(/[\r\n\t\f\v]+/g, ' ').replace(/^ +/, '');
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
  return mdText(text).replace(/\|/g, '\\|');
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
