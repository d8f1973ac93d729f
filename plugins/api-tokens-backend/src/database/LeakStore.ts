import { ApiTokenRevokedReason } from '@nholuongut/backstage-plugin-api-tokens-common';
import { StoredApiToken } from './ApiTokensStore';
import { StoredFault } from './FaultLedger';

/**
 * A token as a leak report or an admin's lookup finds it: its metadata,
 * why it was revoked and where it leaked, and the digest it was found by.
 *
 * @alpha
 */
export interface LeakCandidate extends StoredApiToken {
  digest: string;
  revokedReason?: ApiTokenRevokedReason;
  leakUrl?: string;
}

/**
 * What revoking a leaked token did: the token as it is afterwards and the
 * `leaked` fault raised for it.
 *
 * @alpha
 */
export interface LeakRevocation {
  token: LeakCandidate;
  fault: StoredFault;
}

/**
 * Where leak reports revoke tokens and raise their faults. Only digests of
 * reported values reach it.
 *
 * @alpha
 */
export interface LeakStore {
  /** The tokens with these digests, in any state; unknown digests are left out. */
  findTokensByDigests(digests: string[]): Promise<LeakCandidate[]>;

  /**
   * Revokes an active token as leaked (reason `leaked`, keeping `leakUrl`),
   * raises its open `leaked` fault and queues its email to each recipient
   * in the email outbox, in one transaction. Only the call that revokes the
   * token does any of it: for a token already revoked or expired (another
   * report, or the same report on another replica, got there first) it
   * changes nothing and returns undefined.
   */
  revokeLeakedToken(options: {
    tokenId: string;
    leakUrl: string;
    revokedBy: string;
    revokedAt: Date;
    emailRecipients: string[];
  }): Promise<LeakRevocation | undefined>;
}
