// Writes the attribution's artifacts (a differential flame-graph input and a speedscope profile) and
// trims the result for the JSON report (the full profile diff stays in the artifacts).
import path from 'node:path';
import type { AttributionResult } from '../attribution/attribute.ts';
import { diffFolded, speedscopeFile } from '../attribution/folded.ts';
import { atomicWrite } from '../util/atomic-write.ts';

export type ReportedAttribution = Omit<AttributionResult, 'diff'>;

export function attributionForReport(result: AttributionResult): ReportedAttribution {
  const { diff: _diff, ...rest } = result;
  return rest;
}

/**
 * diff.folded (baseline and candidate counts per stack, for flamegraph.pl's difffolded input) and a
 * speedscope-loadable JSON, when profiles were compared. Frames are labelled relative to `repoRoot`.
 */
export async function writeAttributionArtifacts(
  outDir: string,
  result: AttributionResult,
  repoRoot?: string,
): Promise<string[]> {
  if (!result.diff) return [];
  const strip = repoRoot ? { stripPrefix: `file://${repoRoot.replace(/\/+$/, '')}/` } : {};
  const folded = path.join(outDir, 'diff.folded');
  const speedscope = path.join(outDir, 'profile.speedscope.json');
  await atomicWrite(folded, diffFolded(result.diff, strip));
  await atomicWrite(
    speedscope,
    `${JSON.stringify(speedscopeFile(result.diff, { name: 'perf-gate candidate vs baseline', ...strip }))}\n`,
  );
  return [folded, speedscope];
}
