// Loads the handlebars templates: the built-in ones shipped in templates/, or a user's directory that
// replaces any of them (missing files fall back to the built-in ones).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../contracts/errors.ts';
import type { TemplateSet } from './render/render.ts';

/** The package root: the nearest directory above this module with perf-gate's package.json. */
export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(path.join(dir, 'templates'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find perf-gate's templates above ${from}`);
    dir = parent;
  }
}

function readDir(dir: string): TemplateSet | Partial<TemplateSet> {
  const read = (name: string) => {
    const file = path.join(dir, name);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
  const partials: Record<string, string> = {};
  const partialDir = path.join(dir, 'partials');
  if (existsSync(partialDir)) {
    for (const f of readdirSync(partialDir)) {
      if (f.endsWith('.hbs')) partials[f.slice(0, -4)] = readFileSync(path.join(partialDir, f), 'utf8');
    }
  }
  const comment = read('comment.md.hbs');
  const summary = read('summary.md.hbs');
  return { ...(comment ? { comment } : {}), ...(summary ? { summary } : {}), partials };
}

export function loadTemplates(userDir?: string): TemplateSet {
  const builtIn = readDir(path.join(packageRoot(), 'templates')) as TemplateSet;
  if (!userDir) return builtIn;
  if (!existsSync(userDir)) throw new UsageError(`template directory not found: ${userDir}`);
  const user = readDir(userDir);
  return {
    comment: user.comment ?? builtIn.comment,
    summary: user.summary ?? builtIn.summary,
    partials: { ...builtIn.partials, ...user.partials },
  };
}
