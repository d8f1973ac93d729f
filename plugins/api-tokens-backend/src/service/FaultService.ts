import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  API_TOKENS_AUDIT_EVENTS,
  ApiTokenFaultStatus,
  apiTokensFaultsReadPermission,
  apiTokensFaultsRunPermission,
  apiTokensFaultsUpdatePermission,
  parseUserRef,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { FaultLedger, StoredFault } from '../database/FaultLedger';
import { ExpiryCheck, ExpiryRunResult } from '../expiry/ExpiryCheck';
import { audited } from './audited';
import { Authorizer } from './Authorizer';
import { Caller } from './Caller';
import { DEFAULT_PAGE_SIZE } from './TokenService';

/** Which page of which faults an admin asks for. */
export interface FaultListRequest {
  status?: ApiTokenFaultStatus;
  /** A user ref, or a name in the default namespace. */
  ownerRef?: string;
  limit?: number;
  cursor?: string;
}

/** @internal */
export interface FaultServiceOptions {
  ledger: FaultLedger;
  expiryCheck: ExpiryCheck;
  authorizer: Authorizer;
  auditor: AuditorService;
  now?: () => Date;
}

/**
 * The expiry faults as users and admins see them: each user the faults of
 * their own tokens, admins every fault and a run of the check on demand.
 */
export class FaultService {
  constructor(private readonly options: FaultServiceOptions) {}

  /**
   * The newest expiry faults of the caller's own tokens; not the
   * email-undeliverable ones, which name the admins' addresses.
   */
  async listOwn(caller: Caller): Promise<StoredFault[]> {
    const ownerRef = this.options.authorizer.requireSignedInUser(caller);
    const page = await this.options.ledger.listFaults({
      ownerRef,
      kind: 'expiry',
      limit: DEFAULT_PAGE_SIZE,
    });
    return page.items;
  }

  /** A page of every user's faults, newest first (admins). */
  async list(
    caller: Caller,
    request: FaultListRequest,
  ): Promise<{ items: StoredFault[]; nextCursor?: string }> {
    await this.options.authorizer.requirePermission(
      caller,
      apiTokensFaultsReadPermission,
    );
    return this.options.ledger.listFaults({
      status: request.status,
      ownerRef:
        request.ownerRef === undefined
          ? undefined
          : parseUserRef(request.ownerRef, 'ownerRef'),
      limit: request.limit ?? DEFAULT_PAGE_SIZE,
      cursor: request.cursor,
    });
  }

  /**
   * Acknowledges an open fault (admins): it stays open, but sends no more
   * emails or owner notices. Acknowledging twice keeps the first; a resolved
   * fault cannot be acknowledged.
   */
  async acknowledge(caller: Caller, id: string): Promise<StoredFault> {
    const faultId = id.toLocaleLowerCase('en-US');
    return audited(this.options.auditor, {
      eventId: API_TOKENS_AUDIT_EVENTS.faultAcknowledge,
      caller,
      meta: { faultId },
      run: async () => {
        const userRef = await this.options.authorizer.requirePermission(
          caller,
          apiTokensFaultsUpdatePermission,
        );
        const fault = await this.options.ledger.acknowledgeFault({
          id: faultId,
          acknowledgedBy: userRef,
          acknowledgedAt: this.options.now?.() ?? new Date(),
        });
        if (!fault) {
          throw new NotFoundError(`No fault with id ${faultId}`);
        }
        if (!fault.acknowledgedAt) {
          throw new InputError('Only an open fault can be acknowledged');
        }
        return fault;
      },
      outcome: fault => ({
        tokenId: fault.tokenId,
        ownerRef: fault.ownerRef,
      }),
    });
  }

  /**
   * Runs the expiry check now (admins). It writes faults and sends emails,
   * so reading faults is not enough.
   */
  async runExpiryCheck(caller: Caller): Promise<ExpiryRunResult> {
    await this.options.authorizer.requirePermission(
      caller,
      apiTokensFaultsRunPermission,
    );
    return this.options.expiryCheck.run();
  }
}
