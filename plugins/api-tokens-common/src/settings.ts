import { InputError } from '@backstage/errors';
import { API_TOKEN_PREFIX } from './TokenFormat';
import { ApiTokenSettingKey } from './types';

/**
 * Every setting key, in the order the admin UI offers them.
 *
 * @public
 */
export const API_TOKEN_SETTING_KEYS: ApiTokenSettingKey[] = [
  'EnableUserTokenNotification',
  'UserTokenExpirationNotificationEmails',
  'MaximumTokenLifetimeDays',
];

/**
 * The labels of the setting keys in the admin UI.
 *
 * @public
 */
export const API_TOKEN_SETTING_LABELS: Record<ApiTokenSettingKey, string> = {
  EnableUserTokenNotification: 'Enable User Token Notification',
  UserTokenExpirationNotificationEmails:
    'User Token Expiration Notification Emails',
  MaximumTokenLifetimeDays: 'Maximum Token Lifetime Days',
};

/**
 * Whether a string is one of the setting keys.
 *
 * @public
 */
export function isApiTokenSettingKey(key: string): key is ApiTokenSettingKey {
  return (API_TOKEN_SETTING_KEYS as string[]).includes(key);
}

// Deliberately simple, like the HTML email input: one @, no spaces, a dot in
// the domain. The SMTP server has the final word. Control characters (a NUL
// or a line break could end an SMTP command) and the bidirectional
// formatting characters (which make an address display as another) are
// refused.
const EMAIL_ADDRESS =
  /^[^\s@;,<>"\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+@[^\s@;,<>"\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+\.[^\s@;,<>".\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+$/u;

/**
 * A part of a value, quoted for a message, cut short when long. A token
 * pasted into a setting is not repeated: messages end up in audit logs.
 */
function quote(part: string): string {
  if (part.includes(API_TOKEN_PREFIX)) {
    return 'an API token';
  }
  return `'${part.length > 40 ? `${part.slice(0, 40)}…` : part}'`;
}

function splitList(value: string): string[] {
  return value.split(';').map(part => part.trim());
}

/**
 * Parses `EnableUserTokenNotification`: whole days before expiry, 1–365,
 * several separated by semicolons (e.g. `30;7;1`). Returns them sorted from
 * the largest, without repeats.
 *
 * @public
 */
export function parseNotificationDays(value: string): number[] {
  const parts = splitList(value);
  const days = parts.map(part => {
    if (!/^\d+$/.test(part) || Number(part) < 1 || Number(part) > 365) {
      throw new InputError(
        `EnableUserTokenNotification must be whole days from 1 to 365, separated by semicolons; ${quote(
          part,
        )} is not`,
      );
    }
    return Number(part);
  });
  return [...new Set(days)].sort((a, b) => b - a);
}

/**
 * Parses `UserTokenExpirationNotificationEmails`: addresses separated by
 * semicolons, each validated, no empty parts.
 *
 * @public
 */
export function parseNotificationEmails(value: string): string[] {
  const parts = splitList(value);
  for (const part of parts) {
    if (!part) {
      throw new InputError(
        'UserTokenExpirationNotificationEmails has an empty address; separate addresses with single semicolons',
      );
    }
    if (part.length > 254 || !EMAIL_ADDRESS.test(part)) {
      throw new InputError(
        `UserTokenExpirationNotificationEmails has an invalid address ${quote(
          part,
        )}`,
      );
    }
  }
  return [...new Set(parts)];
}

/**
 * Parses `MaximumTokenLifetimeDays`: the longest a permanent token may
 * live, in whole days from 1 to 365. The smaller of it and
 * `apiTokens.permanentTokens.maxLifetime` applies.
 *
 * @public
 */
export function parseMaximumLifetimeDays(value: string): number {
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1 || Number(trimmed) > 365) {
    throw new InputError(
      `MaximumTokenLifetimeDays must be whole days from 1 to 365; ${quote(
        trimmed,
      )} is not`,
    );
  }
  return Number(trimmed);
}

/**
 * Validates the value of a setting; throws an `InputError` that names the
 * setting when it is invalid.
 *
 * @public
 */
export function validateApiTokenSetting(
  key: ApiTokenSettingKey,
  value: string,
): void {
  if (key === 'EnableUserTokenNotification') {
    parseNotificationDays(value);
  } else if (key === 'MaximumTokenLifetimeDays') {
    parseMaximumLifetimeDays(value);
  } else {
    parseNotificationEmails(value);
  }
}
