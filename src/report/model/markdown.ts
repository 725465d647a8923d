// Escaping for user-controlled text (request and scenario names, paths, branch names, titles, reasons)
// before it enters Markdown: the result renders as the same literal text and nothing else: no links,
// no HTML, no mentions, no table breaks, no workflow-expression look-alikes.

const MARKDOWN_SPECIALS = /[\\`*_{}[\]()#+\-.!|~>$:]/g;

/** Escapes text for Markdown/HTML contexts (tables included). Newlines become spaces. */
export function md(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(MARKDOWN_SPECIALS, (c) => (c === '>' ? '&gt;' : `\\${c}`))
    .replace(/@/g, '@\u200b') // no @mentions
    .replace(/\u200b\u200b/g, '\u200b');
}

/** A label safe inside a Mermaid chart (quoted string): only plain characters, bounded length. */
export function mermaidLabel(text: string, max = 28): string {
  const plain = text.replace(/[^A-Za-z0-9 _./:-]/g, '_');
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}
