import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  DAY_MS,
  HOUR_MS,
} from '@nholuongut/backstage-plugin-api-tokens-common';

/** The longest a permanent token may live: one year. */
export const MAX_PERMANENT_LIFETIME = 365 * DAY_MS;
/** The longest a temporary token may live. */
export const MAX_TEMPORARY_LIFETIME = 24 * HOUR_MS;

function readLifetime(
  config: Config,
  key: string,
  defaultValue: number,
  maximum: number,
): number {
  if (!config.has(key)) {
    return defaultValue;
  }
  const lifetime = durationToMilliseconds(
    readDurationFromConfig(config, { key }),
  );
  if (lifetime <= 0 || lifetime > maximum) {
    throw new Error(
      `${key} must be a positive duration of at most ${
        maximum / HOUR_MS
      } hours`,
    );
  }
  return lifetime;
}

/** How long tokens live, from `apiTokens.*Tokens` in app-config. */
export class TokenLifetimes {
  static fromConfig(config: Config): TokenLifetimes {
    return new TokenLifetimes(
      readLifetime(
        config,
        'apiTokens.permanentTokens.maxLifetime',
        MAX_PERMANENT_LIFETIME,
        MAX_PERMANENT_LIFETIME,
      ),
      readLifetime(
        config,
        'apiTokens.temporaryTokens.lifetime',
        8 * HOUR_MS,
        MAX_TEMPORARY_LIFETIME,
      ),
    );
  }

  constructor(
    /** The default and the maximum lifetime of a permanent token, in ms. */
    readonly permanentMax: number,
    /** The lifetime of a temporary token, in ms. */
    readonly temporary: number,
  ) {}
}
