import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { isWellFormedApiToken } from '@internal/plugin-api-tokens-common';
import { DateTime } from 'luxon';

const MAX_NAME_LENGTH = 100;
const MAX_PAGE_SIZE = 1000;
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

/**
 * A user reference from a path or query: a full ref (`user:default/jane`) or
 * a name in the default namespace (`jane`). Returns the full ref. Errors name
 * the parameter `field`.
 */
export function parseUserRef(value: string, field = 'userRef'): string {
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
  } catch {
    throw new InputError(
      `${field} must be a user entity ref such as user:default/jane`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new InputError(`${field} must refer to a User, not a ${ref.kind}`);
  }
  if (!/^[A-Za-z0-9._-]{1,63}$/.test(ref.name) || ref.namespace.length > 63) {
    throw new InputError(`${field} has an invalid name`);
  }
  if (isWellFormedApiToken(ref.name)) {
    // Not echoed back anywhere, as a user name would be.
    throw new InputError(`${field} must name a user, not an API token`);
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}

const TOKEN_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A token id from a path: a UUID. Anything else is refused without repeating
 * it, since a secret pasted where the id belongs must not be echoed.
 */
export function parseTokenId(value: string): string {
  if (!TOKEN_ID.test(value)) {
    throw new InputError('id must be the id of an API token (a UUID)');
  }
  return value.toLocaleLowerCase('en-US');
}

/**
 * A page size from a query: a whole number from 1 to 1000, `fallback` when
 * none is given. Checked here too because the OpenAPI validator lets
 * `limit=1e309` through, as Infinity.
 */
export function parsePageLimit(
  value: number | undefined,
  fallback: number,
): number {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw new InputError(
      `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
    );
  }
  return value;
}
