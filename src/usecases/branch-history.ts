// After a baseline is stored on push: analyse the branch's history and say what changed (change points,
// creep) in the job summary. A history problem is a warning, never a failed push job.
import { analyzeHistory } from '../history/analyze.ts';
import type { HistoryData } from '../history/entry.ts';
import { historySummaryMarkdown } from '../history/markdown.ts';
import { historyForReport } from '../history/report-data.ts';
import { formatCreep } from '../history/format.ts';
import { createRng } from '../stats/rng.ts';
import type { Logger } from '../contracts/ports.ts';

/** Markdown for the job summary, or undefined when the history could not be read. */
export async function branchHistorySummary(
  store: { readHistory(branch: string): Promise<HistoryData> },
  branch: string,
  logger: Logger,
  seed = 1,
): Promise<string | undefined> {
  try {
    const data = await store.readHistory(branch);
    const analysis = analyzeHistory(data.entries, data.exclusions, { rng: createRng(seed) });
    for (const c of analysis.creep) logger.warn(`creep on ${branch}: ${formatCreep(c)}`);
    return historySummaryMarkdown(branch, historyForReport(analysis));
  } catch (err) {
    logger.warn(`the history of ${branch} could not be analysed: ${(err as Error).message}`);
    return undefined;
  }
}
