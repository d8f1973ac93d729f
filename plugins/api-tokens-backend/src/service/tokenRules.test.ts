import { InputError } from '@backstage/errors';
import fc from 'fast-check';
import { parseExpiresAt, parseTokenName } from './tokenRules';

const UNSAFE = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  '\u007f',
  '\u0085',
  '\u009b',
  '\u00ad',
  '\u061c',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u2028',
  '\u2029',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2060',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\ufeff',
  '\u{e0001}',
  '\u{e0041}',
  '\u{e007f}',
];

/**
 * Names the rules accept: graphemes without the refused categories (Cc, Cf,
 * Zl, Zp), with something visible, and no pile of combining marks.
 */
const safeName = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
  .filter(
    name =>
      /[^\p{White_Space}\p{M}\p{Default_Ignorable_Code_Point}]/u.test(name) &&
      !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(name) &&
      !/^\s*[\p{Mn}\p{Me}]|[\p{Mn}\p{Me}]{4}/u.test(name),
  );

const COMBINING_ACUTE = '\u0301';

/** The message a name is refused with. */
function refusal(name: string): string {
  try {
    parseTokenName(name);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the name was accepted');
}

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

  it.each([
    ['a multilingual name', 'Déploiement CI 日本'],
    ['a decomposed accent (e + U+0301)', `De${COMBINING_ACUTE}ploiement`],
    ['Vietnamese, decomposed (two marks)', 'Vie\u0323\u0302t'],
    ['Hebrew shin with three points', 'ש\u05bc\u05c1\u05b8לום'],
    [
      'Devanagari with nukta, vowel sign and anusvara',
      'क\u093c\u0947\u0902 CI',
    ],
    ['Arabic', 'نشر تلقائي'],
    ['an emoji', 'deploys 🚀'],
    ['an emoji ZWJ sequence (U+200D inside 👩‍💻)', 'laptop 👩\u200d💻'],
    ['an emoji with a variation selector', 'ok ✔\ufe0f'],
  ])('accepts %s', (_case, name) => {
    expect(parseTokenName(name)).toBe(name);
  });

  it.each([
    ['only U+200B', '\u200b', /invisible formatting/],
    ['only U+200B, several', '\u200b\u200b\u200b', /invisible formatting/],
    ['U+2028 before a header', 'deploy\u2028Bcc: attacker@example.com', /line/],
    ['U+2029', 'deploy\u2029more', /line/],
    ['tag characters', 'deploy\u{e0049}\u{e0047}\u{e004e}', /invisible/],
    ['only tag characters', '\u{e0001}\u{e0041}\u{e007f}', /invisible/],
    [
      'a flag made of tags (🏴 + tags)',
      '🏴\u{e0067}\u{e0062}\u{e007f}',
      /invisible/,
    ],
    ['10 combining marks', `Z${COMBINING_ACUTE.repeat(10)}algo`, /combining/],
    ['4 combining marks', `a${'\u0300\u0301\u0302\u0303'}`, /combining/],
    ['a leading combining mark', `${COMBINING_ACUTE}abc`, /combining/],
    ['only combining marks', COMBINING_ACUTE.repeat(3), /visible|combining/],
    ['RLO', 'evil\u202etxt.exe', /invisible formatting/],
    ['RLI … PDI', 'a\u2067b\u2069', /invisible formatting/],
    ['ZWJ between letters', 'pay\u200dpal', /invisible formatting/],
    ['ZWNJ', 'a\u200cb', /invisible formatting/],
    ['a soft hyphen', 'de\u00adploy', /invisible formatting/],
    ['a BOM inside', 'de\ufeffploy', /invisible formatting/],
    ['only a Hangul filler', '\u3164', /visible/],
    ['only variation selectors', '\ufe0f\ufe0f', /visible|combining/],
  ])(
    'refuses %s, naming the field and not repeating the name',
    (_case, name, reason) => {
      expect(() => parseTokenName(name)).toThrow(InputError);
      expect(() => parseTokenName(name)).toThrow(/^name /);
      expect(() => parseTokenName(name)).toThrow(reason);
      expect(refusal(name)).not.toContain(name.trim());
    },
  );

  it('rejects any name with a control, line-breaking or invisible formatting character', () => {
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
    for (const name of ['', '   ', '\u2028', 'a'.repeat(101)]) {
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
