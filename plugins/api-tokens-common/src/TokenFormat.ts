/**
 * API tokens look like GitHub's: a fixed prefix, a random part and a
 * checksum, so that secret scanners can find them and malformed tokens are
 * rejected without any I/O. They never contain a dot, because Backstage
 * parses any dotted bearer token as a JWT before custom handlers see it.
 *
 *   bsat_ + 32 base62 characters (190 random bits) + 6 base62 characters of
 *   the CRC32 of everything before them
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;

/**
 * The prefix of every API token.
 *
 * @public
 */
export const API_TOKEN_PREFIX = 'bsat_';

/**
 * The total length of an API token.
 *
 * @public
 */
export const API_TOKEN_LENGTH =
  API_TOKEN_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;

/**
 * A regular expression that finds API tokens in text, for secret scanners.
 *
 * @public
 */
export const API_TOKEN_PATTERN = new RegExp(
  `\\b${API_TOKEN_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}\\b`,
);

const WELL_FORMED = new RegExp(`^${API_TOKEN_PATTERN.source.slice(2, -2)}$`);

const CRC32_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC32 (IEEE) of an ASCII string: the checksum in a token's last six
 * characters, which secret scanners can check without calling the portal.
 *
 * @public
 */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc = CRC32_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function checksum(body: string): string {
  let value = crc32(body);
  let encoded = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    encoded = BASE62[value % 62] + encoded;
    value = Math.floor(value / 62);
  }
  return encoded;
}

/**
 * Builds a token from its random part, which must be 32 base62 characters.
 *
 * @public
 */
export function formatApiToken(random: string): string {
  if (random.length !== RANDOM_LENGTH || !/^[0-9A-Za-z]+$/.test(random)) {
    throw new TypeError(
      `The random part of an API token must be ${RANDOM_LENGTH} base62 characters`,
    );
  }
  const body = `${API_TOKEN_PREFIX}${random}`;
  return `${body}${checksum(body)}`;
}

/**
 * Creates a new token from the platform's secure random source.
 *
 * @public
 */
export function generateApiToken(): string {
  let random = '';
  while (random.length < RANDOM_LENGTH) {
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(48));
    for (const byte of bytes) {
      // 248 = 4 * 62: dropping larger bytes keeps every character equally likely.
      if (byte < 248 && random.length < RANDOM_LENGTH) {
        random += BASE62[byte % 62];
      }
    }
  }
  return formatApiToken(random);
}

/**
 * Whether a bearer token is meant to be an API token (it has the prefix).
 * Cheap enough to run on every request.
 *
 * @public
 */
export function hasApiTokenPrefix(token: string): boolean {
  return token.startsWith(API_TOKEN_PREFIX);
}

/**
 * Whether a string is a well-formed API token: prefix, length, alphabet and
 * checksum. A token that fails this check cannot exist, so callers reject it
 * without looking it up.
 *
 * @public
 */
export function isWellFormedApiToken(token: string): boolean {
  if (token.length !== API_TOKEN_LENGTH || !WELL_FORMED.test(token)) {
    return false;
  }
  const body = token.slice(0, -CHECKSUM_LENGTH);
  return checksum(body) === token.slice(-CHECKSUM_LENGTH);
}

/**
 * The last four characters of a token, shown to tell tokens apart.
 *
 * @public
 */
export function apiTokenHint(token: string): string {
  return token.slice(-4);
}
