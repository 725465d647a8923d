// Shared by the fuzz suite (test/fuzz/*.test.ts): a fixed seed (printed on failure by fast-check, and
// overridable with PERF_GATE_FUZZ_SEED to explore), a time budget per property, text and byte mutations
// of valid inputs, and the corpus of inputs that once broke something (test/fuzz/corpus/<parser>/).
//
// The property every parser must have: each input either parses or raises the parser's typed error.
// A hang is caught by the test timeout on the pathological inputs of each file (long repetitions of
// the characters its patterns look at), never by measuring time.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';

export const FUZZ_SEED = Number(process.env.PERF_GATE_FUZZ_SEED ?? 20_261_207);

/** Runs per property at most, and the wall-clock budget after which fast-check stops early (a pass). */
export const FUZZ_RUNS = 2000;
export const FUZZ_BUDGET_MS = 800;

export function fuzz<T>(arbitrary: fc.Arbitrary<T>, check: (value: T) => void): void {
  fc.assert(fc.property(arbitrary, check), {
    seed: FUZZ_SEED,
    numRuns: FUZZ_RUNS,
    interruptAfterTimeLimit: FUZZ_BUDGET_MS,
    markInterruptAsFailure: false,
  });
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** Calls `parse`; an exception must be one of `allowed` (the parser's typed errors), else it is rethrown. */
export function parsesOrRaises<T>(parse: () => T, ...allowed: (ErrorClass | string)[]): T | Error {
  try {
    return parse();
  } catch (err) {
    const ok = allowed.some((a) => (typeof a === 'string' ? (err as Error)?.name === a : err instanceof a));
    if (!ok) throw err;
    return err as Error;
  }
}

/** Random edits (delete, insert, replace, duplicate a slice) applied to a valid text. */
export function mutatedText(
  seed: string,
  alphabet = fc.string({ unit: 'binary', maxLength: 12 }),
): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 8 }),
    insert: fc.oneof(
      alphabet,
      fc.constantFrom('\n', '"', "'", ':', '{', '}', '[', ']', ',', '-', '\\', '\u0000', '${'),
    ),
    duplicate: fc.boolean(),
  });
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let text = seed;
    for (const e of edits) {
      const at = text.length === 0 ? 0 : e.at % (text.length + 1);
      if (e.duplicate) text = text.slice(0, at) + text.slice(at, at + 40) + text.slice(at);
      else text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
    }
    return text;
  });
}

/** Random byte edits (flip, insert, truncate) of a valid binary input. */
export function mutatedBytes(seed: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.record({
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
    kind: fc.constantFrom('set', 'insert', 'cut'),
  });
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) => {
    let bytes = Array.from(seed);
    for (const e of edits) {
      const at = bytes.length === 0 ? 0 : e.at % bytes.length;
      if (e.kind === 'set') bytes[at] = e.byte;
      else if (e.kind === 'insert') bytes.splice(at, 0, e.byte);
      else bytes = bytes.slice(0, at);
    }
    return Uint8Array.from(bytes);
  });
}

/** A JSON value with random leaves replaced by hostile values of other types. */
export function mutatedJson(seed: unknown): fc.Arbitrary<unknown> {
  const hostile = fc.oneof(
    fc.constantFrom(
      null,
      true,
      -1,
      1e308,
      0.5,
      '',
      '<img src=x onerror=alert(1)>',
      '@everyone',
      [],
      {},
      '__proto__',
    ),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
  );
  const paths = leafPaths(seed);
  return fc.array(fc.tuple(fc.nat(), hostile), { minLength: 1, maxLength: 4 }).map((edits) => {
    const copy = structuredClone(seed);
    for (const [i, value] of edits) {
      if (paths.length === 0) break;
      const p = paths[i % paths.length]!;
      let node: unknown = copy;
      for (const key of p.slice(0, -1)) node = (node as Record<string | number, unknown> | null)?.[key];
      // An earlier edit may have replaced a parent with a scalar: that edit wins.
      if (node !== null && typeof node === 'object')
        (node as Record<string | number, unknown>)[p[p.length - 1]!] = value;
    }
    return copy;
  });
}

function leafPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  if (out.length > 5000) return out;
  if (Array.isArray(value)) value.forEach((v, i) => leafPaths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leafPaths(v, [...prefix, k], out);
  }
  if (prefix.length > 0) out.push(prefix);
  return out;
}

const CORPUS = path.join(import.meta.dirname, 'corpus');

/** The corpus of one parser: inputs that once broke something, each a file (name says what broke). */
export function corpus(parser: string): Array<{ name: string; text: string; bytes: Buffer }> {
  const dir = path.join(CORPUS, parser);
  let names: string[] = [];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const bytes = readFileSync(path.join(dir, name));
    return { name, text: bytes.toString('utf8'), bytes };
  });
}

/** Inputs shaped to make a backtracking pattern explode: long runs of the characters parsers split on. */
export function pathological(chars: string[], length = 50_000): string[] {
  return chars.flatMap((c) => [c.repeat(length), `${c.repeat(length)}!`, `${'a'.repeat(length)}${c}`]);
}
