import { InputError } from '@backstage/errors';
import { DateTime } from 'luxon';

// What a token's name and expiry may be. The spec bounds their length and
// type; these are the rules beyond the shape of a request.

const MAX_NAME_LENGTH = 100;
/** The largest offset any time zone has (UTC+14). */
const MAX_UTC_OFFSET_MINUTES = 14 * 60;
// C0/C1 control characters, and the bidirectional overrides and isolates
// that make a name display differently from what it is.
const UNSAFE_CHARACTERS =
  /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** A token name: 1–100 characters, no control or bidi characters. */
export function parseTokenName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > MAX_NAME_LENGTH) {
    throw new InputError(
      `name must be 1 to ${MAX_NAME_LENGTH} characters long`,
    );
  }
  if (UNSAFE_CHARACTERS.test(trimmed)) {
    throw new InputError(
      'name must not contain control or bidirectional formatting characters',
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
