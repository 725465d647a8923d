// Small services of the kinds users bring, built in a real temporary git repository for the attribution
// matrix: plain node:http (no signal handling), Fastify, TypeScript compiled by tsc with source maps, and
// an esbuild bundle. Each repository has `main` (the base) and `feature`, whose one commit makes
// `findTier` a quadratic scan and changes `formatPrice` only cosmetically (the decoy).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import ts from 'typescript';
import { freePort } from '../helpers/net.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export type ServiceKind = 'node-http' | 'fastify' | 'tsc' | 'esbuild';

interface Kind {
  /** The pricing module's path in the repository. */
  pricing: string;
  server: string;
  /** Command that runs the built service from the checkout, after `build`. */
  entry: string;
  typed: boolean;
  build?: (dir: string) => void;
}

const KINDS: Record<ServiceKind, Kind> = {
  'node-http': { pricing: 'src/pricing.js', server: 'src/server.js', entry: 'src/server.js', typed: false },
  fastify: { pricing: 'src/pricing.js', server: 'src/server.js', entry: 'src/server.js', typed: false },
  tsc: {
    pricing: 'src/pricing.ts',
    server: 'src/server.ts',
    entry: 'dist/server.js',
    typed: true,
    build: (dir) => {
      const program = ts.createProgram([path.join(dir, 'src/server.ts'), path.join(dir, 'src/pricing.ts')], {
        outDir: path.join(dir, 'dist'),
        rootDir: path.join(dir, 'src'),
        sourceMap: true,
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2022,
        noLib: true,
        types: [],
      });
      const emitted = program.emit();
      if (emitted.emitSkipped) throw new Error('tsc emitted nothing');
    },
  },
  esbuild: {
    pricing: 'src/pricing.ts',
    server: 'src/server.ts',
    entry: 'dist/bundle.js',
    typed: true,
    build: (dir) => {
      buildSync({
        entryPoints: [path.join(dir, 'src/server.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        sourcemap: true,
        outfile: path.join(dir, 'dist/bundle.js'),
        logLevel: 'silent',
      });
    },
  },
};

/** The pricing module; `slower` makes findTier quadratic and touches formatPrice cosmetically. */
function pricing(typed: boolean, slower: boolean): string {
  const t = (annotation: string) => (typed ? annotation : '');
  const findTier = slower
    ? [
        `export function findTier(amount${t(': number')})${t(': Tier')} {`,
        '  let best = TIERS[0]!;',
        '  for (const tier of TIERS) {',
        '    // A tier applies when no higher floor also fits: every tier is checked against all others.',
        '    let highest = true;',
        '    for (const other of TIERS) if (other.floor <= amount && other.floor > tier.floor) highest = false;',
        '    if (tier.floor <= amount && highest) best = tier;',
        '  }',
        '  return best;',
        '}',
      ]
    : [
        `export function findTier(amount${t(': number')})${t(': Tier')} {`,
        '  let best = TIERS[0]!;',
        '  for (const tier of TIERS) if (tier.floor <= amount) best = tier;',
        '  return best;',
        '}',
      ];
  const formatPrice = slower
    ? [
        `export function formatPrice(cents${t(': number')})${t(': string')} {`,
        '  // Whole units and two-digit cents.',
        '  const units = Math.floor(cents / 100);',
        "  const fraction = String(cents % 100).padStart(2, '0');",
        '  return `${units}.${fraction}`;',
        '}',
      ]
    : [
        `export function formatPrice(cents${t(': number')})${t(': string')} {`,
        '  const whole = Math.floor(cents / 100);',
        "  const rest = String(cents % 100).padStart(2, '0');",
        '  return `${whole}.${rest}`;',
        '}',
      ];
  const js = (s: string) => (typed ? s : s.replace(/!/g, ''));
  return [
    '// Pricing: the tier an amount falls in, and the price formatted.',
    ...(typed ? ['export interface Tier {', '  floor: number;', '  rate: number;', '}', ''] : []),
    `const TIERS${t(': Tier[]')} = Array.from({ length: 1200 }, (_, i) => ({ floor: i * 100, rate: 1 + (i % 9) / 100 }));`,
    '',
    ...findTier.map(js),
    '',
    ...formatPrice,
    '',
    `export function quote(amount${t(': number')}) {`,
    '  const tier = findTier(amount);',
    '  return { amount, tier: tier.floor, price: formatPrice(Math.round(amount * tier.rate)) };',
    '}',
    '',
  ].join('\n');
}

function server(kind: ServiceKind): string {
  if (kind === 'fastify') {
    return [
      "import Fastify from 'fastify';",
      "import { quote } from './pricing.js';",
      '',
      'const app = Fastify();',
      "app.get('/quote', async (req) => quote(Number(req.query.amount)));",
      "await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });",
      '',
    ].join('\n');
  }
  const typed = KINDS[kind].typed;
  return [
    "import http from 'node:http';",
    "import { quote } from './pricing.js';",
    '',
    '// No signal handling: SIGTERM kills it, as with most services.',
    'http',
    `  .createServer((req${typed ? ': http.IncomingMessage' : ''}, res${typed ? ': http.ServerResponse' : ''}) => {`,
    "    const amount = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('amount'));",
    "    res.writeHead(200, { 'content-type': 'application/json' });",
    '    res.end(JSON.stringify(quote(amount)));',
    '  })',
    "  .listen(Number(process.env.PORT), '127.0.0.1');",
    '',
  ].join('\n');
}

export interface ServiceRepo {
  kind: ServiceKind;
  dir: string;
  pricing: string;
  entry: string;
  git(...args: string[]): string;
  build(dir?: string): void;
  /** A second checkout of `rev` (gitignored node_modules linked as in the first), for paired mode. */
  addWorktree(dir: string, rev: string): void;
}

/** A repository on `feature` (base commit on `main`), built. */
export function createServiceRepo(kind: ServiceKind): ServiceRepo {
  const k = KINDS[kind];
  const dir = mkdtempSync(path.join(os.tmpdir(), `pg-matrix-${kind}-`));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  mkdirSync(path.join(dir, 'src'));
  mkdirSync(path.join(dir, 'scenarios'));
  // Dependencies (fastify) resolve through a link to this project's node_modules, as after `npm ci`.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules\ndist/\n.perf-gate/\n');
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(
    path.join(dir, 'scenarios/quote.yml'),
    'name: quote\nrequests:\n  - name: quote\n    path: /quote?amount=45000\n',
  );
  writeFileSync(path.join(dir, k.server), server(kind));
  writeFileSync(path.join(dir, k.pricing), pricing(k.typed, false));
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('add', '-A');
  git('commit', '-q', '-m', 'pricing service');
  git('checkout', '-q', '-b', 'feature');
  writeFileSync(path.join(dir, k.pricing), pricing(k.typed, true));
  git('commit', '-q', '-am', 'tiers: stricter lookup; tidy formatPrice');
  const repo: ServiceRepo = {
    kind,
    dir,
    pricing: k.pricing,
    entry: k.entry,
    git,
    build: (at = dir) => k.build?.(at),
    addWorktree: (at, rev) => {
      git('worktree', 'add', '-q', at, rev);
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(at, 'node_modules'));
    },
  };
  return repo;
}

/** The 1-based first and last line of `export function <name>` in a source text. */
export function functionSpan(text: string, name: string): { line: number; endLine: number } {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`export function ${name}(`));
  const end = lines.findIndex((l, i) => i > start && l === '}');
  return { line: start + 1, endLine: end + 1 };
}

export interface InspectedService {
  url: string;
  inspector: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a built service under `node --inspect=127.0.0.1:0 --no-turbo-inlining`, as docs/attribution.md
 * tells a user to run a process for profile.inspector.
 */
export async function startInspected(cwd: string, entry: string): Promise<InspectedService> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', '--no-turbo-inlining', entry], {
    cwd,
    env: { ...process.env, PORT: String(port), NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const inspector = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`${entry}: no inspector URL: ${text}`)), 10_000);
    child.stderr!.on('data', (c: Buffer) => {
      text += c.toString();
      const m = /Debugger listening on (ws:\/\/\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`${entry} exited with ${code}: ${text}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (up) break;
    if (i > 100) throw new Error(`${entry} never listened on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    inspector,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = once(child, 'exit');
      child.kill('SIGTERM');
      await done;
    },
  };
}
