import { ApiTokenFault } from '@internal/plugin-api-tokens-common';

/** @internal */
export interface StoredFault {
  id: string;
  tokenId: string;
  tokenName: string;
  ownerRef: string;
  thresholdDays: number;
  tokenExpiresAt: Date;
  raisedAt: Date;
  status: ApiTokenFault['status'];
  resolvedAt?: Date;
  resolution?: NonNullable<ApiTokenFault['resolution']>;
}

/** A live token that has reached a notification threshold. @internal */
export interface DueToken {
  id: string;
  name: string;
  ownerRef: string;
  expiresAt: Date;
}

/** @internal */
export interface FaultListOptions {
  status?: ApiTokenFault['status'];
  ownerRef?: string;
  limit: number;
  cursor?: string;
}

/**
 * Where expiry faults are raised, resolved and listed. The unique key
 * (token, threshold, expiry) of a fault is the ledger that makes every
 * notice happen once, across restarts and replicas.
 *
 * @internal
 */
export interface FaultLedger {
  /**
   * Resolves the open faults whose token was revoked or has expired by
   * `now`, or whose token's expiry has changed since (superseded). Returns
   * how many it resolved.
   */
  resolveFaults(now: Date): Promise<number>;

  /**
   * Live tokens expiring in `(after, until]` that have no fault yet for
   * `thresholdDays` and their current expiry, ordered by expiry; a page of
   * at most `limit` after the position `from`.
   */
  findDueTokens(options: {
    thresholdDays: number;
    after: Date;
    until: Date;
    limit: number;
    from?: { expiresAt: Date; id: string };
  }): Promise<DueToken[]>;

  /**
   * Raises a fault for each due token, unless another run raised it first;
   * resolves the token's older open faults as superseded; and queues an
   * email to each recipient in the email outbox. All in one transaction, so
   * a crash leaves either everything or nothing. Returns the faults this
   * call raised.
   */
  raiseFaults(options: {
    tokens: DueToken[];
    thresholdDays: number;
    raisedAt: Date;
    emailRecipients: string[];
  }): Promise<StoredFault[]>;

  /** A page of faults, newest first. */
  listFaults(
    options: FaultListOptions,
  ): Promise<{ items: StoredFault[]; nextCursor?: string }>;
}
