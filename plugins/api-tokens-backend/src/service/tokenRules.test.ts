import { InputError } from '@backstage/errors';
import fc from 'fast-check';
import { parseExpiresAt, parseTokenName } from './tokenRules';

const UNSAFE = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  '\u007f',
  '\u0085',
  '\u009b',
  '\u061c',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];

const safeName = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
  .filter(
    name => name.trim().length > 0 && !UNSAFE.some(c => name.includes(c)),
  );

describe('parseTokenName', () => {
  it('accepts and trims any safe name of 1 to 100 characters', () => {
    fc.assert(
      fc.property(safeName, name => {
        expect(parseTokenName(`  ${name} `)).toBe(name.trim());
      }),
    );
    expect(parseTokenName('a'.repeat(100))).toBe('a'.repeat(100));
    expect(parseTokenName('déploiement – 東京')).toBe('déploiement – 東京');
  });

  it('rejects any name with a control or bidirectional formatting character', () => {
    fc.assert(
      fc.property(
        safeName,
        fc.constantFrom(...UNSAFE),
        fc.nat(),
        (name, unsafe, index) => {
          const at = index % (name.length + 1);
          const candidate = `${name.slice(0, at)}${unsafe}${name.slice(at)}`;
          // Leading and trailing whitespace is trimmed, not rejected.
          fc.pre(candidate.trim() === candidate);
          expect(() => parseTokenName(candidate)).toThrow(InputError);
          expect(() => parseTokenName(candidate)).toThrow(/^name /);
        },
      ),
    );
  });

  it('rejects empty, blank and overlong names', () => {
    for (const name of ['', '   ', 'a'.repeat(101)]) {
      expect(() => parseTokenName(name)).toThrow(
        'name must be 1 to 100 characters long',
      );
    }
  });
});

describe('parseExpiresAt', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const latest = new Date('2027-06-01T12:00:00Z');

  it('accepts dates and date-times between now and the latest expiry', () => {
    expect(parseExpiresAt('2026-12-24', { now, latest })).toEqual(
      new Date('2026-12-24T00:00:00Z'),
    );
    expect(
      parseExpiresAt('2026-06-01T14:00:01+02:00', { now, latest }),
    ).toEqual(new Date('2026-06-01T12:00:01Z'));
    expect(parseExpiresAt(latest.toISOString(), { now, latest })).toEqual(
      latest,
    );
  });

  it.each([
    ['tomorrow', /ISO 8601/],
    ['', /ISO 8601/],
    ['2026-13-01', /ISO 8601/],
    ['1780000000', /ISO 8601/],
    ['2026-06-01T12:00:00Z', /in the future/],
    ['2020-01-01', /in the future/],
    ['2027-06-01T12:00:00.001Z', /no later than 2027-06-01T12:00:00.000Z/],
  ])('rejects %j, naming expiresAt', (value, reason) => {
    expect(() => parseExpiresAt(value, { now, latest })).toThrow(InputError);
    expect(() => parseExpiresAt(value, { now, latest })).toThrow(/^expiresAt /);
    expect(() => parseExpiresAt(value, { now, latest })).toThrow(reason);
  });
});
