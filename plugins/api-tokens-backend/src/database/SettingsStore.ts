import { ApiTokenSettingKey } from '@nholuongut/backstage-plugin-api-tokens-common';

/** @alpha */
export interface StoredSetting {
  key: ApiTokenSettingKey;
  value: string;
  updatedAt: Date;
  updatedBy: string;
}

/**
 * Where the settings admins change at runtime are kept.
 *
 * @alpha
 */
export interface SettingsStore {
  listSettings(): Promise<StoredSetting[]>;
  getSetting(key: ApiTokenSettingKey): Promise<StoredSetting | undefined>;
  putSetting(setting: StoredSetting): Promise<StoredSetting>;
  /** Returns whether there was such a setting. */
  deleteSetting(key: ApiTokenSettingKey): Promise<boolean>;
}
