import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { DateTime } from 'luxon';

const MAX_NAME_LENGTH = 100;
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
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  if (!parsed.isValid) {
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
 * A user reference from a path: a full ref (`user:default/jane`) or a name in
 * the default namespace (`jane`). Returns the full ref.
 */
export function parseUserRef(value: string): string {
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
  } catch {
    throw new InputError(
      `userRef must be a user entity ref such as user:default/jane`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new InputError(`userRef must refer to a User, not a ${ref.kind}`);
  }
  if (!/^[A-Za-z0-9._-]{1,63}$/.test(ref.name) || ref.namespace.length > 63) {
    throw new InputError(`userRef has an invalid name`);
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}
