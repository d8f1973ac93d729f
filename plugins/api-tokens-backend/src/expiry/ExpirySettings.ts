import { Config } from '@backstage/config';
import {
  ApiTokenSettingKey,
  parseNotificationDays,
  parseNotificationEmails,
} from '@internal/plugin-api-tokens-common';
import { SettingsStore } from '../database/SettingsStore';

const DEFAULT_DAYS_BEFORE_EXPIRY = 15;

/** The settings the expiry check runs with. @internal */
export interface ExpiryCheckSettings {
  /** Days before expiry at which faults are raised, ascending. */
  thresholdDays: number[];
  /** Where expiry emails go. */
  emailRecipients: string[];
}

/**
 * Reads the expiry settings: what admins set at runtime, else the app-config
 * defaults.
 *
 * @internal
 */
export class ExpirySettings {
  static fromConfig(config: Config, store: SettingsStore): ExpirySettings {
    const defaults: Record<ApiTokenSettingKey, string> = {
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
    return new ExpirySettings(store, defaults);
  }

  constructor(
    private readonly store: SettingsStore,
    private readonly defaults: Record<ApiTokenSettingKey, string>,
  ) {}

  async read(): Promise<ExpiryCheckSettings> {
    const value = async (key: ApiTokenSettingKey) =>
      (await this.store.getSetting(key))?.value ?? this.defaults[key];
    const days = await value('EnableUserTokenNotification');
    const emails = await value('UserTokenExpirationNotificationEmails');
    return {
      thresholdDays: parseNotificationDays(days).reverse(),
      emailRecipients: emails ? parseNotificationEmails(emails) : [],
    };
  }
}
