import { ApiTokenSetting } from '@nholuongut/backstage-plugin-api-tokens-common';
import { StoredSetting } from '../database/SettingsStore';

/** The API shape of a stored setting. */
export function toApiSetting(setting: StoredSetting): ApiTokenSetting {
  return {
    type: 'app-config',
    key: setting.key,
    value: setting.value,
    updatedAt: setting.updatedAt.toISOString(),
    updatedBy: setting.updatedBy,
  };
}
