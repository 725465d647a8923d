// Secrets (values interpolated from the environment, URL credentials) are masked before anything is
// logged, rendered or written.

export const MASK = '***';

export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string): void {
    // Very short values would mask ordinary text everywhere; they are still never written by design
    // (header values are not part of results), so only mask meaningful ones.
    if (secret.length >= 3) this.secrets.add(secret);
  }

  get size(): number {
    return this.secrets.size;
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(s).join(MASK);
      const encoded = encodeURIComponent(s);
      if (encoded !== s) out = out.split(encoded).join(MASK);
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
