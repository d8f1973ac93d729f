import { Config } from '@backstage/config';
import { createHash, createHmac } from 'node:crypto';

/**
 * Turns a token into the digest that is stored and looked up: SHA-256, or
 * HMAC-SHA-256 when `apiTokens.pepper` is configured. Tokens carry 190 random
 * bits, so a fast digest is as safe as a slow one and keeps the per-request
 * check cheap.
 */
export class TokenDigester {
  static fromConfig(config: Config): TokenDigester {
    return new TokenDigester(config.getOptionalString('apiTokens.pepper'));
  }

  constructor(private readonly pepper?: string) {}

  digest(token: string): string {
    return this.pepper
      ? createHmac('sha256', this.pepper).update(token).digest('hex')
      : createHash('sha256').update(token).digest('hex');
  }
}
