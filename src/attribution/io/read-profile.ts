// File access for attribution (outside the pure core): profiles, head sources, git diffs.
//
// A `.cpuprofile` is not read into memory: the returned ByteSource reads 1 MiB windows with positional
// reads (opening the file per read, so no descriptor outlives a call), which keeps a 50 MB profile's cost
// at its nodes. pprof files are gunzipped here so that the pure reader gets plain protobuf.

import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ByteSource } from '../bytes.ts';
import type { ProfileSource } from '../attribute.ts';

/** Positional-read ByteSource over a file. */
export function fileByteSource(path: string): ByteSource {
  const length = statSync(path).size;
  return {
    length,
    read(offset, size) {
      const n = Math.max(0, Math.min(size, length - offset));
      const buf = Buffer.allocUnsafe(n);
      const fd = openSync(path, 'r');
      try {
        let done = 0;
        while (done < n) {
          const got = readSync(fd, buf, done, n - done, offset + done);
          if (got === 0) break;
          done += got;
        }
        return done === n ? buf : buf.subarray(0, done);
      } finally {
        closeSync(fd);
      }
    },
  };
}

function head(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * A profile file as an attribution source: `.cpuprofile` (JSON) or pprof (gzipped or not), detected by
 * content. A missing file becomes `{ format: 'missing' }` with the reason; other problems surface when
 * `attribute` parses it.
 */
export function readProfileSource(path: string): ProfileSource {
  if (!existsSync(path)) return { format: 'missing', reason: `${path} does not exist` };
  const first = head(path, 64);
  if (first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b) {
    try {
      return { format: 'pprof', data: gunzipSync(readFileSync(path)) };
    } catch (err) {
      return { format: 'missing', reason: `${path}: cannot gunzip (${(err as Error).message})` };
    }
  }
  const text = first.toString('latin1').trimStart();
  if (text.startsWith('{') || first.length === 0 || path.endsWith('.cpuprofile')) {
    return { format: 'cpuprofile', data: fileByteSource(path) };
  }
  return { format: 'pprof', data: readFileSync(path) };
}

/** The `.cpuprofile` files of a `--cpu-prof-dir` (one per thread of each process), sorted by name. */
export function listCpuProfiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((f) => join(dir, f));
}

/** Reader of head-version sources from a checkout, for `AttributionInput.sources`. */
export function workingTreeSources(repoRoot: string): (repoPath: string) => string | undefined {
  return (repoPath) => {
    if (repoPath.includes('\0') || repoPath.split('/').includes('..')) return undefined;
    try {
      return readFileSync(join(repoRoot, repoPath), 'utf8');
    } catch {
      return undefined;
    }
  };
}
