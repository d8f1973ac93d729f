import { StoredFault } from './FaultLedger';

/**
 * Which owners have been told about their open faults. A notice is claimed
 * by one run before it is sent, so runs at once never notify an owner twice,
 * and handed back when it could not be sent, to be retried a few times.
 *
 * @alpha
 */
export interface OwnerNoticeClaims {
  /**
   * Open expiry and leak faults whose owner has not been notified yet,
   * oldest first. `email-undeliverable` faults never notify the owner.
   */
  listUnnotified(options: {
    maxAttempts: number;
    limit: number;
  }): Promise<StoredFault[]>;

  /**
   * Claims the owner notices of the oldest `limit` open expiry and leak
   * faults whose owner has not been notified, in one statement, as
   * {@link OwnerNoticeClaims.claim} does for given faults, and returns
   * those faults, oldest first: what this run may send. A notice another
   * run claimed first is not among them.
   */
  claimUnnotified(options: {
    notifiedAt: Date;
    maxAttempts: number;
    limit: number;
  }): Promise<StoredFault[]>;

  /**
   * Claims the owner notices of some faults for one run, in one statement:
   * marks each notified and counts the attempt, unless another run got
   * there first or it has had `maxAttempts`. Returns the ids this run may
   * send.
   */
  claim(options: {
    faultIds: string[];
    notifiedAt: Date;
    maxAttempts: number;
  }): Promise<string[]>;

  /**
   * Hands back claimed notices for a later run: ones that failed
   * (`attempted`, the attempt stays counted) or ones this run did not get
   * to (the attempt is given back).
   */
  release(options: { faultIds: string[]; attempted: boolean }): Promise<void>;
}
