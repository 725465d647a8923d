import { describe, expect, it } from 'vitest';
import { MASK, Redactor, redactUrl } from '../../../src/util/redact.ts';

describe('Redactor', () => {
  it('masks every occurrence, also URL-encoded, longest secret first', () => {
    const r = new Redactor(['s3cr3t/token', 's3cr3t']);
    expect(r.redact('a s3cr3t/token b s3cr3t c')).toBe(`a ${MASK} b ${MASK} c`);
    expect(r.redact(`?t=${encodeURIComponent('s3cr3t/token')}`)).toBe(`?t=${MASK}`);
  });

  it('redacts deep structures including keys', () => {
    const r = new Redactor(['hunter2']);
    expect(r.redactDeep({ a: ['x hunter2'], hunter2: 1, n: 3 })).toEqual({
      a: [`x ${MASK}`],
      [MASK]: 1,
      n: 3,
    });
  });

  it('strips URL credentials', () => {
    expect(redactUrl('https://user:pw@example.com/x')).toBe(`https://${MASK}:${MASK}@example.com/x`);
    expect(redactUrl('http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000/');
  });
});
