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

/** An email the outbox holds for one recipient. @internal */
export interface PendingEmail {
  address: string;
  faults: StoredFault[];
}

/** @internal */
export interface FaultListOptions {
  status?: ApiTokenFault['status'];
  ownerRef?: string;
  limit: number;
  cursor?: string;
}

/**
 * Where expiry faults and their outbox live. The unique key (token,
 * threshold, expiry) of a fault is the ledger that makes every notice happen
 * once, across restarts and replicas.
 *
 * @internal
 */
export interface FaultsStore {
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
   * email for each recipient. All in one transaction, so a crash leaves
   * either everything or nothing. Returns the faults this call raised.
   */
  raiseFaults(options: {
    tokens: DueToken[];
    thresholdDays: number;
    raisedAt: Date;
    emailRecipients: string[];
  }): Promise<StoredFault[]>;

  listFaults(
    options: FaultListOptions,
  ): Promise<{ items: StoredFault[]; nextCursor?: string }>;

  /** Open faults whose owner has not been notified yet. */
  listUnnotifiedFaults(options: {
    maxAttempts: number;
    limit: number;
  }): Promise<StoredFault[]>;

  /**
   * Claims the owner notifications of some faults for one run, in one
   * statement: marks each notified and counts the attempt, unless another
   * run got there first or it has had `maxAttempts`. Returns the ids this
   * run may send, so runs at once never notify an owner twice.
   */
  claimNotifications(options: {
    faultIds: string[];
    notifiedAt: Date;
    maxAttempts: number;
  }): Promise<string[]>;

  /**
   * Hands back claimed notifications for a later run: ones that failed
   * (`attempted`, the attempt stays counted) or ones this run did not get
   * to (the attempt is given back).
   */
  releaseNotifications(options: {
    faultIds: string[];
    attempted: boolean;
  }): Promise<void>;

  /**
   * Leases the undelivered emails of open faults to one run, so that two
   * runs at once never send the same message; the lease lapses at
   * `leaseUntil` if the run dies.
   */
  claimPendingEmails(options: {
    leaseId: string;
    now: Date;
    leaseUntil: Date;
  }): Promise<PendingEmail[]>;

  /** Marks the leased emails of one recipient as accepted by the server. */
  recordEmailDelivered(options: {
    leaseId: string;
    address: string;
    deliveredAt: Date;
  }): Promise<void>;

  /** Records why the leased emails of one recipient were not accepted. */
  recordEmailFailed(options: {
    leaseId: string;
    address: string;
    error: string;
  }): Promise<void>;
}
