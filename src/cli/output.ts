// What `gate`, `compare` and `demo` print on stdout: the comparison table, the failed requests, the verdict.
import type { Comparison } from '../compare/types.ts';
import { comparisonTable, verdictText } from '../report/comparison-table.ts';
import { failureLines } from '../report/run-summary.ts';
import type { RunResult } from '../contracts/run-result.ts';
import type { Verdict } from '../verdict/types.ts';
import type { CliIo } from './context.ts';

export function printVerdict(
  io: CliIo,
  comparison: Comparison | undefined,
  verdict: Verdict,
  candidate: RunResult,
  all = false,
): void {
  if (comparison) io.stdout.write(`\n${comparisonTable(comparison, verdict, all)}\n`);
  // Which statuses and socket errors the failed requests got: the error rate alone does not say.
  const failures = failureLines(candidate, 'candidate');
  if (failures) io.stdout.write(`\n${failures}\n`);
  io.stdout.write(`\n${verdictText(verdict)}\n`);
}
