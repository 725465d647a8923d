import { describe, expect, it } from 'vitest';
import { MASK, maskable, Redactor, redactUrl } from '../../src/util/redact.ts';

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

  it('never masks numbers, booleans or short values, so figures stay readable', () => {
    for (const v of ['123', '3', '1234567', '-2.5', '1e9', 'true', 'abc', 'k-12'])
      expect(maskable(v)).toBe(false);
    const r = new Redactor(['123', '1234567', 'abc', 'true']);
    expect(r.size).toBe(0);
    expect(r.redact('1234 µs, found 1234567 requests, true')).toBe('1234 µs, found 1234567 requests, true');
    expect(new Redactor(['123']).add('123')).toBe(false);
  });

  it('masks a short secret only as a whole token, a long one anywhere', () => {
    const short = new Redactor(['pa55word']);
    expect(short.redact('Bearer pa55word; x=pa55word&y')).toBe(`Bearer ${MASK}; x=${MASK}&y`);
    expect(short.redact('pa55words and mypa55word stay')).toBe('pa55words and mypa55word stay');
    const long = new Redactor(['sk_live_0123456789abcdef']);
    expect(long.redact('/api/sk_live_0123456789abcdefXYZ')).toBe(`/api/${MASK}XYZ`);
  });

  it('lists what it masks, for ::add-mask::', () => {
    expect(new Redactor(['hunter2', '42']).values()).toEqual(['hunter2']);
  });

  it('strips URL credentials', () => {
    expect(redactUrl('https://user:pw@example.com/x')).toBe(`https://${MASK}:${MASK}@example.com/x`);
    expect(redactUrl('http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000/');
  });
});

describe('credentials', () => {
  it('are masked whatever they look like (a short or numeric token given as the token)', () => {
    const r = new Redactor();
    expect(r.add('12345', true)).toBe(true);
    expect(r.redact('token=12345 but 123456 stays')).toBe(`token=${MASK} but 123456 stays`);
  });
});
