import { describe, expect, it } from 'vitest';
import {
  dependencyChanges,
  dependencyChangesFromLines,
  lockfileVersions,
} from '../../src/attribution/lockfiles.ts';
import {
  dependencyOf,
  fileUrlToPath,
  inferCheckoutRoot,
  profileUrlToRepoPath,
} from '../../src/attribution/paths.ts';

const npmLock = (zod: string) =>
  JSON.stringify({
    name: 'app',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app' },
      'node_modules/zod': { version: zod },
      'node_modules/@scope/pkg': { version: '1.0.0' },
      'node_modules/a/node_modules/zod': { version: '3.0.0' },
      'node_modules/linked': { link: true },
    },
  });

describe('dependency changes from lockfiles', () => {
  it('package-lock v3: upgrades with both versions, nested copies included', () => {
    expect(dependencyChanges('package-lock.json', npmLock('3.23.8'), npmLock('3.24.1'))).toEqual([
      {
        ecosystem: 'npm',
        name: 'zod',
        from: '3.0.0, 3.23.8',
        to: '3.0.0, 3.24.1',
        lockfile: 'package-lock.json',
      },
    ]);
    expect(lockfileVersions('package-lock.json', npmLock('1.0.0')).get('@scope/pkg')).toEqual(
      new Set(['1.0.0']),
    );
  });

  it('package-lock v1 (dependencies tree)', () => {
    const v1 = (v: string) =>
      JSON.stringify({
        lockfileVersion: 1,
        dependencies: { left: { version: v, dependencies: { inner: { version: '2.0.0' } } } },
      });
    expect(dependencyChanges('package-lock.json', v1('1.0.0'), v1('1.1.0'))).toEqual([
      { ecosystem: 'npm', name: 'left', from: '1.0.0', to: '1.1.0', lockfile: 'package-lock.json' },
    ]);
  });

  it('yarn.lock v1 and berry', () => {
    const v1 = (v: string) =>
      `# yarn lockfile v1\n\n"@babel/core@^7.0.0", "@babel/core@^7.1.0":\n  version "${v}"\n  resolved "x"\n\nlodash@^4.17.20:\n  version "4.17.21"\n`;
    expect(
      dependencyChanges('yarn.lock', v1('7.1.0'), v1('7.2.0')).map((c) => [c.name, c.from, c.to]),
    ).toEqual([['@babel/core', '7.1.0', '7.2.0']]);
    const berry = (v: string) =>
      `__metadata:\n  version: 6\n\n"lodash@npm:^4.17.20":\n  version: ${v}\n  resolution: "lodash@npm:${v}"\n`;
    expect(
      dependencyChanges('yarn.lock', berry('4.17.20'), berry('4.17.21')).map((c) => [c.name, c.to]),
    ).toEqual([['lodash', '4.17.21']]);
  });

  it('pnpm-lock.yaml (v6 and v9 keys, peer suffixes), go.sum and Cargo.lock', () => {
    const pnpm = (v: string) =>
      `lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      zod:\n        version: ${v}\npackages:\n  zod@${v}:\n    resolution: {integrity: x}\n  '@types/node@20.1.0':\n    resolution: {integrity: y}\nsnapshots:\n  react-dom@18.2.0(react@18.2.0):\n    dependencies: {}\n`;
    expect(
      dependencyChanges('pnpm-lock.yaml', pnpm('3.23.8'), pnpm('3.24.1')).map((c) => [c.name, c.from, c.to]),
    ).toEqual([['zod', '3.23.8', '3.24.1']]);
    expect(lockfileVersions('pnpm-lock.yaml', pnpm('1.0.0')).get('react-dom')).toEqual(new Set(['18.2.0']));
    expect(
      lockfileVersions('pnpm-lock.yaml', 'packages:\n  /left-pad/1.3.0:\n    resolution: {}\n').get(
        'left-pad',
      ),
    ).toEqual(new Set(['1.3.0']));
    const sum = (v: string) =>
      `github.com/a/b ${v} h1:x=\ngithub.com/a/b ${v}/go.mod h1:y=\ngolang.org/x/text v0.3.0 h1:z=\n`;
    expect(dependencyChanges('go.sum', sum('v1.2.0'), sum('v1.3.0'))).toEqual([
      { ecosystem: 'go', name: 'github.com/a/b', from: 'v1.2.0', to: 'v1.3.0', lockfile: 'go.sum' },
    ]);
    const cargo = (v: string) =>
      `version = 3\n\n[[package]]\nname = "serde"\nversion = "${v}"\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n`;
    expect(
      dependencyChanges('Cargo.lock', cargo('1.0.1'), cargo('1.0.2')).map((c) => [c.ecosystem, c.name, c.to]),
    ).toEqual([['cargo', 'serde', '1.0.2']]);
  });

  it('added and removed dependencies, and an added lockfile', () => {
    const changes = dependencyChanges('go.sum', 'a v1 h1:x\n', 'b v2 h1:y\n');
    expect(changes).toEqual([
      { ecosystem: 'go', name: 'a', from: 'v1', lockfile: 'go.sum' },
      { ecosystem: 'go', name: 'b', to: 'v2', lockfile: 'go.sum' },
    ]);
    expect(dependencyChanges('go.sum', undefined, 'a v1 h1:x\n')).toEqual([
      { ecosystem: 'go', name: 'a', to: 'v1', lockfile: 'go.sum' },
    ]);
  });

  it('best effort from patch lines where a line names its package', () => {
    expect(
      dependencyChangesFromLines('go.sum', ['github.com/a/b v1.2.0 h1:x='], ['github.com/a/b v1.3.0 h1:y=']),
    ).toEqual([
      { ecosystem: 'go', name: 'github.com/a/b', from: 'v1.2.0', to: 'v1.3.0', lockfile: 'go.sum' },
    ]);
    expect(
      dependencyChangesFromLines('pnpm-lock.yaml', ['  zod@3.23.8:'], ['  zod@3.24.1:'])[0],
    ).toMatchObject({ from: '3.23.8', to: '3.24.1' });
    // A bare version line does not say which package moved.
    expect(
      dependencyChangesFromLines(
        'package-lock.json',
        ['      "version": "1.0.0",'],
        ['      "version": "1.1.0",'],
      ),
    ).toEqual([]);
    expect(dependencyChangesFromLines('package-lock.json', [], ['    "node_modules/newdep": {'])).toEqual([
      { ecosystem: 'npm', name: 'newdep', to: '?', lockfile: 'package-lock.json' },
    ]);
  });

  it('a malformed package-lock throws (attribute reports it as missing)', () => {
    expect(() => dependencyChanges('package-lock.json', '{', '{}')).toThrow(SyntaxError);
  });
});

describe('profile URLs → repository paths and dependencies', () => {
  it('maps file URLs under the repository root, percent-decoded', () => {
    expect(profileUrlToRepoPath('file:///work/main/src/demo/fees.ts', { repoRoot: '/work/main' })).toBe(
      'src/demo/fees.ts',
    );
    expect(profileUrlToRepoPath('file:///work/main/src/a%20b.ts', { repoRoot: '/work/main/' })).toBe(
      'src/a b.ts',
    );
    expect(profileUrlToRepoPath('file:///elsewhere/x.ts', { repoRoot: '/work/main' })).toBeUndefined();
    expect(profileUrlToRepoPath('node:internal/timers', { repoRoot: '/work/main' })).toBeUndefined();
    expect(profileUrlToRepoPath('', { repoRoot: '/work/main' })).toBeUndefined();
    expect(fileUrlToPath('file:///C:/repo/src/x.ts')).toBe('C:/repo/src/x.ts');
    expect(profileUrlToRepoPath('file:///C:/repo/src/x.ts', { repoRoot: 'C:\\repo' })).toBe('src/x.ts');
  });

  it('applies path maps (remote roots, Go module paths) and keeps relative paths', () => {
    expect(profileUrlToRepoPath('file:///app/src/x.js', { pathMap: [{ from: '/app/', to: '' }] })).toBe(
      'src/x.js',
    );
    expect(
      profileUrlToRepoPath('github.com/acme/svc/pkg/h.go', {
        pathMap: [{ from: 'github.com/acme/svc/', to: '' }],
      }),
    ).toBe('pkg/h.go');
    expect(
      profileUrlToRepoPath('/home/runner/work/svc/svc/main.go', { repoRoot: '/home/runner/work/svc/svc' }),
    ).toBe('main.go');
  });

  it('recognises dependency frames: node_modules (scoped, nested, pnpm), Go module cache, cargo registry', () => {
    expect(dependencyOf('file:///app/node_modules/zod/lib/index.js')).toEqual({
      ecosystem: 'npm',
      name: 'zod',
    });
    expect(dependencyOf('file:///app/node_modules/@scope/pkg/dist/x.js')).toEqual({
      ecosystem: 'npm',
      name: '@scope/pkg',
    });
    expect(dependencyOf('file:///app/node_modules/a/node_modules/b/i.js')).toEqual({
      ecosystem: 'npm',
      name: 'b',
    });
    expect(dependencyOf('file:///app/node_modules/.pnpm/zod@3.24.1/node_modules/zod/index.js')).toEqual({
      ecosystem: 'npm',
      name: 'zod',
    });
    expect(dependencyOf('/root/go/pkg/mod/github.com/!burnt!sushi/toml@v1.3.2/decode.go')).toEqual({
      ecosystem: 'go',
      name: 'github.com/BurntSushi/toml',
      version: 'v1.3.2',
    });
    expect(
      dependencyOf('/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde-1.0.2/src/de.rs'),
    ).toEqual({
      ecosystem: 'cargo',
      name: 'serde',
      version: '1.0.2',
    });
    expect(dependencyOf('file:///app/src/x.js')).toBeUndefined();
  });
});

describe('inferCheckoutRoot', () => {
  const repoFiles = new Set(['src/pricing.ts', 'src/server.ts']);
  const isRepoFile = (p: string) => repoFiles.has(p);

  it("finds the other checkout's root from frames outside the repository", () => {
    expect(
      inferCheckoutRoot(
        [
          'file:///srv/app-main/src/pricing.ts',
          'file:///srv/app-main/src/server.ts',
          'node:internal/streams',
          'file:///srv/app-main/node_modules/fastify/lib/route.js',
        ],
        '/home/ci/app',
        isRepoFile,
      ),
    ).toBe('/srv/app-main');
  });

  it('is undefined when the frames are in the repository or match nothing', () => {
    expect(inferCheckoutRoot(['file:///home/ci/app/src/pricing.ts'], '/home/ci/app', isRepoFile)).toBe(
      undefined,
    );
    expect(inferCheckoutRoot(['file:///srv/other/lib/x.js'], '/home/ci/app', isRepoFile)).toBe(undefined);
  });
});
