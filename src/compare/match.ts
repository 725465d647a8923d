// Pairs the scenarios of two runs. Only scenarios with equal fingerprints are compared; everything else
// is listed as unmatched with what differs, never compared.
import type { RunResult, ScenarioResult } from '../contracts/run-result.ts';
import type { UnmatchedScenario } from './types.ts';

export interface MatchedScenario {
  name: string;
  baseline: ScenarioResult;
  candidate: ScenarioResult;
}

export function matchScenarios(
  baseline: RunResult,
  candidate: RunResult,
): { matched: MatchedScenario[]; unmatched: UnmatchedScenario[] } {
  const matched: MatchedScenario[] = [];
  const unmatched: UnmatchedScenario[] = [];
  const baseByName = new Map(baseline.scenarios.map((s) => [s.name, s]));
  const seen = new Set<string>();
  for (const c of candidate.scenarios) {
    const b = baseByName.get(c.name);
    seen.add(c.name);
    if (!b) {
      unmatched.push({ scenario: c.name, side: 'candidate-only', detail: 'new scenario: no baseline yet' });
    } else if (b.fingerprint !== c.fingerprint) {
      unmatched.push({ scenario: c.name, side: 'changed', detail: describeChange(b, c) });
    } else {
      matched.push({ name: c.name, baseline: b, candidate: c });
    }
  }
  for (const b of baseline.scenarios) {
    if (!seen.has(b.name)) {
      unmatched.push({
        scenario: b.name,
        side: 'baseline-only',
        detail: 'not in the candidate run (removed or renamed)',
      });
    }
  }
  return { matched, unmatched };
}

/** Says in words why two versions of a scenario measure different things. */
export function describeChange(b: ScenarioResult, c: ScenarioResult): string {
  const parts: string[] = [];
  if (b.runner !== c.runner) parts.push(`engine ${b.runner} -> ${c.runner}`);
  if (JSON.stringify(b.load) !== JSON.stringify(c.load)) {
    parts.push(`load ${describeLoad(b.load)} -> ${describeLoad(c.load)}`);
  }
  if (b.timeoutMs !== c.timeoutMs) parts.push(`timeout ${b.timeoutMs} ms -> ${c.timeoutMs} ms`);
  const bReq = new Map(b.requests.map((r) => [r.name, r]));
  const cReq = new Map(c.requests.map((r) => [r.name, r]));
  const added = [...cReq.keys()].filter((n) => !bReq.has(n));
  const removed = [...bReq.keys()].filter((n) => !cReq.has(n));
  const changed = [...cReq.values()]
    .filter((r) => {
      const old = bReq.get(r.name);
      return old !== undefined && (old.fingerprint !== r.fingerprint || old.weight !== r.weight);
    })
    .map((r) => r.name);
  if (added.length) parts.push(`requests added: ${added.join(', ')}`);
  if (removed.length) parts.push(`requests removed or renamed: ${removed.join(', ')}`);
  if (changed.length) parts.push(`requests changed: ${changed.join(', ')}`);
  return parts.length ? parts.join('; ') : 'scenario definition changed';
}

function describeLoad(l: ScenarioResult['load']): string {
  return l.model === 'closed'
    ? `closed ${l.connections} connections ${l.durationMs} ms`
    : `rate ${l.ratePerSec}/s ${l.connections} connections ${l.durationMs} ms`;
}
