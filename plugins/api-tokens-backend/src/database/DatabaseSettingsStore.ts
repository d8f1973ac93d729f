import { ApiTokenSettingKey } from '@nholuongut/backstage-plugin-api-tokens-common';
import { Knex } from 'knex';
import { readDate } from './dates';
import { SettingsStore, StoredSetting } from './SettingsStore';

const TABLE = 'api_token_settings';

type SettingRow = {
  key: ApiTokenSettingKey;
  value: string;
  updated_at: Date | number;
  updated_by: string;
};

function toStoredSetting(row: SettingRow): StoredSetting {
  return {
    key: row.key,
    value: row.value,
    updatedAt: readDate(row.updated_at),
    updatedBy: row.updated_by,
  };
}

/**
 * The Knex implementation of {@link SettingsStore}.
 *
 * @alpha
 */
export class DatabaseSettingsStore implements SettingsStore {
  constructor(private readonly db: Knex) {}

  async listSettings(): Promise<StoredSetting[]> {
    const rows = await this.db<SettingRow>(TABLE).select().orderBy('key');
    return rows.map(toStoredSetting);
  }

  async getSetting(
    key: ApiTokenSettingKey,
  ): Promise<StoredSetting | undefined> {
    const row = await this.db<SettingRow>(TABLE).where({ key }).first();
    return row ? toStoredSetting(row) : undefined;
  }

  async putSetting(setting: StoredSetting): Promise<StoredSetting> {
    await this.db<SettingRow>(TABLE)
      .insert({
        key: setting.key,
        value: setting.value,
        updated_at: setting.updatedAt,
        updated_by: setting.updatedBy,
      })
      .onConflict('key')
      .merge(['value', 'updated_at', 'updated_by']);
    return setting;
  }

  async deleteSetting(key: ApiTokenSettingKey): Promise<boolean> {
    return (await this.db<SettingRow>(TABLE).where({ key }).delete()) > 0;
  }
}
