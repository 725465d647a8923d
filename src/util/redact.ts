// Secrets (values interpolated from the environment, URL credentials, the GitHub token) are masked before
// anything is logged, rendered or written. Only values that can be secrets are masked, and only as whole
// tokens: masking "123" everywhere turned "1234 µs" into "***4 µs" and hid real figures.

export const MASK = '***';

/** Shorter values are ordinary words or numbers far more often than secrets. */
export const MIN_SECRET_LENGTH = 6;

/**
 * A secret at least this long is masked wherever it occurs, even inside a longer word (a long random
 * value cannot appear by accident, and a concatenated one must not escape); shorter ones as whole tokens.
 */
const SUBSTRING_MASK_LENGTH = 16;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const WORD = /[A-Za-z0-9]/;

/** Whether a value may be a secret: long enough, and not a number or a boolean. */
export function maskable(value: string): boolean {
  const v = value.trim();
  return v.length >= MIN_SECRET_LENGTH && !NUMBER.test(v) && !/^(true|false|null)$/i.test(v);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A matcher for one secret: anywhere when long, else only where it is not part of a longer word. */
function matcher(secret: string): RegExp {
  const body = escapeRegExp(secret);
  if (secret.length >= SUBSTRING_MASK_LENGTH) return new RegExp(body, 'g');
  const before = WORD.test(secret[0]!) ? '(?<![A-Za-z0-9])' : '';
  const after = WORD.test(secret[secret.length - 1]!) ? '(?![A-Za-z0-9])' : '';
  return new RegExp(`${before}${body}${after}`, 'g');
}

export class Redactor {
  private readonly secrets = new Map<string, RegExp>();

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  /**
   * Adds a value to mask; returns false (and masks nothing) when it cannot be a secret (see maskable).
   * `credential`: a value known to be a secret (a token, a password), masked whatever it looks like.
   */
  add(secret: string, credential = false): boolean {
    if (secret === '' || (!credential && !maskable(secret))) return false;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      if (!this.secrets.has(form)) this.secrets.set(form, matcher(form));
    }
    return true;
  }

  /** The values being masked (for `::add-mask::`). */
  values(): string[] {
    return [...this.secrets.keys()];
  }

  get size(): number {
    return this.secrets.size;
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const [s, re] of [...this.secrets].sort((a, b) => b[0].length - a[0].length)) {
      if (out.includes(s)) out = out.replace(re, MASK);
    }
    return out;
  }

  /** Deep-redacts every string in a JSON-compatible value. */
  redactDeep<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.redact(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object') {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.redact(k), walk(x)]));
      }
      return v;
    };
    return walk(value) as T;
  }
}

/** Removes credentials from a URL (user:password@) and masks known secrets in it. */
export function redactUrl(url: string, redactor?: Redactor): string {
  let out = url;
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = u.username ? MASK : '';
      u.password = u.password ? MASK : '';
      out = u.toString();
    }
  } catch {
    // Not a URL: masking secrets below is still right.
  }
  return redactor ? redactor.redact(out) : out;
}
