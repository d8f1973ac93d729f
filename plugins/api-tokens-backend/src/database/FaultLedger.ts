import { ApiTokenFault } from '@nholuongut/backstage-plugin-api-tokens-common';

/**
 * A fault in the ledger: an `expiry` fault (a token reached a notification
 * threshold), a `leaked` fault (a secret scanner reported the token, which
 * was revoked; threshold 0), or an `email-undeliverable` fault (the email of
 * such a fault to `emailAddress` gave up), which copies the token, threshold
 * and expiry of the fault it is about.
 *
 * @alpha
 */
export interface StoredFault {
  id: string;
  kind: ApiTokenFault['kind'];
  /** The address an `email-undeliverable` fault is about. */
  emailAddress?: string;
  /** Where a `leaked` fault's token was found. */
  leakUrl?: string;
  tokenId: string;
  tokenName: string;
  ownerRef: string;
  thresholdDays: number;
  tokenExpiresAt: Date;
  raisedAt: Date;
  status: ApiTokenFault['status'];
  resolvedAt?: Date;
  resolution?: NonNullable<ApiTokenFault['resolution']>;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
}

/** A live permanent token that has reached a notification threshold. @alpha */
export interface DueToken {
  id: string;
  name: string;
  ownerRef: string;
  expiresAt: Date;
}

/** A position in the order (expiry, id) of the expiry scan. @alpha */
export interface TokenPosition {
  expiresAt: Date;
  id: string;
}

/** @alpha */
export interface FaultListOptions {
  status?: ApiTokenFault['status'];
  kind?: ApiTokenFault['kind'];
  ownerRef?: string;
  limit: number;
  cursor?: string;
}

/**
 * Where expiry faults are raised, resolved and listed. The unique key
 * (token, threshold, expiry, kind, address) of a fault is the ledger that
 * makes every notice happen once, across restarts and replicas.
 *
 * @alpha
 */
export interface FaultLedger {
  /**
   * Resolves the open faults whose token was revoked or has expired by
   * `now`, or whose token's expiry has changed since (superseded), of
   * every kind: an `email-undeliverable` fault shares the fate of the
   * fault it is about. A leak fault (threshold 0, and the
   * `email-undeliverable` faults about its emails) is about the revocation
   * itself, so the revocation does not resolve it; its token's expiry does.
   * Returns how many it resolved.
   */
  resolveFaults(now: Date): Promise<number>;

  /**
   * Resolves the open faults (of either kind) of one token as `rotated`:
   * its successor carries on. Returns how many it resolved.
   */
  resolveRotatedTokenFaults(options: {
    tokenId: string;
    resolvedAt: Date;
  }): Promise<number>;

  /**
   * Raises the expiry faults of one page of the scan, set-based: the page
   * is the next `pageSize` permanent tokens of the window `(after, until]`
   * past `from` (revoked, rotated and already raised ones included, so a
   * page is a fixed range of the index); `next` is where the page ended,
   * undefined after the last page. In one transaction, one statement each:
   * an `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING` raises the
   * fault of every due token of the page that has none (the ledger's
   * unique key skips the ones another run raised meanwhile), the tokens'
   * older open faults are resolved as superseded, and an email per fault
   * and recipient is queued in the email outbox. A crash leaves everything
   * or nothing of the page. Returns the faults this call raised, by expiry.
   * With `claimOwnerNotices`, the same statement claims their owner notices
   * for the caller (notified at `raisedAt`, one attempt counted), as
   * `OwnerNoticeClaims.claimUnnotified` would: the caller sends them, or
   * hands them back with `OwnerNoticeClaims.release`. `lastUsedAt` holds
   * when the token of each new fault was last used (none: never), read by
   * the same statement, for the text of those notices.
   */
  raiseDueFaults(options: {
    thresholdDays: number;
    after: Date;
    until: Date;
    pageSize: number;
    from?: TokenPosition;
    raisedAt: Date;
    emailRecipients: string[];
    claimOwnerNotices?: boolean;
  }): Promise<{
    raised: StoredFault[];
    lastUsedAt: Map<string, Date>;
    next?: TokenPosition;
  }>;

  /**
   * Raises an expiry fault for each due token, unless another run raised it
   * first; resolves the token's older open faults (of either kind) as
   * superseded; and queues an
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

  /**
   * Marks an open fault acknowledged, which stops its emails and owner
   * notices. Acknowledging twice keeps the first. Returns the fault as it is
   * afterwards, or undefined if there is no such fault.
   */
  acknowledgeFault(options: {
    id: string;
    acknowledgedBy: string;
    acknowledgedAt: Date;
  }): Promise<StoredFault | undefined>;

  /** A page of faults, newest first. */
  listFaults(
    options: FaultListOptions,
  ): Promise<{ items: StoredFault[]; nextCursor?: string }>;
}
