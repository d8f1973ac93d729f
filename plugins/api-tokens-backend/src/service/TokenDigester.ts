import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { createHash, createHmac } from 'node:crypto';

const PEPPER_KEY = 'apiTokens.pepper';

/**
 * Turns a token into the digest that is stored and looked up: SHA-256, or
 * HMAC-SHA-256 when `apiTokens.pepper` is configured. Tokens carry 190 random
 * bits, so a fast digest is as safe as a slow one and keeps the per-request
 * check cheap.
 */
export class TokenDigester {
  /** The digester of the config; warns when no pepper is configured. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): TokenDigester {
    const pepper = config.getOptionalString(PEPPER_KEY);
    if (!pepper) {
      options.logger.warn(
        `${PEPPER_KEY} is not set, so API tokens are stored as plain SHA-256 digests: ` +
          'anyone with a copy of the database can check candidate tokens (from a leaked log, say) against it ' +
          `without the portal seeing it. Set ${PEPPER_KEY} to a long random secret kept outside the database; ` +
          'setting or changing it invalidates every existing token.',
      );
    }
    return new TokenDigester(pepper);
  }

  constructor(private readonly pepper?: string) {}

  digest(token: string): string {
    return this.pepper
      ? createHmac('sha256', this.pepper).update(token).digest('hex')
      : createHash('sha256').update(token).digest('hex');
  }
}
