import { describe, expect, it } from 'vitest';
import { interpolate, interpolateString, maskSecrets } from '../../../src/config/parse/interpolate.ts';

describe('interpolateString', () => {
  it('substitutes variables and reports non-empty values as secrets', () => {
    expect(interpolateString('Bearer ${TOKEN}', { TOKEN: 'abc' })).toEqual({
      value: 'Bearer abc',
      secrets: ['abc'],
      issues: [],
    });
  });

  it('uses the default when the variable is unset or empty; a default is not a secret', () => {
    expect(interpolateString('${HOST:-localhost}:${PORT:-3000}', { PORT: '' })).toEqual({
      value: 'localhost:3000',
      secrets: [],
      issues: [],
    });
    expect(interpolateString('${HOST:-localhost}', { HOST: 'prod' })).toMatchObject({
      value: 'prod',
      secrets: ['prod'],
    });
    expect(interpolateString('${EMPTY:-}', {}).value).toBe('');
  });

  it('keeps a set but empty variable as empty, and does not count it as a secret', () => {
    expect(interpolateString('a${E}b', { E: '' })).toEqual({ value: 'ab', secrets: [], issues: [] });
  });

  it('$${ escapes a literal ${', () => {
    expect(interpolateString('$${HOME} costs $5 and $${', { HOME: 'x' })).toEqual({
      value: '${HOME} costs $5 and ${',
      secrets: [],
      issues: [],
    });
  });

  it('names an unset variable', () => {
    const result = interpolateString('${A}/${MISSING}', { A: 'a' });
    expect(result.issues).toEqual([
      {
        message: 'environment variable MISSING is not set',
        expected: "MISSING in the environment, or a default: '${MISSING:-value}'",
      },
    ]);
    expect(result.value).toBe('${A}/${MISSING}');
  });

  it('reports malformed references', () => {
    expect(interpolateString('${1X}', {}).issues[0]?.message).toBe('invalid variable reference');
    expect(interpolateString('x ${OPEN', {}).issues[0]?.message).toBe("unterminated '${'");
  });
});

describe('interpolate', () => {
  it('walks every string value (not keys), collecting issues with their path and distinct secrets', () => {
    const input = {
      '${KEY}': 'kept key',
      target: '${URL}',
      n: 3,
      list: ['${TOKEN}', { deep: 'x-${TOKEN}-${NOPE}' }],
    };
    const result = interpolate(input, { URL: 'http://h', TOKEN: 't0k' });
    expect(result.value).toEqual({
      '${KEY}': 'kept key',
      target: 'http://h',
      n: 3,
      list: ['t0k', { deep: 'x-${TOKEN}-${NOPE}' }],
    });
    expect(result.secrets).toEqual(['http://h', 't0k']);
    expect(result.issues).toEqual([
      expect.objectContaining({ path: ['list', 1, 'deep'], message: 'environment variable NOPE is not set' }),
    ]);
    expect(input.target).toBe('${URL}');
  });
});

describe('maskSecrets', () => {
  it('masks every occurrence, longest secret first', () => {
    expect(maskSecrets('token abc123xyz and abcdef', ['abcdef', 'abc123xyz'])).toBe('token *** and ***');
    // Numbers and short values are never secrets: a trial count of 3 stays readable.
    expect(maskSecrets("found '3' in 1234 µs", ['3', '1234'])).toBe("found '3' in 1234 µs");
    expect(maskSecrets('nothing', [])).toBe('nothing');
  });
});
