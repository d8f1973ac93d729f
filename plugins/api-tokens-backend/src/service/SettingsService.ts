import { AuditorService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  API_TOKENS_AUDIT_EVENTS,
  ApiTokenSettingKey,
  apiTokensSettingsReadPermission,
  apiTokensSettingsUpdatePermission,
  validateApiTokenSetting,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { SettingsStore, StoredSetting } from '../database/SettingsStore';
import { audited } from './audited';
import { Authorizer } from './Authorizer';
import { Caller } from './Caller';

/** @internal */
export interface SettingsServiceOptions {
  store: SettingsStore;
  authorizer: Authorizer;
  auditor: AuditorService;
  /** The clock; tests move it. */
  now?: () => Date;
}

/**
 * The settings admins change at runtime: who may read and change them,
 * which values are valid, and an auditor event for every change.
 */
export class SettingsService {
  private readonly now: () => Date;

  constructor(private readonly options: SettingsServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The settings that were changed, which the read permission shows. */
  async list(caller: Caller): Promise<StoredSetting[]> {
    await this.options.authorizer.requirePermission(
      caller,
      apiTokensSettingsReadPermission,
    );
    return this.options.store.listSettings();
  }

  /** Sets a setting to a value, trimmed and validated for its key. */
  async put(
    caller: Caller,
    key: ApiTokenSettingKey,
    value: string,
  ): Promise<StoredSetting> {
    return audited(this.options.auditor, {
      eventId: API_TOKENS_AUDIT_EVENTS.settingsUpdate,
      caller,
      meta: { key, action: 'put' },
      run: async () => {
        const updatedBy = await this.options.authorizer.requirePermission(
          caller,
          apiTokensSettingsUpdatePermission,
        );
        const trimmed = value.trim();
        validateApiTokenSetting(key, trimmed);
        return this.options.store.putSetting({
          key,
          value: trimmed,
          updatedAt: this.now(),
          updatedBy,
        });
      },
      outcome: stored => ({ value: stored.value }),
    });
  }

  /** Removes a setting, so that its app-config default applies again. */
  async delete(caller: Caller, key: ApiTokenSettingKey): Promise<void> {
    await audited(this.options.auditor, {
      eventId: API_TOKENS_AUDIT_EVENTS.settingsUpdate,
      caller,
      meta: { key, action: 'delete' },
      run: async () => {
        await this.options.authorizer.requirePermission(
          caller,
          apiTokensSettingsUpdatePermission,
        );
        if (!(await this.options.store.deleteSetting(key))) {
          throw new NotFoundError(`Setting ${key} is not set`);
        }
      },
      outcome: () => ({}),
    });
  }
}
