// Reads and writes history entries (one JSON object per line in pack files, or one per loose file) and the
// exclusion list. Unlike a baseline, a bad history entry is never fatal: it is skipped and reported, so one
// corrupt line cannot take months of history down. Older formats are migrated on read: a full RunResult (what
// releases before history entries kept in history/) becomes an entry.
import {
  EXCLUSIONS_KIND,
  HISTORY_ENTRY_KIND,
  HISTORY_ENTRY_SCHEMA_VERSION,
  exclusionsSchema,
  historyEntrySchema,
  type HistoryEntry,
  type HistoryExclusion,
} from '../../contracts/history-entry.ts';
import { summarizeRun } from '../../history/entry.ts';
import { DataError } from '../../contracts/errors.ts';
import { RUN_RESULT_KIND } from '../../contracts/run-result.ts';
import { decodeRunResult } from './run-result-codec.ts';

export type Decoded<T> = { ok: true; value: T } | { ok: false; problem: string };

export function encodeHistoryEntry(entry: HistoryEntry): string {
  return JSON.stringify(entry);
}

/** One entry from its JSON text (a current entry, or a legacy full run result, migrated). */
export function decodeHistoryEntry(text: string, source: string): Decoded<HistoryEntry> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `${source}: not valid JSON (${(err as Error).message})` };
  }
  const kind = (data as { kind?: unknown } | null)?.kind;
  if (kind === RUN_RESULT_KIND) {
    try {
      return { ok: true, value: summarizeRun(decodeRunResult(text, source)) };
    } catch (err) {
      return { ok: false, problem: (err as Error).message };
    }
  }
  if (kind !== HISTORY_ENTRY_KIND) {
    return { ok: false, problem: `${source}: not a perf-gate history entry (kind ${JSON.stringify(kind)})` };
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== HISTORY_ENTRY_SCHEMA_VERSION) {
    return {
      ok: false,
      problem:
        `${source}: history entry schema version ${JSON.stringify(version)} is newer than this perf-gate ` +
        `reads (${HISTORY_ENTRY_SCHEMA_VERSION}); upgrade perf-gate`,
    };
  }
  const parsed = historyEntrySchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      ok: false,
      problem: `${source}: invalid history entry: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    };
  }
  return { ok: true, value: parsed.data };
}

/** Entries of a pack (one per line); bad lines are reported by line number and skipped. */
export function decodeHistoryPack(
  text: string,
  source: string,
): { entries: HistoryEntry[]; problems: string[] } {
  const entries: HistoryEntry[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const d = decodeHistoryEntry(line, `${source}:${i + 1}`);
    if (d.ok) entries.push(d.value);
    else problems.push(d.problem);
  });
  return { entries, problems };
}

export function encodeHistoryPack(entries: readonly HistoryEntry[]): string {
  return entries.map((e) => `${encodeHistoryEntry(e)}\n`).join('');
}

export function encodeExclusions(exclusions: readonly HistoryExclusion[]): string {
  return `${JSON.stringify({ kind: EXCLUSIONS_KIND, exclusions }, null, 2)}\n`;
}

/** The exclusion list; a corrupt one is an error (silently dropping it would bring a bad run back). */
export function decodeExclusions(text: string, source: string): HistoryExclusion[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DataError(
      `${source}: not valid JSON (${(err as Error).message}); fix or delete the file`,
      source,
    );
  }
  const parsed = exclusionsSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `${source}: invalid exclusion list: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  return parsed.data.exclusions;
}
