import { StoredFault } from './FaultLedger';

/** An email the outbox holds for one recipient. @alpha */
export interface PendingEmail {
  address: string;
  faults: StoredFault[];
}

/**
 * How often an email that was not accepted is tried again.
 *
 * @alpha
 */
export interface EmailRetryPolicy {
  /** Attempts in all; the email gives up when the last one fails. */
  maxAttempts: number;
  /**
   * The wait after the first failed attempt, in milliseconds; it doubles
   * after each further failure (1, 2, 4, … times this).
   */
  firstDelayMs: number;
}

/**
 * The expiry emails still to send: one per open expiry fault and recipient,
 * queued by the fault ledger in the transaction that raises the fault, and
 * delivered once, or given up after `maxAttempts`.
 *
 * @alpha
 */
export interface EmailOutbox {
  /**
   * Leases the undelivered emails of open faults that are due (not given
   * up, and past the delay of their last failure) to one run, so that two
   * runs at once never send the same message; the lease lapses at
   * `leaseUntil` if the run dies.
   */
  claimPending(options: {
    leaseId: string;
    now: Date;
    leaseUntil: Date;
  }): Promise<PendingEmail[]>;

  /** Marks the leased emails of one recipient as accepted by the server. */
  recordDelivered(options: {
    leaseId: string;
    address: string;
    deliveredAt: Date;
  }): Promise<void>;

  /**
   * Records why the leased emails of one recipient were not accepted, and
   * when each may be tried again. An email whose last allowed attempt this
   * was gives up, and in the same transaction an open `email-undeliverable`
   * fault is raised for its fault and address (once, by the ledger key).
   * Returns the faults raised.
   */
  recordFailed(options: {
    leaseId: string;
    address: string;
    error: string;
    failedAt: Date;
    retry: EmailRetryPolicy;
  }): Promise<StoredFault[]>;
}
