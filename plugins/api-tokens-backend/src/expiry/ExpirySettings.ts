import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  ApiTokenSettingKey,
  DAY_MS,
  parseNotificationDays,
  parseNotificationEmails,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { EmailRetryPolicy } from '../database/EmailOutbox';
import { SettingsStore } from '../database/SettingsStore';

const DEFAULT_DAYS_BEFORE_EXPIRY = 15;

/** The settings the expiry check reads. @alpha */
export type ExpirySettingKey = Extract<
  ApiTokenSettingKey,
  'EnableUserTokenNotification' | 'UserTokenExpirationNotificationEmails'
>;
const MAX_ATTEMPTS_KEY = 'apiTokens.notifications.email.maxAttempts';
const RETRY_DELAY_KEY = 'apiTokens.notifications.email.retryDelay';
/** Attempts per email: the first and 4 retries. */
const DEFAULT_MAX_ATTEMPTS = 5;
const MAX_MAX_ATTEMPTS = 10;
/**
 * The wait after the first failure; with 5 attempts and hourly runs, an
 * email is tried for about 8 hours (30 min, 1 h, 2 h, 4 h between attempts).
 */
const DEFAULT_RETRY_DELAY_MS = 30 * 60 * 1000;

/**
 * How failed expiry emails are retried, from
 * `apiTokens.notifications.email.maxAttempts` and `.retryDelay`. Throws,
 * naming the key, on a value out of range, so that the backend does not
 * start with it.
 */
function readEmailRetryPolicy(config: Config): EmailRetryPolicy {
  let maxAttempts = DEFAULT_MAX_ATTEMPTS;
  if (config.has(MAX_ATTEMPTS_KEY)) {
    // A number, or a string from an environment variable.
    const value = config.getOptional(MAX_ATTEMPTS_KEY);
    maxAttempts = NaN;
    if (typeof value === 'number') {
      maxAttempts = value;
    } else if (typeof value === 'string' && value.trim()) {
      maxAttempts = Number(value);
    }
    if (
      !Number.isInteger(maxAttempts) ||
      maxAttempts < 1 ||
      maxAttempts > MAX_MAX_ATTEMPTS
    ) {
      throw new Error(
        `${MAX_ATTEMPTS_KEY} must be a whole number from 1 to ${MAX_MAX_ATTEMPTS}, got ${JSON.stringify(
          value,
        )}`,
      );
    }
  }
  let firstDelayMs = DEFAULT_RETRY_DELAY_MS;
  if (config.has(RETRY_DELAY_KEY)) {
    try {
      firstDelayMs = durationToMilliseconds(
        readDurationFromConfig(config, { key: RETRY_DELAY_KEY }),
      );
    } catch (error) {
      throw new Error(`${RETRY_DELAY_KEY} must be a duration: ${error}`);
    }
    if (!(firstDelayMs > 0 && firstDelayMs <= DAY_MS)) {
      throw new Error(
        `${RETRY_DELAY_KEY} must be a positive duration of at most one day`,
      );
    }
  }
  return { maxAttempts, firstDelayMs };
}

/** The settings the expiry check runs with. @alpha */
export interface ExpiryCheckSettings {
  /** Days before expiry at which faults are raised, ascending. */
  thresholdDays: number[];
  /** Where expiry emails go. */
  emailRecipients: string[];
  /** How failed expiry emails are retried. */
  emailRetry: EmailRetryPolicy;
}

/**
 * Reads the expiry settings: what admins set at runtime, else the app-config
 * defaults.
 *
 * @alpha
 */
export class ExpirySettings {
  static fromConfig(config: Config, store: SettingsStore): ExpirySettings {
    const defaults: Record<ExpirySettingKey, string> = {
      EnableUserTokenNotification: String(
        config.getOptionalNumber(
          'apiTokens.notifications.defaultDaysBeforeExpiry',
        ) ?? DEFAULT_DAYS_BEFORE_EXPIRY,
      ),
      UserTokenExpirationNotificationEmails:
        config.getOptionalString('apiTokens.notifications.defaultEmails') ?? '',
    };
    // A broken default should stop the backend at startup, not the task later.
    parseNotificationDays(defaults.EnableUserTokenNotification);
    if (defaults.UserTokenExpirationNotificationEmails) {
      parseNotificationEmails(defaults.UserTokenExpirationNotificationEmails);
    }
    return new ExpirySettings(store, defaults, readEmailRetryPolicy(config));
  }

  constructor(
    private readonly store: SettingsStore,
    private readonly defaults: Record<ExpirySettingKey, string>,
    /** How failed expiry emails are retried; app-config only. */
    readonly emailRetry: EmailRetryPolicy = {
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      firstDelayMs: DEFAULT_RETRY_DELAY_MS,
    },
  ) {}

  async read(): Promise<ExpiryCheckSettings> {
    const value = async (key: ExpirySettingKey) =>
      (await this.store.getSetting(key))?.value ?? this.defaults[key];
    const days = await value('EnableUserTokenNotification');
    const emails = await value('UserTokenExpirationNotificationEmails');
    return {
      thresholdDays: parseNotificationDays(days).reverse(),
      emailRecipients: emails ? parseNotificationEmails(emails) : [],
      emailRetry: this.emailRetry,
    };
  }
}
