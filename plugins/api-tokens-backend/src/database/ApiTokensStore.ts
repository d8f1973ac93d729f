import { ApiTokenKind } from '@internal/plugin-api-tokens-common';

/**
 * A token to store: its metadata and the digest of its secret, never the
 * secret itself.
 *
 * @alpha
 */
export interface NewApiToken {
  id: string;
  name: string;
  kind: ApiTokenKind;
  ownerRef: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  digest: string;
  /** The last characters of the token, to tell tokens apart in lists. */
  hint: string;
}

/**
 * A token as stored, as the store reads it back: its metadata and what
 * happened to it since, without the digest.
 *
 * @alpha
 */
export interface StoredApiToken extends Omit<NewApiToken, 'digest'> {
  lastUsedAt?: Date;
  revokedAt?: Date;
  revokedBy?: string;
}

/** @alpha */
export interface ApiTokenListOptions {
  ownerRef: string;
  limit: number;
  /** Where the previous page ended; from `nextCursor`. */
  cursor?: string;
}

/** @alpha */
export interface ApiTokenList {
  items: StoredApiToken[];
  nextCursor?: string;
}

/**
 * Where API tokens are kept.
 *
 * @alpha
 */
export interface ApiTokensStore {
  createToken(token: NewApiToken): Promise<StoredApiToken>;

  /**
   * Stores a temporary token and, in the same transaction, revokes its
   * owner's oldest active temporary tokens (revoked by the owner, at the new
   * token's `createdAt`) so that at most `maxActive` stay active, the new
   * one included. Concurrent calls for one owner cannot leave more.
   */
  createTemporaryToken(
    token: NewApiToken,
    options: { maxActive: number },
  ): Promise<{ token: StoredApiToken; revoked: StoredApiToken[] }>;

  getToken(id: string): Promise<StoredApiToken | undefined>;

  findTokenByDigest(digest: string): Promise<StoredApiToken | undefined>;

  /** A page of one owner's tokens, newest first, in every state. */
  listTokens(options: ApiTokenListOptions): Promise<ApiTokenList>;

  /**
   * Marks a token revoked. Returns the token as it is afterwards, or
   * undefined if there is no such token. Revoking twice keeps the first
   * revocation.
   */
  revokeToken(options: {
    id: string;
    revokedBy: string;
    revokedAt: Date;
  }): Promise<StoredApiToken | undefined>;

  /**
   * Records a use, unless one was recorded less than `minInterval`
   * milliseconds before `usedAt` (checked in the same statement, so replicas
   * do not write more often either).
   */
  recordUse(options: {
    id: string;
    usedAt: Date;
    minInterval: number;
  }): Promise<void>;
}
