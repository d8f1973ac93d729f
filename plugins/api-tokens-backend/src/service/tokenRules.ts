import { InputError } from '@backstage/errors';
import { DateTime } from 'luxon';

// What a token's name and expiry may be. The spec bounds their length and
// type; these are the rules beyond the shape of a request.

const MAX_NAME_LENGTH = 100;
/** The largest offset any time zone has (UTC+14). */
const MAX_UTC_OFFSET_MINUTES = 14 * 60;
/**
 * Control characters, and line and paragraph separators, which would start
 * a new line in a plain-text email (`deploy\u2028Bcc: …`) or a log line.
 */
const LINE_BREAKING_CHARACTERS = /[\p{Cc}\p{Zl}\p{Zp}]/u;
/**
 * Invisible formatting characters (Cf): the bidirectional controls that make
 * a name display differently from what it is, zero-width characters that
 * make two names look the same, and tag characters that carry hidden text.
 */
const FORMATTING_CHARACTERS = /\p{Cf}/u;
/**
 * Emoji ZWJ sequences (👩‍💻 is 👩, U+200D, 💻), in which the zero-width
 * joiner only picks one emoji glyph; only the sequences Unicode recommends,
 * so a joiner between letters is still refused.
 */
const EMOJI_ZWJ_SEQUENCES = /\p{RGI_Emoji_ZWJ_Sequence}/gv;
/**
 * What shows nothing on its own: whitespace, formatting characters,
 * combining marks, and the other default-ignorable code points (variation
 * selectors, Hangul fillers).
 */
const INVISIBLE_CHARACTERS =
  /[\p{White_Space}\p{Cf}\p{Mn}\p{Me}\p{Default_Ignorable_Code_Point}]/gu;
/**
 * Nonspacing and enclosing marks stack above and below their letter. Real
 * writing needs up to three on one letter (Hebrew shin with dagesh, shin dot
 * and a vowel; Devanagari nukta, vowel sign and anusvara); more is "Zalgo"
 * text, which spills over the lines around it in lists and emails.
 */
const MAX_COMBINING_MARKS = 3;
const TOO_MANY_COMBINING_MARKS = new RegExp(
  `[\\p{Mn}\\p{Me}]{${MAX_COMBINING_MARKS + 1}}`,
  'u',
);
const LEADING_COMBINING_MARK = /^[\p{Mn}\p{Me}]/u;

/**
 * A token name: 1–100 characters after trimming, at least one of them
 * visible; no control characters, line or paragraph separators or invisible
 * formatting characters (but for emoji ZWJ sequences); no more than three
 * combining marks on a character. Messages never repeat the name.
 */
export function parseTokenName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > MAX_NAME_LENGTH) {
    throw new InputError(
      `name must be 1 to ${MAX_NAME_LENGTH} characters long`,
    );
  }
  if (LINE_BREAKING_CHARACTERS.test(trimmed)) {
    throw new InputError(
      'name must not contain control characters or line or paragraph separators',
    );
  }
  if (FORMATTING_CHARACTERS.test(trimmed.replace(EMOJI_ZWJ_SEQUENCES, ''))) {
    throw new InputError(
      'name must not contain invisible formatting characters (bidirectional controls, zero-width or tag characters)',
    );
  }
  if (trimmed.replace(INVISIBLE_CHARACTERS, '') === '') {
    throw new InputError('name must contain a visible character');
  }
  if (
    LEADING_COMBINING_MARK.test(trimmed) ||
    TOO_MANY_COMBINING_MARKS.test(trimmed)
  ) {
    throw new InputError(
      `name must not start with a combining mark or stack more than ${MAX_COMBINING_MARKS} on one character`,
    );
  }
  return trimmed;
}

/**
 * The expiry an admin asked for: an ISO 8601 date or date-time (UTC unless
 * it carries an offset), in the future and no later than `latest`.
 */
export function parseExpiresAt(
  value: string,
  options: { now: Date; latest: Date },
): Date {
  // setZone keeps the offset the value gave, to check it; the instant is
  // the same either way.
  const parsed = DateTime.fromISO(value, { zone: 'utc', setZone: true });
  if (!parsed.isValid || Math.abs(parsed.offset) > MAX_UTC_OFFSET_MINUTES) {
    throw new InputError(
      `expiresAt must be an ISO 8601 date or date-time, e.g. 2027-01-31T12:00:00Z`,
    );
  }
  const expiresAt = parsed.toJSDate();
  if (expiresAt <= options.now) {
    throw new InputError('expiresAt must be in the future');
  }
  if (expiresAt > options.latest) {
    throw new InputError(
      `expiresAt must be no later than ${options.latest.toISOString()}, the maximum lifetime of a permanent token`,
    );
  }
  return expiresAt;
}
