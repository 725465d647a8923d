// Finds the source map of a profiled script: its `//# sourceMappingURL=` comment (a file next to it or
// an inline `data:` URL, as tsc --sourceMap / --inlineSourceMap and esbuild --sourcemap write them), else
// `<script>.map`. Only local `file://` scripts outside node_modules are looked at; each is read once.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TraceMap } from '@jridgewell/trace-mapping';
import type { SourceMapLookup } from '../source-maps.ts';

const MAPPING_URL = /\/\/[#@]\s*sourceMappingURL=(\S+)\s*$/;

function mapOfScript(url: string): TraceMap | undefined {
  if (!url.startsWith('file://') || url.includes('/node_modules/')) return undefined;
  const file = fileURLToPath(url);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const tail = text.slice(Math.max(0, text.length - 4096)).trimEnd();
  const lastLine = tail.slice(tail.lastIndexOf('\n') + 1);
  const ref = MAPPING_URL.exec(lastLine)?.[1];
  if (ref?.startsWith('data:')) {
    const comma = ref.indexOf(',');
    const meta = ref.slice(0, comma);
    const data = ref.slice(comma + 1);
    const json = meta.endsWith(';base64')
      ? Buffer.from(data, 'base64').toString('utf8')
      : decodeURIComponent(data);
    return new TraceMap(json, url);
  }
  const mapUrl = ref ? new URL(ref, url) : pathToFileURL(`${file}.map`);
  if (mapUrl.protocol !== 'file:') return undefined;
  const mapFile = fileURLToPath(mapUrl);
  if (!existsSync(mapFile)) return undefined;
  return new TraceMap(readFileSync(mapFile, 'utf8'), mapUrl.href);
}

/** A cached lookup of source maps by script URL; a map that cannot be read or parsed counts as none. */
export function fileSourceMaps(): SourceMapLookup {
  const cache = new Map<string, TraceMap | undefined>();
  return (url) => {
    if (!cache.has(url)) {
      let map: TraceMap | undefined;
      try {
        map = mapOfScript(url);
      } catch {
        map = undefined;
      }
      cache.set(url, map);
    }
    return cache.get(url);
  };
}
