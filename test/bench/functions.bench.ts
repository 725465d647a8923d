// Function finder speed: the Babel-based finder against the hand-written tokenizer it replaced, on large
// real code: a 2 MB slice of TypeScript's own compiler bundle (JavaScript), autocannon's sources
// (JavaScript, many small files) and zod's sources (TypeScript). CPU time per pass (median of a few
// passes after a warm-up, so other processes on the machine disturb it less than wall time), throughput,
// and how many function spans the two agree on. The old finder is read from git history (the commit
// below); without it only the new one is measured. Asserts nothing (benchmarks are not tests).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { globSync } from 'tinyglobby';
import { scanFunctions } from '../../src/attribution/functions.ts';
import type { SourceFunction } from '../../src/attribution/functions.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The last commit with the hand-written tokenizer in src/attribution/functions.ts. */
const OLD_FINDER_COMMIT = '5c269d8470d2abc5b0a763a7d5cdfddb9290a80f';
const PASSES = 5;
const SLICE_BYTES = 2_000_000;

type Finder = (source: string, path: string) => SourceFunction[];
interface Input {
  label: string;
  files: { path: string; text: string }[];
}

async function loadOldFinder(): Promise<Finder | undefined> {
  let text: string;
  try {
    text = execFileSync('git', ['show', `${OLD_FINDER_COMMIT}:src/attribution/functions.ts`], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'perf-gate-old-finder-'));
  try {
    writeFileSync(join(dir, 'old-functions.ts'), text);
    const mod = (await import(pathToFileURL(join(dir, 'old-functions.ts')).href)) as {
      scanFunctions: (source: string) => SourceFunction[];
    };
    return (source) => mod.scanFunctions(source);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whole top-level statements of TypeScript's bundle, from inside its module wrapper, up to ~2 MB. */
function typescriptSlice(): Input {
  const lines = readFileSync(join(ROOT, 'node_modules/typescript/lib/typescript.js'), 'utf8').split('\n');
  const first = lines.findIndex((l) => l.startsWith('var ts = {}; ((module) => {')) + 1;
  let bytes = 0;
  let last = first;
  for (let i = first; i < lines.length && bytes < SLICE_BYTES; i++) {
    bytes += lines[i]!.length + 1;
    if (lines[i]!.startsWith('function ')) last = i; // a top-level declaration starts here
  }
  const text = lines.slice(first, last).join('\n');
  return { label: 'typescript.js slice', files: [{ path: 'typescript.js', text }] };
}

function sources(label: string, patterns: string[]): Input {
  const paths = globSync(patterns, { cwd: ROOT, absolute: true }).filter((p) => !p.endsWith('.d.ts'));
  return { label, files: paths.sort().map((path) => ({ path, text: readFileSync(path, 'utf8') })) };
}

/** Median CPU milliseconds of one pass over the input's files. */
function cpuMs(input: Input, find: Finder): number {
  const pass = () => {
    const t0 = process.cpuUsage();
    for (const f of input.files) find(f.text, f.path);
    const d = process.cpuUsage(t0);
    return (d.user + d.system) / 1000;
  };
  pass(); // warm-up: JIT, and the parser's lazily built tables
  const times = Array.from({ length: PASSES }, pass).sort((a, b) => a - b);
  return times[Math.floor(PASSES / 2)]!;
}

/** Spans (start line-end line) both finders report, counted with multiplicity, over all functions. */
function agreement(input: Input, a: Finder, b: Finder): { same: number; old: number; new: number } {
  let same = 0;
  let old = 0;
  let found = 0;
  for (const f of input.files) {
    const spans = (fns: SourceFunction[]) => fns.map((fn) => `${fn.startLine}-${fn.endLine}`);
    const left = spans(a(f.text, f.path));
    const right = new Map<string, number>();
    for (const s of spans(b(f.text, f.path))) right.set(s, (right.get(s) ?? 0) + 1);
    old += left.length;
    found += [...right.values()].reduce((x, y) => x + y, 0);
    for (const s of left) {
      const n = right.get(s) ?? 0;
      if (n > 0) {
        same++;
        right.set(s, n - 1);
      }
    }
  }
  return { same, old, new: found };
}

export async function benchFunctions(): Promise<void> {
  const oldFinder = await loadOldFinder();
  const newFinder: Finder = (source, path) => scanFunctions(source, path);
  if (oldFinder === undefined) console.log(`old finder (${OLD_FINDER_COMMIT}) not in git history: new only`);
  const inputs = [
    typescriptSlice(),
    sources('autocannon lib (JS)', ['node_modules/autocannon/lib/**/*.js']),
    sources('zod src (TS)', ['node_modules/zod/src/**/*.ts']),
  ];
  for (const input of inputs) {
    const mb = input.files.reduce((s, f) => s + f.text.length, 0) / 1e6;
    const newMs = cpuMs(input, newFinder);
    const head = `${input.label}: ${input.files.length} files, ${mb.toFixed(2)} MB`;
    const rate = (ms: number) => `${ms.toFixed(0)} ms CPU (${(mb / (ms / 1000)).toFixed(1)} MB/s)`;
    if (oldFinder === undefined) {
      console.log(`${head}; babel ${rate(newMs)}`);
      continue;
    }
    const oldMs = cpuMs(input, oldFinder);
    const a = agreement(input, oldFinder, newFinder);
    console.log(
      `${head}; babel ${rate(newMs)}, tokenizer ${rate(oldMs)}, babel/tokenizer ${(newMs / oldMs).toFixed(1)}x; ` +
        `functions: babel ${a.new}, tokenizer ${a.old}, same span ${a.same}`,
    );
  }
}
