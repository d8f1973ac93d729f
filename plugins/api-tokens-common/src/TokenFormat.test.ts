import fc from 'fast-check';
import {
  API_TOKEN_LENGTH,
  API_TOKEN_PATTERN,
  API_TOKEN_PREFIX,
  apiTokenHint,
  crc32,
  formatApiToken,
  generateApiToken,
  hasApiTokenPrefix,
  isWellFormedApiToken,
} from './TokenFormat';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Any 32-character base62 random part. */
const randomPart = fc.string({
  unit: fc.constantFrom(...BASE62),
  minLength: 32,
  maxLength: 32,
});

/** Every token that differs from `token` in exactly one character. */
function* singleCharacterCorruptions(token: string): Generator<string> {
  const alphabet = `${BASE62}_`;
  for (let position = 0; position <= token.length; position++) {
    for (const character of alphabet) {
      // Insertion before `position`.
      yield token.slice(0, position) + character + token.slice(position);
      // Substitution at `position`.
      if (position < token.length && character !== token[position]) {
        yield token.slice(0, position) + character + token.slice(position + 1);
      }
    }
    // Deletion at `position`.
    if (position < token.length) {
      yield token.slice(0, position) + token.slice(position + 1);
    }
  }
}

describe('TokenFormat', () => {
  it('computes the standard CRC32 (IEEE) check value', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(
      0x414fa339,
    );
  });

  it('formats any 32-character base62 random part into a well-formed token', () => {
    fc.assert(
      fc.property(randomPart, random => {
        const token = formatApiToken(random);
        expect(token).toHaveLength(API_TOKEN_LENGTH);
        expect(token.startsWith(`${API_TOKEN_PREFIX}${random}`)).toBe(true);
        expect(token).toMatch(/^bsat_[0-9A-Za-z]{38}$/);
        expect(token).not.toContain('.');
        expect(hasApiTokenPrefix(token)).toBe(true);
        expect(isWellFormedApiToken(token)).toBe(true);
        expect(apiTokenHint(token)).toBe(token.slice(-4));
      }),
    );
  });

  it('is deterministic: the checksum depends only on the random part', () => {
    fc.assert(
      fc.property(randomPart, random => {
        expect(formatApiToken(random)).toBe(formatApiToken(random));
      }),
    );
  });

  it('refuses random parts of the wrong length or alphabet', () => {
    expect(() => formatApiToken('a'.repeat(31))).toThrow(TypeError);
    expect(() => formatApiToken('a'.repeat(33))).toThrow(TypeError);
    expect(() => formatApiToken(`${'a'.repeat(31)}.`)).toThrow(TypeError);
    expect(() => formatApiToken(`${'a'.repeat(31)}_`)).toThrow(TypeError);
    expect(() => formatApiToken('')).toThrow(TypeError);
  });

  it('rejects every single-character substitution, insertion and deletion', () => {
    fc.assert(
      fc.property(randomPart, random => {
        const token = formatApiToken(random);
        let checked = 0;
        for (const corrupted of singleCharacterCorruptions(token)) {
          if (isWellFormedApiToken(corrupted)) {
            throw new Error(`Accepted corruption ${corrupted} of ${token}`);
          }
          checked++;
        }
        // 43 positions × 62 substitutes, 44 × 63 insertions, 43 deletions.
        expect(checked).toBe(43 * 62 + 44 * 63 + 43);
      }),
      { numRuns: 25 },
    );
  });

  it('rejects a substitution with any character at all, not just base62', () => {
    fc.assert(
      fc.property(
        randomPart,
        fc.nat({ max: API_TOKEN_LENGTH - 1 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
        (random, position, character) => {
          const token = formatApiToken(random);
          fc.pre(character !== token[position]);
          const corrupted =
            token.slice(0, position) + character + token.slice(position + 1);
          expect(isWellFormedApiToken(corrupted)).toBe(false);
        },
      ),
    );
  });

  it('rejects strings that are not tokens', () => {
    const token = generateApiToken();
    expect(isWellFormedApiToken('')).toBe(false);
    expect(isWellFormedApiToken(API_TOKEN_PREFIX)).toBe(false);
    expect(isWellFormedApiToken(` ${token}`)).toBe(false);
    expect(isWellFormedApiToken(`${token}\n`)).toBe(false);
    expect(isWellFormedApiToken(token.toUpperCase())).toBe(false);
    expect(isWellFormedApiToken(`ghp_${token.slice(5)}`)).toBe(false);
    expect(isWellFormedApiToken('eyJhbGciOiJIUzI1NiJ9.e30.signature')).toBe(
      false,
    );
    expect(hasApiTokenPrefix('eyJhbGciOiJIUzI1NiJ9.e30.signature')).toBe(false);
  });

  it('generates distinct well-formed tokens without dots', () => {
    const tokens = Array.from({ length: 2000 }, () => generateApiToken());
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) {
      expect(isWellFormedApiToken(token)).toBe(true);
      expect(token).not.toContain('.');
      expect(token.match(API_TOKEN_PATTERN)?.[0]).toBe(token);
    }
  });

  it('draws every base62 character in the random part', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      for (const character of generateApiToken().slice(
        API_TOKEN_PREFIX.length,
        API_TOKEN_PREFIX.length + 32,
      )) {
        seen.add(character);
      }
    }
    expect([...seen].sort().join('')).toBe([...BASE62].sort().join(''));
  });

  it('lets secret scanners find a token inside surrounding text', () => {
    fc.assert(
      fc.property(
        randomPart,
        fc.constantFrom(
          (t: string) => `export BACKSTAGE_TOKEN=${t}\n`,
          (t: string) => `Authorization: Bearer ${t}`,
          (t: string) => JSON.stringify({ token: t, other: 'x' }),
          (t: string) => `curl -H "Authorization: Bearer ${t}" https://x/api`,
          (t: string) => `'${t}'`,
          (t: string) => t,
        ),
        (random, surround) => {
          const token = formatApiToken(random);
          const text = surround(token);
          expect(text.match(API_TOKEN_PATTERN)?.[0]).toBe(token);
          expect(
            [...text.matchAll(new RegExp(API_TOKEN_PATTERN, 'g'))].map(
              match => match[0],
            ),
          ).toEqual([token]);
        },
      ),
    );
  });

  it('does not let the scanner pattern match inside a longer word', () => {
    const token = generateApiToken();
    expect(`${token}x`.match(API_TOKEN_PATTERN)).toBeNull();
    expect(`x${token}`.match(API_TOKEN_PATTERN)).toBeNull();
    expect(token.slice(0, -1).match(API_TOKEN_PATTERN)).toBeNull();
  });
});
