// Where history summaries live inside a branch's directory, and how they stay bounded: each run adds one small
// loose file (so concurrent writers never edit the same file); when there are more than LOOSE_LIMIT loose
// files they are folded into one immutable pack (one entry per line, count in its name), and the oldest packs
// are dropped once the branch holds more than the summary limit. Shared by the file and git-branch stores.
export const SUMMARY_DIR = 'summaries';
export const EXCLUSIONS_FILE = 'exclusions.json';
export const AUDIT_FILE = 'audit.log';
export const LOOSE_LIMIT = 50;
/** Runs kept per branch (and fingerprint, on the data branch): about ten years of daily merges. */
export const DEFAULT_SUMMARY_LIMIT = 5000;

export const looseName = (id: string): string => `${id}.json`;
export const packName = (lastId: string, count: number): string => `pack-${lastId}-n${count}.ndjson`;

const PACK = /^pack-(.+)-n(\d+)\.ndjson$/;
export const isPack = (name: string): boolean => PACK.test(name);
export const isLoose = (name: string): boolean => !isPack(name) && name.endsWith('.json');

export interface CompactionPlan {
  /** Loose files to fold into a new pack (empty: nothing to fold). */
  fold: string[];
  /** Packs to delete, oldest first. */
  drop: string[];
}

/** What to fold and drop, given the file names in the summaries directory (after this run's file was added). */
export function planCompaction(
  names: readonly string[],
  summaryLimit = DEFAULT_SUMMARY_LIMIT,
  looseLimit = LOOSE_LIMIT,
): CompactionPlan {
  const loose = names.filter(isLoose).sort();
  const packs = names.filter(isPack).sort();
  const fold = loose.length > looseLimit ? loose : [];
  const count = (p: string): number => Number(PACK.exec(p)![2]);
  let total = loose.length + packs.reduce((sum, p) => sum + count(p), 0);
  const drop: string[] = [];
  for (const p of packs) {
    if (total - count(p) < summaryLimit) break;
    drop.push(p);
    total -= count(p);
  }
  return { fold, drop };
}

/** The audit trail's line for a run marked bad (tab-separated, one per line, appended). */
export function auditLine(at: string, run: string, by: string, reason: string): string {
  const clean = (s: string): string => s.replace(/[\t\r\n]+/g, ' ');
  return `${clean(at)}\tmark-bad\t${clean(run)}\tby ${clean(by)}\t${clean(reason)}\n`;
}
