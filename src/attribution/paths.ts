// Profile frame locations → repository paths and dependency packages.
//
// Node frames carry URLs (`file:///abs/path/src/demo/fees.ts`, `node:internal/...`), pprof frames file
// names (absolute, or module-relative with Go's -trimpath). A frame maps into the repository when, after an
// optional prefix rewrite (`pathMap`, for remote roots such as a container's `/app/`), it lies under the
// repository root. Frames under `node_modules/<pkg>/` or Go's module cache (`…/pkg/mod/<module>@<ver>/`)
// belong to a dependency.

export interface PathMapping {
  /** Absolute path of the repository checkout the profiled code ran from (e.g. /home/runner/work/app/app). */
  repoRoot?: string;
  /** Prefix rewrites applied first, in order (first match wins): `{ from: '/app/', to: '' }`. */
  pathMap?: readonly { from: string; to: string }[];
}

/** `file://` URL → absolute path (percent-decoded; `file:///C:/x` → `C:/x`). Other strings unchanged. */
export function fileUrlToPath(url: string): string {
  if (!url.startsWith('file://')) return url;
  let rest = url.slice('file://'.length);
  if (rest.startsWith('localhost/')) rest = rest.slice('localhost'.length);
  try {
    rest = decodeURIComponent(rest);
  } catch {
    // keep the raw text when the escape is malformed
  }
  if (/^\/[A-Za-z]:\//.test(rest)) rest = rest.slice(1);
  return rest;
}

const normalise = (p: string): string => p.replace(/\\/g, '/');

/**
 * Repository-relative path of a profile frame's URL, or undefined for runtime frames (`node:`,
 * natives, `internal/`) and files outside the repository.
 */
export function profileUrlToRepoPath(url: string, mapping: PathMapping = {}): string | undefined {
  if (url === '' || url.startsWith('node:') || url.startsWith('internal/') || url.startsWith('evalmachine.'))
    return undefined;
  let path = normalise(fileUrlToPath(url));
  for (const { from, to } of mapping.pathMap ?? []) {
    if (path.startsWith(from)) {
      path = to + path.slice(from.length);
      break;
    }
  }
  if (mapping.repoRoot !== undefined && mapping.repoRoot !== '') {
    const root = normalise(mapping.repoRoot).replace(/\/+$/, '') + '/';
    if (path.startsWith(root)) return path.slice(root.length);
  }
  // Already relative (after a pathMap, or a -trimpath build): take it as repository-relative.
  if (!path.startsWith('/') && !/^[A-Za-z]:\//.test(path) && !/^[a-z]+:/.test(path))
    return path.replace(/^\.\//, '');
  return undefined;
}

export interface DependencyRef {
  ecosystem: 'npm' | 'go' | 'cargo';
  name: string;
  /** Version in the path when it carries one (Go module cache). */
  version?: string;
}

/** The dependency a frame belongs to, from its path. */
export function dependencyOf(url: string): DependencyRef | undefined {
  const path = normalise(fileUrlToPath(url));
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    const name = rest[0]!.startsWith('@') && rest.length > 1 ? `${rest[0]}/${rest[1]}` : rest[0]!;
    if (name !== '' && name !== '.pnpm') return { ecosystem: 'npm', name };
    // pnpm layout: node_modules/.pnpm/<name>@<ver>/node_modules/<name>/ is caught by lastIndexOf above.
  }
  const go =
    /(?:^|\/)pkg\/mod\/(.+?)@(v[^/]+)\//.exec(path) ?? /^([a-z0-9.-]+\.[a-z]+\/[^@]+?)@(v[^/]+)\//.exec(path);
  if (go)
    return {
      ecosystem: 'go',
      name: go[1]!.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase()),
      version: go[2]!,
    };
  const cargo = /\/\.cargo\/registry\/src\/[^/]+\/([A-Za-z0-9_-]+)-(\d+\.\d+\.\d+[^/]*)\//.exec(path);
  if (cargo) return { ecosystem: 'cargo', name: cargo[1]!, version: cargo[2]! };
  return undefined;
}

/**
 * The checkout another side's profile ran from, when it is not `repoRoot` (paired mode: the baseline
 * deployment runs from its own checkout or image, e.g. `/srv/app-main/`): for each frame path outside
 * the repository, the longest tail that is a file of the repository gives a root; the most frequent root
 * wins. Undefined when every frame is inside `repoRoot` or nothing matches.
 */
export function inferCheckoutRoot(
  urls: Iterable<string>,
  repoRoot: string,
  isRepoFile: (repoPath: string) => boolean,
): string | undefined {
  const root = normalise(repoRoot).replace(/\/+$/, '') + '/';
  const votes = new Map<string, number>();
  const seen = new Set<string>();
  for (const url of urls) {
    if (seen.has(url)) continue;
    seen.add(url);
    if (!url.startsWith('file://') && !url.startsWith('/')) continue;
    const path = normalise(fileUrlToPath(url));
    if (path.startsWith(root) || dependencyOf(url) !== undefined) continue;
    const parts = path.split('/');
    for (let i = 1; i < parts.length - 1; i++) {
      if (!isRepoFile(parts.slice(i).join('/'))) continue;
      const found = parts.slice(0, i).join('/') || '/';
      votes.set(found, (votes.get(found) ?? 0) + 1);
      break;
    }
  }
  let best: string | undefined;
  for (const [r, n] of votes) if (best === undefined || n > votes.get(best)!) best = r;
  return best;
}
