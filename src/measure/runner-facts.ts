// The runner a run was measured on (CPU model, cores, kernel, Node), compared between a stored baseline and
// the candidate: a different runner makes stored numbers less comparable, which the user should be told.
import type { RunMeta } from '../contracts/run-result.ts';

export function runnerDifferences(
  baseline: Pick<RunMeta, 'host' | 'tool'>,
  candidate: Pick<RunMeta, 'host' | 'tool'>,
): string[] {
  const out: string[] = [];
  const differ = (what: string, b: unknown, c: unknown) => {
    if (b !== undefined && c !== undefined && b !== c) out.push(`${what} ${String(b)} -> ${String(c)}`);
  };
  differ('CPU', baseline.host.cpuModel, candidate.host.cpuModel);
  differ('cores', baseline.host.cores, candidate.host.cores);
  differ('kernel', baseline.host.kernel, candidate.host.kernel);
  differ('Node', baseline.tool.node, candidate.tool.node);
  return out;
}
