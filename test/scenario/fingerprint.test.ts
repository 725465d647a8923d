import { describe, expect, it } from 'vitest';
import { requestFingerprint, scenarioFingerprint } from '../../src/scenario/fingerprint.ts';
import { Redactor } from '../../src/util/redact.ts';
import { testScenario } from '../helpers/scenario.ts';

const base = () =>
  testScenario('http://a.example', [{ name: 'r', path: '/x', headers: { authorization: 'Bearer tok123' } }]);

describe('scenario fingerprint', () => {
  it('ignores the target (baseline and candidate are different deployments)', () => {
    const a = base();
    const b = { ...base(), target: 'https://preview-42.example' };
    expect(scenarioFingerprint(a)).toBe(scenarioFingerprint(b));
  });

  it('changes with the load model, the engine, a path, a body or a weight', () => {
    const a = scenarioFingerprint(base());
    expect(
      scenarioFingerprint({ ...base(), load: { model: 'closed', connections: 5, durationMs: 1500 } }),
    ).not.toBe(a);
    expect(scenarioFingerprint({ ...base(), runner: 'k6' })).not.toBe(a);
    const s = base();
    s.requests[0]!.path = '/y';
    expect(scenarioFingerprint(s)).not.toBe(a);
    const w = base();
    w.requests[0]!.weight = 2;
    expect(scenarioFingerprint(w)).not.toBe(a);
    const body = base();
    body.requests[0]!.body = '{}';
    expect(scenarioFingerprint(body)).not.toBe(a);
  });

  it('hashes secret header values masked, so rotating a token keeps the fingerprint', () => {
    const a = base();
    const b = base();
    b.requests[0]!.headers = { authorization: 'Bearer other999' };
    expect(requestFingerprint(a.requests[0]!, new Redactor(['tok123']))).toBe(
      requestFingerprint(b.requests[0]!, new Redactor(['other999'])),
    );
    expect(requestFingerprint(a.requests[0]!)).not.toBe(requestFingerprint(b.requests[0]!));
  });
});
