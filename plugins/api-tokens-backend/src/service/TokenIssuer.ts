import {
  apiTokenHint,
  ApiTokenKind,
  generateApiToken,
} from '@internal/plugin-api-tokens-common';
import { randomUUID } from 'node:crypto';
import { ApiTokensStore, StoredApiToken } from '../database/ApiTokensStore';
import { TokenDigester } from './TokenDigester';

/** Creates tokens: a fresh secret, of which only the digest is stored. */
export class TokenIssuer {
  constructor(
    private readonly store: ApiTokensStore,
    private readonly digester: TokenDigester,
  ) {}

  async issue(options: {
    name: string;
    kind: ApiTokenKind;
    ownerRef: string;
    createdBy: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<{ token: StoredApiToken; secret: string }> {
    const secret = generateApiToken();
    const token = await this.store.createToken({
      ...options,
      id: randomUUID(),
      digest: this.digester.digest(secret),
      hint: apiTokenHint(secret),
    });
    return { token, secret };
  }
}
