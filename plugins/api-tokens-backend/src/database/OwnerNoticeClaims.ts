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
   * Claims the owner notices of the oldest `limit` open expiry and leak
   * faults whose owner has not been notified (and that are not
   * acknowledged), in one statement: marks each notified at `notifiedAt`
   * and counts the attempt, skipping those that have had `maxAttempts`.
   * Returns those faults, oldest first: what this run may send. A notice
   * another run claimed first is not among them. `email-undeliverable`
   * faults never notify the owner.
   */
  claimUnnotified(options: {
    notifiedAt: Date;
    maxAttempts: number;
    limit: number;
  }): Promise<StoredFault[]>;

  /**
   * Hands back claimed notices for a later run: ones that failed
   * (`attempted`, the attempt stays counted) or ones this run did not get
   * to (the attempt is given back).
   */
  release(options: { faultIds: string[]; attempted: boolean }): Promise<void>;
}
