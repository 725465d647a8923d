// Escaping for user-controlled text (request and scenario names, paths, branch names, titles, reasons)
// before it enters Markdown: the result renders as the same literal text and nothing else: no links,
// no HTML, no mentions, no table breaks, no workflow-expression look-alikes, no reordering by bidi
// controls, and no unbounded length. Non-string fields are formatted from their type (mdInt, mdNumber,
// mdEnum), so a report whose "number" is a string of HTML renders a placeholder, not the HTML.

const MARKDOWN_SPECIALS = /[\\`*_{}[\]()#+\-.!|~>$:]/g;

/** Control characters, bidi embeddings, overrides and isolates (Trojan Source), invisible format characters. */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Longest user text kept by md() (headlines, reasons, notes); names are cut shorter (mdName). */
export const MAX_TEXT_CHARS = 2000;
/** Longest request, scenario, function or file name shown. */
export const MAX_NAME_CHARS = 120;

function bound(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/** Escapes text for Markdown/HTML contexts (tables included). Newlines become spaces. */
export function md(text: string): string {
  return mdBounded(text, MAX_TEXT_CHARS);
}

/** md(), cut to `max` characters before escaping (so no escape is split). */
export function mdBounded(text: string, max: number): string {
  return bound(
    String(text)
      .replace(INVISIBLE, '')
      .replace(/[\r\n\t]+/g, ' '),
    max,
  )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(MARKDOWN_SPECIALS, (c) => (c === '>' ? '&gt;' : `\\${c}`))
    .replace(/@/g, '@\u200b'); // no @mentions
}

/** A request, scenario, function or file name: escaped and cut to MAX_NAME_CHARS. */
export function mdName(text: string): string {
  return mdBounded(text, MAX_NAME_CHARS);
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
