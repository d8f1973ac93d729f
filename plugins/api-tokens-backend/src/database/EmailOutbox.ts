import { StoredFault } from './FaultLedger';

/** An email the outbox holds for one recipient. @internal */
export interface PendingEmail {
  address: string;
  faults: StoredFault[];
}

/**
 * The expiry emails still to send: one per open fault and recipient, queued
 * by the fault ledger in the transaction that raises the fault, and
 * delivered once.
 *
 * @internal
 */
export interface EmailOutbox {
  /**
   * Leases the undelivered emails of open faults to one run, so that two
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

  /** Records why the leased emails of one recipient were not accepted. */
  recordFailed(options: {
    leaseId: string;
    address: string;
    error: string;
  }): Promise<void>;
}
