// Fuzzing the function finder: whatever the text (broken code, binary garbage, absurd nesting), it
// returns functions whose spans lie inside the text, in order, with lines that match their offsets,
// and never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedFunctions, scanFunctions } from '../../src/attribution/functions.ts';
import { fuzz, mutatedText, pathological } from './fuzz.ts';

const SAMPLE = `import x from 'y';
export class Box<T> extends Base {
  #n = 0;
  @dec() static async *gen(a = () => 1) { yield \`\${a()} }\`; }
  get size(): number { return this.#n; }
  handler = async (e: Event): Promise<void> => { await e; };
}
const obj = { m(x) { return x / 2; }, 'k': function () {}, re: /[}]\\//g };
Old.prototype.run = function () { return <T>(v: T) => v; };
export default (n: number) => n > 1 ? n : -n;
`;
const JSX_SAMPLE = `export function List({ items }) {
  return <ul onClick={() => go()}>{items.map((i) => <li key={i}>{i}</li>)}</ul>;
}
`;
const CODE_BITS = fc.constantFrom(
  '(',
  ')',
  '{',
  '}',
  '=>',
  '`',
  '${',
  '/',
  '<',
  '>',
  'function',
  'class',
  '@',
);
const PATHS = [undefined, 'a.ts', 'a.tsx', 'a.js', 'a.mjs', 'a.go'];

/** 1-based line and column of an offset, counting lines at '\n' only. */
function lineColumn(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return [before.split('\n').length, offset - lineStart + 1];
}

function check(text: string): void {
  for (const path of PATHS) {
    const fns = scanFunctions(text, path);
    let previous = -1;
    for (const f of fns) {
      expect(f.start).toBeGreaterThanOrEqual(Math.max(previous, 0));
      expect(f.end).toBeGreaterThan(f.start);
      expect(f.end).toBeLessThanOrEqual(text.length);
      expect(f.headerOffset).toBeGreaterThanOrEqual(f.start);
      expect(f.headerOffset).toBeLessThan(f.end);
      expect([f.startLine, f.startColumn]).toEqual(lineColumn(text, f.start));
      expect([f.headerLine, f.headerColumn]).toEqual(lineColumn(text, f.headerOffset));
      expect(f.endLine).toBe(lineColumn(text, f.end - 1)[0]);
      previous = f.start;
    }
  }
}

describe('fuzz: the function finder', () => {
  it('the samples have their functions', () => {
    expect(scanFunctions(SAMPLE, 'a.ts').map((f) => f.name)).toEqual([
      'gen',
      'a',
      'get size',
      'handler',
      'm',
      'k',
      'Old.run',
      '',
      'default',
    ]);
    expect(scanFunctions(JSX_SAMPLE, 'a.jsx')).toHaveLength(3);
  });
  it('mutated TypeScript and JSX never throw and give spans inside the text', () => {
    fuzz(mutatedText(SAMPLE, CODE_BITS), check);
    fuzz(mutatedText(JSX_SAMPLE, CODE_BITS), check);
  });
  it('arbitrary text never throws', () => {
    fuzz(fc.string({ unit: 'binary', maxLength: 300 }), check);
  });
  it('changed lines anywhere, even past the end, map to functions or (module)', () => {
    const hunks = fc.array(fc.record({ newStart: fc.nat({ max: 40 }), newLines: fc.nat({ max: 5 }) }), {
      maxLength: 4,
    });
    fuzz(fc.tuple(mutatedText(SAMPLE, CODE_BITS), hunks), ([text, h]) => {
      for (const f of changedFunctions(text, h, 'a.ts'))
        expect(f.changedLines.length + f.deletions).toBeGreaterThan(0);
    });
  });
  it('pathological nesting and unterminated constructs end without throwing', () => {
    const chars = ['(', '[', '{', '`${', '/*', '"', '<a>', 'x => ', 'function(){', 'a?b:'];
    for (const text of pathological(chars, 5_000)) expect(Array.isArray(scanFunctions(text))).toBe(true);
    // Nesting beyond the parser's recursion (a RangeError inside Babel) is no exception either.
    expect(() => scanFunctions(`x = ${'() => '.repeat(2_000)}1`)).not.toThrow();
  });
});
