import {
  ApiTokenKind,
  ApiTokenScope,
} from '@nholuongut/backstage-plugin-api-tokens-common';

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
  /** The token this one replaced by rotation. */
  rotatedFrom?: string;
  /** The token that replaced this one by rotation. */
  rotatedTo?: string;
}

/**
 * A client address that used a token, with the user agent of its latest
 * request.
 *
 * @alpha
 */
export interface StoredTokenClient {
  address: string;
  userAgent: string;
  lastUsedAt: Date;
}

/**
 * How a token has been used: when last, and by which clients.
 *
 * @alpha
 */
export interface StoredTokenUsage {
  lastUsedAt?: Date;
  /** Most recent first. */
  recentClients: StoredTokenClient[];
}

/**
 * One use of a token by a client, as the token handlers report it.
 *
 * @alpha
 */
export interface TokenClientUse {
  tokenId: string;
  address: string;
  userAgent: string;
  usedAt: Date;
}

/**
 * What a rotation did: the new token, and the old one as it is afterwards.
 *
 * @alpha
 */
export interface RotatedApiToken {
  token: StoredApiToken;
  replaced: StoredApiToken;
}

/**
 * Why a rotation was refused: the old token is revoked, has expired, or was
 * rotated already.
 *
 * @alpha
 */
export type RotationRefusal = 'revoked' | 'expired' | 'rotated';

/** @alpha */
export interface ApiTokenListOptions {
  ownerRef: string;
  limit: number;
  /** Where the previous page ended; from `nextCursor`. */
  cursor?: string;
  /**
   * Only tokens last used (or, never used, created) at or before this time.
   */
  unusedSince?: Date;
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
   * Stores `successor` and, in the same transaction, links it to the token
   * `id`, which gets `rotatedTo` and an expiry of `overlapEndsAt` unless it
   * expires sooner. The old token must be neither revoked, expired at
   * `successor.createdAt`, nor rotated already (concurrent rotations of one
   * token cannot both succeed); otherwise nothing is stored and the reason
   * is returned. Undefined when there is no such token.
   */
  rotateToken(options: {
    id: string;
    successor: NewApiToken;
    overlapEndsAt: Date;
  }): Promise<RotatedApiToken | RotationRefusal | undefined>;

  /**
   * Permanent tokens, neither revoked nor expired at `now`, that were last
   * used (or, never used, created) at or before `unusedSince`; at most
   * `limit`, oldest use first.
   */
  findUnusedTokens(options: {
    unusedSince: Date;
    now: Date;
    limit: number;
  }): Promise<StoredApiToken[]>;

  /**
   * Records that a client address used a token, unless that address was
   * recorded for it less than `minInterval` milliseconds before; keeps the
   * `keep` most recent addresses of the token.
   */
  recordClientUse(
    use: TokenClientUse,
    options: { minInterval: number; keep: number },
  ): Promise<void>;

  /** The use of each token that exists. */
  readUsage(tokenIds: string[]): Promise<Map<string, StoredTokenUsage>>;

  /** The recorded clients of each token, most recent first. */
  listRecentClients(
    tokenIds: string[],
  ): Promise<Map<string, StoredTokenClient[]>>;

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
