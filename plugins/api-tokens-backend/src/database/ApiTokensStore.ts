import {
  ApiTokenKind,
  ApiTokenScope,
} from '@internal/plugin-api-tokens-common';

/**
 * What the store keeps: the kinds of the REST API, and `preview` tokens, which
 * live for the second it takes to ask the permission policy what a scope would
 * allow and are never listed.
 *
 * @alpha
 */
export type StoredApiTokenKind = ApiTokenKind | 'preview';

/**
 * A token to store: its metadata and the digest of its secret, never the
 * secret itself.
 *
 * @alpha
 */
export interface NewApiToken {
  id: string;
  name: string;
  kind: StoredApiTokenKind;
  ownerRef: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  digest: string;
  /** The last characters of the token, to tell tokens apart in lists. */
  hint: string;
  /** What the token may do; null for its owner's full power. */
  scope: ApiTokenScope | null;
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

  /** A page of one owner's tokens, newest first, in every state, without previews. */
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

  /** Deletes a token and what was derived from it (for previews). */
  deleteToken(id: string): Promise<void>;

  /**
   * Records that a Backstage user token was exchanged for an API token, by
   * the digest of its user identity proof, until the user token expires.
   */
  recordDerivedToken(options: {
    tokenId: string;
    digest: string;
    expiresAt: Date;
  }): Promise<void>;

  /** The API token a Backstage user token was exchanged for, by its digest. */
  findTokenByDerivedDigest(digest: string): Promise<StoredApiToken | undefined>;

  /** Deletes the records of exchanged user tokens that expired before `now`. */
  deleteExpiredDerivedTokens(now: Date): Promise<number>;

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
