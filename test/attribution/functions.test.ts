import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { globSync } from 'tinyglobby';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { changedFunctions, MODULE_FUNCTION_NAME, scanFunctions } from '../../src/attribution/functions.ts';
import { REGRESSED_FUNCTION } from '../../src/demo/fees.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const spans = (src: string) => scanFunctions(src).map((f) => `${f.name}@${f.startLine}-${f.endLine}`);

describe('scanFunctions', () => {
  it('finds declarations, methods, accessors, constructors and named arrow/function expressions', () => {
    const src = [
      'export async function load(a: number): Promise<{ x: number }> {', // 1
      '  return { x: a };',
      '}',
      'class Box<T> extends Base implements I {', // 4
      '  #secret = 1;',
      '  constructor(readonly v: T) { super(); }', // 6
      '  get size(): number { return 1; }', // 7
      '  static async *gen() { yield 1; }', // 8
      '  handler = async (e: Event): Promise<void> => {', // 9
      '    await e;',
      '  };',
      '  #hidden() {}', // 12
      '  [Symbol.iterator]() { return [][Symbol.iterator](); }', // 13
      '  delete(key: string) { return key; }', // 14
      '}',
      'const obj = {', // 16
      '  method(x) { return x; },',
      "  'quoted-key': function () {},",
      '  arrow: (y) => y * 2,',
      '};',
      'const typed: Handler<string> = (s) => s;', // 21
      'Old.prototype.run = function () {};', // 22
      'export default function () {}', // 23
      '[1, 2].map((n) => n + 1);', // 24
    ].join('\n');
    expect(spans(src)).toEqual([
      'load@1-3',
      'Box@6-6',
      'get size@7-7',
      'gen@8-8',
      'handler@9-11',
      '#hidden@12-12',
      '[Symbol.iterator]@13-13',
      'delete@14-14',
      'method@17-17',
      'quoted-key@18-18',
      'arrow@19-19',
      'typed@21-21',
      'Old.run@22-22',
      'default@23-23',
      '@24-24',
    ]);
    const box = scanFunctions(src).find((f) => f.name === 'get size')!;
    expect(box.qualifiedName).toBe('Box.size');
    expect(box.kind).toBe('getter');
  });

  it('is not fooled by braces and arrows in strings, templates, comments and regex literals', () => {
    const src = [
      'const a = "{ => }"; const b = \'}\'; // } => {',
      '/* function fake() { */',
      'const re = /\\{[}]\\//g;',
      'const t = `x ${ { y: `${"}"}` }.y } ${(() => 1)()} }`;', // 4: one anonymous arrow inside
      'function real() {', // 5
      '  return `',
      '  }`;',
      '}', // 8
      'const ratio = total! / count; const half = (n: number) => n / 2;', // 9
    ].join('\n');
    expect(spans(src)).toEqual(['@4-4', 'real@5-8', 'half@9-9']);
  });

  it('skips type-level arrows, overload signatures and interface members', () => {
    const src = [
      'type F = (x: number) => string;',
      'interface I { cb: () => void; m(a: number): string; }',
      'function over(a: string): void;',
      'function over(a: unknown): void {}', // 4
      'function withCb(cb: (e: Error) => void, m: Map<string, () => void>): () => void {', // 5
      '  return () => cb(new Error());', // 6
      '}',
      'const x = y as unknown as (a: number) => number;',
      'const pick = cond ? (a: number) => a : (b: number) => -b;', // 9
      'switch (k) { case 1: { const f = () => 1; } default: {} }', // 10
      'const rec = w ? (a: number): void => { f(a); } : (b: number): void => { g(b); };', // 11
    ].join('\n');
    expect(spans(src)).toEqual([
      'over@4-4',
      'withCb@5-7',
      '@6-6',
      'pick@9-9',
      'pick@9-9',
      'f@10-10',
      'rec@11-11',
      'rec@11-11',
    ]);
  });

  it('records the header (parameter list) position that V8 reports for a function', () => {
    const src = 'export class A {\n  @dec()\n  static async run(a = 1) {}\n}\nconst f = async (x) => x;';
    const [run, f] = scanFunctions(src);
    expect([run!.startLine, run!.headerLine, run!.headerColumn]).toEqual([3, 3, 19]);
    expect([f!.name, f!.headerLine, f!.headerColumn]).toEqual(['f', 5, 17]);
  });

  it('gives the demo regressed function the lines REGRESSED_FUNCTION declares', () => {
    const fees = readFileSync(`${ROOT}/${REGRESSED_FUNCTION.file}`, 'utf8');
    const fn = scanFunctions(fees).find((f) => f.name === REGRESSED_FUNCTION.name)!;
    expect([fn.startLine, fn.endLine]).toEqual([REGRESSED_FUNCTION.line, REGRESSED_FUNCTION.endLine]);
  });
});

describe('scanFunctions: syntax by file type, broken code, V8 names', () => {
  const names = (src: string, path?: string) =>
    scanFunctions(src, path).map((f) => `${f.name}@${f.startLine}`);

  it('reads .ts without JSX (`<T>x` is a cast), .tsx and .js with JSX, and no path as TypeScript then TSX', () => {
    const cast = 'const f = (v: unknown) => <number>v;\nconst id = <T,>(x: T) => x;';
    expect(names(cast, 'a.ts')).toEqual(['f@1', 'id@2']);
    expect(names(cast, 'a.mts')).toEqual(['f@1', 'id@2']);
    expect(names(cast, 'a.tsx')).not.toContain('f@1'); // as JSX, `<number>v;` never closes
    const jsx = 'export const List = ({ items }) => <ul>{items.map((i) => <li>{i}</li>)}</ul>;';
    for (const path of ['a.tsx', 'a.jsx', 'a.js', 'a.cjs', undefined]) {
      expect(names(jsx, path)).toEqual(['List@1', '@1']);
    }
    expect(names('// @flow\nfunction f(x: ?number): string { return ""; }', 'a.js')).toEqual(['f@2']);
  });

  it('finds no functions in files that are not JavaScript or TypeScript', () => {
    expect(scanFunctions('func (s *S) Name() string { return "x" }\n', 'main.go')).toEqual([]);
    expect(scanFunctions('def f():\n    return 1\n', 'app.py')).toEqual([]);
    // Declaration files have no bodies; odd names are not extensions.
    for (const path of ['types.d.ts', 'x.constructor', 'Makefile']) {
      expect(scanFunctions('export function f() {}', path)).toEqual([]);
    }
  });

  it('keeps the functions of every line the parser can read when a line is broken', () => {
    const src = ['function a() {', '  return 1;', '}', '@@@ <<< not code', 'const b = () => 2;'].join('\n');
    expect(names(src, 'a.ts')).toEqual(['a@1', 'b@5']);
    const unterminated = [
      'function a() {',
      '  const s = "abc;',
      '}',
      'const b = () => `x',
      'const c = () => 3;',
    ];
    expect(names(unterminated.join('\n'), 'a.ts')).toEqual(['a@1', 'c@5']);
    // A missing `}` is closed at the end of the file: the open function spans the rest.
    const open = ['function a() {', '  if (x) {', '}', 'const b = () => 2;'].join('\n');
    expect(scanFunctions(open, 'a.ts').map((f) => `${f.name}@${f.startLine}-${f.endLine}`)).toEqual([
      'a@1-4',
      'b@4-4',
    ]);
    expect(scanFunctions(')))(((', 'a.ts')).toEqual([]);
  });

  it('names functions as V8 does: typed fields, default values, `as` casts, members without prototype', () => {
    const src = [
      'class Z { static create = (p?: { x: 1 }): Z => new Z(); }', // 1
      'function flat(mapper: (i: number) => string = (i) => String(i)) {}', // 2
      'const api = { get: ((id) => id) as Getter };', // 3
      'this.handler = function () {};', // 4
      'a.b.prototype.c ??= () => 1;', // 5
      'items[0] = () => 1;', // 6
    ].join('\n');
    expect(names(src, 'a.ts')).toEqual([
      'create@1',
      'flat@2',
      'mapper@2',
      'get@3',
      'handler@4',
      'a.b.c@5',
      '@6',
    ]);
  });

  it('starts a decorated member at its first modifier and counts lines at \\n only, as git does', () => {
    const src =
      'class A {\n  @log()\n  @trace\n  private async run() {}\n}\nx = 1;\r y = () => 2;\u2028z = () => 3;';
    const fns = scanFunctions(src, 'a.ts');
    expect(fns.map((f) => [f.name, f.startLine, f.startColumn, f.headerColumn])).toEqual([
      ['run', 4, 3, 20],
      ['y', 6, 13, 13],
      ['z', 6, 26, 26],
    ]);
  });
});

describe('changedFunctions', () => {
  const src = [
    'import x from "y";', // 1
    'export function outer() {', // 2
    '  const inner = () => {', // 3
    '    return 1;', // 4
    '  };', // 5
    '  return inner();', // 6
    '}', // 7
    'const TABLE = [1, 2];', // 8
    'function other() {', // 9
    '  return 2;', // 10
    '}', // 11
  ].join('\n');

  it('maps changed head lines to every enclosing function, and top-level lines to (module)', () => {
    const fns = changedFunctions(src, [
      { newStart: 4, newLines: 1 },
      { newStart: 8, newLines: 1 },
    ]);
    expect(fns.map((f) => [f.name, f.changedLines, f.deletions])).toEqual([
      ['outer', [4], 0],
      ['inner', [4], 0],
      [MODULE_FUNCTION_NAME, [8], 0],
    ]);
  });

  it('counts a pure deletion inside a function but not one just after its closing line', () => {
    expect(changedFunctions(src, [{ newStart: 9, newLines: 0 }]).map((f) => f.name)).toEqual(['other']);
    expect(changedFunctions(src, [{ newStart: 11, newLines: 0 }]).map((f) => f.name)).toEqual([
      MODULE_FUNCTION_NAME,
    ]);
    expect(changedFunctions(src, [])).toEqual([]);
  });
});

/** Function spans from the TypeScript compiler's parser, for cross-checking the scanner. */
function typescriptSpans(file: string, src: string, kind = ts.ScriptKind.TS): string[] {
  const sf = ts.createSourceFile(file, src, ts.ScriptTarget.Latest, true, kind);
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (
      (ts.isFunctionDeclaration(n) ||
        ts.isMethodDeclaration(n) ||
        ts.isConstructorDeclaration(n) ||
        ts.isGetAccessor(n) ||
        ts.isSetAccessor(n) ||
        ts.isFunctionExpression(n) ||
        ts.isArrowFunction(n)) &&
      n.body !== undefined
    ) {
      out.push(`${line(n.getStart(sf))}-${line(n.end)}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out.sort();
}

describe('scanFunctions against the TypeScript parser', () => {
  it('finds the same function spans in this repository and in a large TypeScript code base (zod)', () => {
    const files = globSync(['src/**/*.ts', 'test/**/*.ts', 'node_modules/zod/src/**/*.ts'], {
      cwd: ROOT,
      absolute: true,
    }).filter((f) => !f.endsWith('.d.ts'));
    expect(files.length).toBeGreaterThan(100);
    let total = 0;
    let mismatched = 0;
    const repoMismatches: string[] = [];
    for (const file of files) {
      const src = readFileSync(file, 'utf8');
      const expected = typescriptSpans(file, src);
      const got = scanFunctions(src)
        .map((f) => `${f.startLine}-${f.endLine}`)
        .sort();
      const remaining = new Map<string, number>();
      for (const s of got) remaining.set(s, (remaining.get(s) ?? 0) + 1);
      let missing = 0;
      for (const s of expected) {
        const n = remaining.get(s) ?? 0;
        if (n > 0) remaining.set(s, n - 1);
        else missing++;
      }
      const extra = [...remaining.values()].reduce((a, b) => a + b, 0);
      total += expected.length;
      mismatched += Math.max(missing, extra);
      if ((missing || extra) && !file.includes('node_modules')) repoMismatches.push(file);
    }
    expect(total).toBeGreaterThan(5000);
    expect(repoMismatches).toEqual([]);
    expect(mismatched / total).toBeLessThan(0.002);
  });

  it('finds the same spans in JavaScript dependencies read as .js (autocannon, fastify, commander, yaml)', () => {
    const files = globSync(
      ['autocannon/lib/**/*.js', 'fastify/lib/**/*.js', 'commander/lib/**/*.js', 'yaml/dist/**/*.js'],
      { cwd: `${ROOT}/node_modules`, absolute: true },
    );
    expect(files.length).toBeGreaterThan(50);
    const mismatches: string[] = [];
    let total = 0;
    for (const file of files) {
      const src = readFileSync(file, 'utf8');
      const expected = typescriptSpans(file, src, ts.ScriptKind.JS);
      const got = scanFunctions(src, file)
        .map((f) => `${f.startLine}-${f.endLine}`)
        .sort();
      total += expected.length;
      if (got.join() !== expected.join()) mismatches.push(file);
    }
    expect(total).toBeGreaterThan(1000);
    expect(mismatches).toEqual([]);
  });
});
