import {
  DAY_MS,
  parseMaximumLifetimeDays,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { SettingsStore } from '../database/SettingsStore';
import { TokenLifetimes } from './TokenLifetimes';

/**
 * The organisation's lifetime policy for permanent tokens: the smaller of
 * `apiTokens.permanentTokens.maxLifetime` (app-config, at most a year) and
 * the runtime setting `MaximumTokenLifetimeDays`.
 */
export class LifetimePolicy {
  constructor(
    private readonly lifetimes: TokenLifetimes,
    private readonly settings: SettingsStore,
  ) {}

  /** The default and the maximum lifetime of a permanent token, in ms. */
  async permanentMax(): Promise<number> {
    const configured = this.lifetimes.permanentMax;
    const setting = await this.settings.getSetting('MaximumTokenLifetimeDays');
    if (!setting) {
      return configured;
    }
    return Math.min(
      configured,
      parseMaximumLifetimeDays(setting.value) * DAY_MS,
    );
  }
}
