import { Config } from '@backstage/config';

const KEY = 'apiTokens.temporaryTokens.maxActivePerUser';

/** How many temporary tokens a user may have active when none is configured. */
export const DEFAULT_MAX_ACTIVE_TEMPORARY_TOKENS = 5;

/**
 * How many temporary tokens one user may have active at once, from
 * `apiTokens.temporaryTokens.maxActivePerUser`. Every tab and reload of the
 * portal mints one; without a cap a user (or a script with their session)
 * could pile up any number.
 */
export function readMaxActiveTemporaryTokens(config: Config): number {
  const value = config.getOptionalNumber(KEY);
  if (value === undefined) {
    return DEFAULT_MAX_ACTIVE_TEMPORARY_TOKENS;
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${KEY} must be a whole number of at least 1`);
  }
  return value;
}
