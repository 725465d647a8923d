// Random-access byte input for the profile readers. A large `.cpuprofile` is mostly two integer arrays;
// reading them through a small window (instead of JSON.parse of the whole file) keeps memory proportional
// to the profile's nodes rather than its samples. The io layer backs this with positional file reads.

export interface ByteSource {
  readonly length: number;
  /** Up to `length` bytes from `offset` (possibly fewer: readers ask again for the rest). */
  read(offset: number, length: number): Uint8Array;
}

/** Exactly bytes [offset, offset + length) (shorter only at the end of the input). */
export function readExact(source: ByteSource, offset: number, length: number): Uint8Array {
  const want = Math.max(0, Math.min(length, source.length - offset));
  const first = source.read(offset, want);
  if (first.length >= want) return first.length === want ? first : first.subarray(0, want);
  const out = new Uint8Array(want);
  out.set(first, 0);
  let done = first.length;
  while (done < want) {
    const more = source.read(offset + done, want - done);
    if (more.length === 0) return out.subarray(0, done);
    out.set(more.subarray(0, want - done), done);
    done += more.length;
  }
  return out;
}

/** A ByteSource over bytes already in memory (no copy). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    length: bytes.length,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

const WINDOW = 1 << 20;

/** Forward-reading cursor over a ByteSource with a sliding window. `byte()` is -1 past the end. */
export class ByteCursor {
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0;
  pos: number;

  constructor(
    private readonly source: ByteSource,
    start = 0,
    private readonly end = source.length,
  ) {
    this.pos = start;
  }

  private fill(): void {
    this.bufStart = this.pos;
    this.buf = this.source.read(this.pos, Math.min(WINDOW, this.end - this.pos));
  }

  byte(): number {
    const i = this.pos - this.bufStart;
    if (i >= 0 && i < this.buf.length) return this.buf[i]!;
    if (this.pos >= this.end) return -1;
    this.fill();
    return this.buf.length > 0 ? this.buf[0]! : -1;
  }

  skipWhitespace(): void {
    for (;;) {
      const c = this.byte();
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else return;
    }
  }

  /**
   * Next integer of a JSON number array, or undefined at its closing bracket. Skips whitespace and one
   * separating comma. Fractions and exponents are read (profiles occasionally carry them) but rare.
   */
  nextArrayNumber(): number | undefined {
    this.skipWhitespace();
    let c = this.byte();
    if (c === 0x2c) {
      this.pos++;
      this.skipWhitespace();
      c = this.byte();
    }
    if (c === 0x5d || c === -1) return undefined;
    let negative = false;
    if (c === 0x2d) {
      negative = true;
      this.pos++;
      c = this.byte();
    }
    if (c < 0x30 || c > 0x39) throw new SyntaxError(`expected a number at byte ${this.pos}`);
    let value = 0;
    for (;;) {
      // Hot loop: digits straight from the window; refill only at its end.
      const buf = this.buf;
      let i = this.pos - this.bufStart;
      while (i < buf.length) {
        c = buf[i]!;
        if (c < 0x30 || c > 0x39) break;
        value = value * 10 + (c - 0x30);
        i++;
      }
      this.pos = this.bufStart + i;
      if (i < buf.length || this.pos >= this.end) {
        c = this.byte();
        break;
      }
      c = this.byte(); // refills the window
      if (c < 0x30 || c > 0x39) break;
    }
    if (c === 0x2e || c === 0x65 || c === 0x45) {
      let text = String(value);
      while (c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d || (c >= 0x30 && c <= 0x39)) {
        text += String.fromCharCode(c);
        this.pos++;
        c = this.byte();
      }
      value = Number(text);
      if (!Number.isFinite(value)) throw new SyntaxError(`bad number at byte ${this.pos}`);
    }
    return negative ? -value : value;
  }

  /** Skips one JSON value (object, array, string, literal), strings and nesting aware. */
  skipValue(): void {
    this.skipWhitespace();
    const first = this.byte();
    if (first === 0x22) {
      this.skipString();
      return;
    }
    if (first !== 0x7b && first !== 0x5b) {
      // number / true / false / null
      for (;;) {
        const c = this.byte();
        if (c === -1 || c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d)
          return;
        this.pos++;
      }
    }
    let depth = 0;
    for (;;) {
      if (this.byte() === -1) throw new SyntaxError('unexpected end of JSON');
      // Hot loop over the current window (large number arrays are skipped here).
      const buf = this.buf;
      let i = this.pos - this.bufStart;
      while (i < buf.length) {
        const c = buf[i]!;
        if (c === 0x22) break;
        i++;
        if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth === 0) {
            this.pos = this.bufStart + i;
            return;
          }
        }
      }
      this.pos = this.bufStart + i;
      if (i < buf.length) this.skipString();
    }
  }

  skipString(): void {
    this.pos++; // opening quote
    for (;;) {
      const c = this.byte();
      if (c === -1) throw new SyntaxError('unterminated JSON string');
      this.pos++;
      if (c === 0x5c) this.pos++;
      else if (c === 0x22) return;
    }
  }

  /** Reads a JSON string (keys), decoding escapes through JSON.parse. */
  readString(): string {
    const start = this.pos;
    this.skipString();
    return JSON.parse(decodeUtf8(readExact(this.source, start, this.pos - start))) as string;
  }

  readNumber(): number {
    const start = this.pos;
    this.skipValue();
    const text = decodeUtf8(readExact(this.source, start, this.pos - start)).trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) throw new SyntaxError(`expected a number, got "${text}"`);
    return value;
  }
}

const decoder = new TextDecoder('utf-8');

export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
