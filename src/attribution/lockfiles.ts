// Dependency upgrades from lockfile changes: package-lock.json / npm-shrinkwrap.json, yarn.lock (v1 and
// berry), pnpm-lock.yaml (v5 to v9), go.sum, Cargo.lock.
//
// Exact when both versions of the lockfile are given (name → versions on each side). With only the
// changed lines of a -U0 patch, changes are visible where a line names its package (go.sum, pnpm keys,
// yarn entry headers, package-lock entry keys); a bare `"version": "x"` line says nothing about which
// package moved, so the io layer should pass the two file versions when it can.

export type Ecosystem = 'npm' | 'go' | 'cargo';

export interface DependencyChange {
  ecosystem: Ecosystem;
  name: string;
  /** Versions before (sorted, comma-separated); undefined when the dependency is new. */
  from?: string;
  /** Versions after; undefined when it was removed. */
  to?: string;
  lockfile: string;
}

type Versions = Map<string, Set<string>>;

function add(map: Versions, name: string, version: string): void {
  if (name === '' || version === '') return;
  let set = map.get(name);
  if (set === undefined) map.set(name, (set = new Set()));
  set.add(version);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function lockfileEcosystem(path: string): Ecosystem | undefined {
  switch (basename(path)) {
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
    case 'yarn.lock':
    case 'pnpm-lock.yaml':
      return 'npm';
    case 'go.sum':
      return 'go';
    case 'Cargo.lock':
      return 'cargo';
    default:
      return undefined;
  }
}

function npmLock(text: string, out: Versions): void {
  const json = JSON.parse(text) as {
    packages?: Record<string, { version?: string; link?: boolean }>;
    dependencies?: Record<string, unknown>;
  };
  if (json.packages) {
    for (const [key, entry] of Object.entries(json.packages)) {
      const at = key.lastIndexOf('node_modules/');
      if (key === '' || at < 0 || entry.link === true || typeof entry.version !== 'string') continue;
      add(out, key.slice(at + 'node_modules/'.length), entry.version);
    }
    return;
  }
  const walk = (deps: Record<string, unknown> | undefined): void => {
    for (const [name, entry] of Object.entries(deps ?? {})) {
      const e = entry as { version?: string; dependencies?: Record<string, unknown> };
      if (typeof e.version === 'string') add(out, name, e.version);
      walk(e.dependencies);
    }
  };
  walk(json.dependencies);
}

/** `"@scope/x@^1.0.0", x@npm:1.2` → the package name of the first spec. */
function yarnSpecName(spec: string): string {
  const first = spec.split(',')[0]!.trim().replace(/^"|"$/g, '');
  const at = first.indexOf('@', 1);
  return at < 0 ? first : first.slice(0, at);
}

function yarnLock(text: string, out: Versions): void {
  let current: string | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (!line.startsWith(' ') && line.endsWith(':')) {
      current = line.startsWith('__metadata') ? undefined : yarnSpecName(line.slice(0, -1));
      continue;
    }
    const m = /^\s+version:?\s+"?([^"\s]+)"?\s*$/.exec(line);
    if (m && current !== undefined) add(out, current, m[1]!);
  }
}

const PNPM_KEY = /^\s{2}['"]?\/?((?:@[^/@\s'"]+\/)?[^/@\s'"(]+)@([^('"\s:]+)/;
const PNPM_V5_KEY = /^\s{2}\/((?:@[^/\s]+\/)?[^/\s]+)\/([0-9][^/:\s_]*)/;

function pnpmLock(text: string, out: Versions): void {
  let inPackages = false;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) {
      inPackages = line.startsWith('packages:') || line.startsWith('snapshots:');
      continue;
    }
    if (!inPackages || /^\s{3}/.test(line)) continue;
    const m = PNPM_KEY.exec(line) ?? PNPM_V5_KEY.exec(line);
    if (m) add(out, m[1]!, m[2]!);
  }
}

function goSum(text: string, out: Versions): void {
  for (const line of text.split('\n')) {
    const [mod, version] = line.trim().split(/\s+/);
    if (mod && version) add(out, mod, version.replace(/\/go\.mod$/, ''));
  }
}

function cargoLock(text: string, out: Versions): void {
  let name: string | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('[[package]]')) name = undefined;
    const n = /^name\s*=\s*"([^"]+)"/.exec(line);
    if (n) name = n[1]!;
    const v = /^version\s*=\s*"([^"]+)"/.exec(line);
    if (v && name !== undefined) add(out, name, v[1]!);
  }
}

/** name → versions in one lockfile text. Throws SyntaxError on a malformed package-lock. */
export function lockfileVersions(path: string, text: string): Map<string, Set<string>> {
  const out: Versions = new Map();
  switch (basename(path)) {
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
      npmLock(text, out);
      break;
    case 'yarn.lock':
      yarnLock(text, out);
      break;
    case 'pnpm-lock.yaml':
      pnpmLock(text, out);
      break;
    case 'go.sum':
      goSum(text, out);
      break;
    case 'Cargo.lock':
      cargoLock(text, out);
      break;
  }
  return out;
}

function compare(path: string, before: Versions, after: Versions): DependencyChange[] {
  const ecosystem = lockfileEcosystem(path) ?? 'npm';
  const out: DependencyChange[] = [];
  const names = new Set([...before.keys(), ...after.keys()]);
  const fmt = (s: Set<string> | undefined): string | undefined =>
    s === undefined || s.size === 0 ? undefined : [...s].sort().join(', ');
  for (const name of [...names].sort()) {
    const a = fmt(before.get(name));
    const b = fmt(after.get(name));
    if (a === b) continue;
    const change: DependencyChange = { ecosystem, name, lockfile: path };
    if (a !== undefined) change.from = a;
    if (b !== undefined) change.to = b;
    out.push(change);
  }
  return out;
}

/** Exact dependency changes between two versions of a lockfile (either may be absent: added/removed file). */
export function dependencyChanges(
  path: string,
  base: string | undefined,
  head: string | undefined,
): DependencyChange[] {
  return compare(
    path,
    base ? lockfileVersions(path, base) : new Map(),
    head ? lockfileVersions(path, head) : new Map(),
  );
}

/** Best-effort changes from a patch's removed and added lines only (see the module comment). */
export function dependencyChangesFromLines(
  path: string,
  removed: readonly string[],
  added: readonly string[],
): DependencyChange[] {
  const scan = (lines: readonly string[]): Versions => {
    const out: Versions = new Map();
    const name = basename(path);
    for (const line of lines) {
      if (name === 'go.sum') goSum(line, out);
      else if (name === 'pnpm-lock.yaml') {
        const m = PNPM_KEY.exec(line) ?? PNPM_V5_KEY.exec(line);
        if (m) add(out, m[1]!, m[2]!);
      } else if (name === 'yarn.lock') {
        // Header `lodash@^4.17.20:` gives the name and range, not the resolved version: use the range.
        if (!line.startsWith(' ') && line.endsWith(':')) {
          const spec = line.slice(0, -1).split(',')[0]!.trim().replace(/^"|"$/g, '');
          const at = spec.indexOf('@', 1);
          if (at > 0) add(out, spec.slice(0, at), spec.slice(at + 1));
        }
      } else if (name === 'package-lock.json' || name === 'npm-shrinkwrap.json') {
        const m = /"(?:[^"]*\/)?node_modules\/((?:@[^/"]+\/)?[^/"]+)":/.exec(line);
        if (m) add(out, m[1]!, '?');
      }
    }
    return out;
  };
  return compare(path, scan(removed), scan(added)).filter((c) => c.from !== '?' || c.to !== '?');
}
