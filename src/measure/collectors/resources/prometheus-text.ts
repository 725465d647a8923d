// Parser for the Prometheus text exposition format 0.0.4 (prometheus/docs `exposition_formats.md`).
// Pure: text in, metric families out. Errors name the 1-based line so a broken /metrics page can be fixed.
//
// Grammar handled:
//   # HELP <name> <docstring>       docstring escapes: \\ and \n
//   # TYPE <name> <type>            counter | gauge | histogram | summary | untyped
//   # anything else                 a comment, ignored
//   <name>[{l="v",...[,]}] <value> [<timestamp ms>]
// Label values escape \\, \" and \n. Values are Go floats including NaN, +Inf, -Inf. Blank lines are
// ignored; a trailing \r (CRLF pages) is tolerated. Histogram (`_bucket`, `_sum`, `_count`) and summary
// (`_sum`, `_count`, quantiles) series are grouped under the family declared by `# TYPE`.

export type PromMetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PromSample {
  /** Series name as written, e.g. `http_seconds_bucket` inside family `http_seconds`. */
  name: string;
  labels: Record<string, string>;
  /** May be NaN or ±Infinity, as the format allows. */
  value: number;
  /** Milliseconds since the epoch, when the line carried one. */
  timestampMs?: number;
}

export interface PromFamily {
  name: string;
  type: PromMetricType;
  help?: string;
  samples: PromSample[];
}

export class PromParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'PromParseError';
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES = new Set<PromMetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Go's strconv.ParseFloat spellings that the format allows besides plain decimals. */
function parseValue(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === '+inf' || lower === 'inf' || lower === '+infinity' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  // Number('') is 0 and Number('0x10') is 16: accept only decimal float syntax.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** Family a series belongs to: `x_bucket` belongs to histogram `x`, `x_sum` to histogram or summary `x`. */
function familyOf(name: string, types: Map<string, PromMetricType>): string {
  for (const [suffix, kinds] of [
    ['_bucket', ['histogram']],
    ['_sum', ['histogram', 'summary']],
    ['_count', ['histogram', 'summary']],
  ] as const) {
    if (name.endsWith(suffix)) {
      const base = name.slice(0, -suffix.length);
      const t = types.get(base);
      if (t && (kinds as readonly string[]).includes(t)) return base;
    }
  }
  return name;
}

/** Parses a whole exposition page. @throws PromParseError on the first malformed line. */
export function parsePrometheusText(text: string): PromFamily[] {
  const families = new Map<string, PromFamily>();
  const types = new Map<string, PromMetricType>();
  const helpSeen = new Set<string>();
  const familyWithSamples = new Set<string>();

  const getFamily = (name: string): PromFamily => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: types.get(name) ?? 'untyped', samples: [] };
      families.set(name, f);
    }
    return f;
  };

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const fail = (message: string): never => {
      throw new PromParseError(message, lineNo);
    };

    if (line.trimStart().startsWith('#')) {
      const m = /^\s*#\s+(HELP|TYPE)\s+(\S+)(?:[ \t]+(.*))?$/.exec(line);
      if (!m) continue; // an ordinary comment
      const [, keyword, name, rest = ''] = m as unknown as [string, 'HELP' | 'TYPE', string, string?];
      if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) fail(`invalid metric name '${name}' in # ${keyword}`);
      if (keyword === 'HELP') {
        if (helpSeen.has(name)) fail(`second HELP line for metric '${name}'`);
        helpSeen.add(name);
        getFamily(name).help = unescapeHelp(rest);
      } else {
        const type = rest.trim() as PromMetricType;
        if (!TYPES.has(type)) fail(`unknown metric type '${rest.trim()}' for '${name}'`);
        if (types.has(name)) fail(`second TYPE line for metric '${name}'`);
        if (familyWithSamples.has(name)) fail(`TYPE line for '${name}' after its samples`);
        types.set(name, type);
        getFamily(name).type = type;
      }
      continue;
    }

    // A sample line.
    let pos = 0;
    const skipBlanks = () => {
      while (line[pos] === ' ' || line[pos] === '\t') pos++;
    };
    skipBlanks();
    const nameMatch = METRIC_NAME.exec(line.slice(pos));
    if (!nameMatch) fail(`expected a metric name, found '${line.slice(pos, pos + 20)}'`);
    const name = nameMatch![0];
    pos += name.length;
    skipBlanks();
    const labels: Record<string, string> = {};
    if (line[pos] === '{') {
      pos++;
      for (;;) {
        skipBlanks();
        if (line[pos] === '}') {
          pos++;
          break;
        }
        const ln = LABEL_NAME.exec(line.slice(pos));
        if (!ln) fail(`expected a label name or '}' at column ${pos + 1}`);
        const labelName = ln![0];
        pos += labelName.length;
        skipBlanks();
        if (line[pos] !== '=') fail(`expected '=' after label '${labelName}'`);
        pos++;
        skipBlanks();
        if (line[pos] !== '"') fail(`expected '"' to open the value of label '${labelName}'`);
        pos++;
        let value = '';
        let closed = false;
        while (pos < line.length) {
          const c = line[pos]!;
          if (c === '\\') {
            const n = line[pos + 1];
            if (n === '\\') value += '\\';
            else if (n === '"') value += '"';
            else if (n === 'n') value += '\n';
            else fail(`invalid escape '\\${n ?? ''}' in the value of label '${labelName}'`);
            pos += 2;
          } else if (c === '"') {
            pos++;
            closed = true;
            break;
          } else {
            value += c;
            pos++;
          }
        }
        if (!closed) fail(`unterminated value of label '${labelName}'`);
        if (Object.prototype.hasOwnProperty.call(labels, labelName)) {
          fail(`label '${labelName}' appears twice`);
        }
        labels[labelName] = value;
        skipBlanks();
        if (line[pos] === ',') {
          pos++;
          continue;
        }
        if (line[pos] === '}') {
          pos++;
          break;
        }
        fail(`expected ',' or '}' after the value of label '${labelName}'`);
      }
    }
    const rest = line
      .slice(pos)
      .trim()
      .split(/[ \t]+/);
    if (rest.length === 0 || rest[0] === '') fail(`missing value for '${name}'`);
    if (rest.length > 2) fail(`unexpected text after the timestamp: '${rest.slice(2).join(' ')}'`);
    const value = parseValue(rest[0]!);
    if (value === undefined) fail(`invalid value '${rest[0]}' for '${name}'`);
    let timestampMs: number | undefined;
    if (rest.length === 2) {
      if (!/^-?\d+$/.test(rest[1]!)) fail(`invalid timestamp '${rest[1]}' (integer milliseconds expected)`);
      timestampMs = Number(rest[1]);
    }

    const familyName = familyOf(name, types);
    const family = getFamily(familyName);
    if (family.type === 'histogram' && name === `${familyName}_bucket` && labels.le === undefined) {
      fail(`histogram bucket '${name}' without an 'le' label`);
    }
    if (family.type === 'histogram' && name === familyName) {
      fail(`histogram '${familyName}' has a bare sample; expected _bucket, _sum or _count`);
    }
    if (family.type === 'summary' && name === familyName && labels.quantile === undefined) {
      fail(`summary '${familyName}' sample without a 'quantile' label`);
    }
    familyWithSamples.add(familyName);
    family.samples.push({
      name,
      labels,
      value: value!,
      ...(timestampMs !== undefined ? { timestampMs } : {}),
    });
  }
  return [...families.values()];
}

/** Every sample with this series name (across families), optionally filtered by label values. */
export function samplesNamed(
  families: readonly PromFamily[],
  name: string,
  labels: Record<string, string> = {},
): PromSample[] {
  const out: PromSample[] = [];
  for (const f of families) {
    for (const s of f.samples) {
      if (s.name !== name) continue;
      if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) out.push(s);
    }
  }
  return out;
}
