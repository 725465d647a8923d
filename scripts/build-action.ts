// Bundles the Action (action/index.ts and everything it imports, dependencies included) into one file,
// action/dist/index.js, which is committed: GitHub runs it as it is. A test rebuilds it and fails when
// the committed file differs. `npm run build:action`; `--out FILE` writes elsewhere (the test does).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildAction(outfile = path.join(root, 'action/dist/index.js')): Promise<void> {
  await build({
    entryPoints: [path.join(root, 'action/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    legalComments: 'none',
    logLevel: 'warning',
    // CommonJS dependencies call require() for Node built-ins; an ESM bundle needs one to exist.
    banner: {
      js: "import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);",
    },
    absWorkingDir: root,
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  await buildAction(i > 0 ? path.resolve(process.argv[i + 1]!) : undefined);
}
