import { hash } from 'node:crypto';

/**
 * The claim that the `api-token` sign-in provider adds to the Backstage user
 * tokens it issues: the id of the API token they were exchanged from.
 *
 * @public
 */
export const API_TOKEN_ID_CLAIM = 'api_token_id';

/** The JWT `typ` of the limited user tokens forwarded on behalf of a user. */
const LIMITED_USER_TOKEN_TYPE = 'vnd.backstage.limited-user';

/** A full user entity ref, `user:<namespace>/<name>`. */
const USER_REF = /^user:[^\s:/]+\/[^\s:/]+$/i;
const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;
/** API token ids are UUIDs; this is what a claim may hold at all. */
const TOKEN_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Whether a value is a full user entity ref such as `user:default/jane`.
 *
 * @public
 */
export function isUserEntityRef(value: unknown): value is string {
  return typeof value === 'string' && USER_REF.test(value);
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  if (!BASE64URL_SEGMENT.test(segment)) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(
      Buffer.from(segment, 'base64url').toString('utf8'),
    );
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the API token machinery reads of a Backstage user token.
 *
 * @public
 */
export interface UserTokenClaims {
  /** The user, e.g. `user:default/jane`. */
  sub: string;
  /** When the token expires, in epoch seconds. */
  exp: number;
  /** The {@link API_TOKEN_ID_CLAIM} claim, when the token carries one. */
  apiTokenId?: string;
  /**
   * The user identity proof (`uip` claim), which signs the limited tokens
   * that plugins forward on behalf of the user.
   */
  uip?: string;
}

/**
 * Reads a Backstage user token as far as it can be checked without its
 * signing keys: three base64url segments, a header whose `alg` is not
 * `none`, a payload whose `sub` is a user entity ref and whose `exp` is a
 * number. Undefined for anything else: an empty string, an opaque string, an
 * unsigned JWT. The signature is for the auth service to verify.
 *
 * @public
 */
export function parseUserTokenClaims(
  token: unknown,
): UserTokenClaims | undefined {
  if (typeof token !== 'string') {
    return undefined;
  }
  const segments = token.split('.');
  if (segments.length !== 3 || !BASE64URL_SEGMENT.test(segments[2])) {
    return undefined;
  }
  const header = decodeSegment(segments[0]);
  const payload = decodeSegment(segments[1]);
  if (
    !header ||
    !payload ||
    typeof header.alg !== 'string' ||
    header.alg.toLowerCase() === 'none'
  ) {
    return undefined;
  }
  const { sub, exp, uip } = payload;
  const apiTokenId = payload[API_TOKEN_ID_CLAIM];
  if (
    !isUserEntityRef(sub) ||
    typeof exp !== 'number' ||
    !Number.isFinite(exp) ||
    (apiTokenId !== undefined && !isApiTokenId(apiTokenId)) ||
    (uip !== undefined &&
      (typeof uip !== 'string' || !BASE64URL_SEGMENT.test(uip)))
  ) {
    return undefined;
  }
  return { sub, exp, apiTokenId, uip };
}

/**
 * The key under which the api-tokens backend records a Backstage user token
 * exchanged for an API token: the SHA-256 (hex) of its user identity proof,
 * which is also the signature of every limited token made from it.
 */
export function userIdentityProofDigest(uip: string): string {
  return hash('sha256', uip, 'hex');
}

/**
 * The {@link userIdentityProofDigest} of a limited user token (`typ`
 * `vnd.backstage.limited-user`), which plugins forward on behalf of the
 * user; undefined for any other token.
 */
export function readLimitedUserTokenDigest(token: string): string | undefined {
  const segments = token.split('.');
  if (segments.length !== 3 || !BASE64URL_SEGMENT.test(segments[2])) {
    return undefined;
  }
  if (decodeSegment(segments[0])?.typ !== LIMITED_USER_TOKEN_TYPE) {
    return undefined;
  }
  return userIdentityProofDigest(segments[2]);
}

/** Whether a value can be the id of an API token. */
export function isApiTokenId(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_ID.test(value);
}

/**
 * The {@link API_TOKEN_ID_CLAIM} claim of a JWT, without verifying it:
 * undefined when the token is not a JWT or has no such claim, and `null`
 * when the claim is there but cannot be an API token id.
 */
export function readApiTokenIdClaim(token: string): string | null | undefined {
  const payload = token.split('.')[1];
  if (!payload) {
    return undefined;
  }
  const claim = decodeSegment(payload)?.[API_TOKEN_ID_CLAIM];
  if (claim === undefined) {
    return undefined;
  }
  return isApiTokenId(claim) ? claim : null;
}
