import { ApiTokenFault } from '@internal/plugin-api-tokens-common';
import { StoredFault } from '../database/FaultLedger';

/** The API shape of a stored fault. */
export function toApiFault(fault: StoredFault): ApiTokenFault {
  return {
    id: fault.id,
    tokenId: fault.tokenId,
    tokenName: fault.tokenName,
    ownerRef: fault.ownerRef,
    thresholdDays: fault.thresholdDays,
    expiresAt: fault.tokenExpiresAt.toISOString(),
    raisedAt: fault.raisedAt.toISOString(),
    status: fault.status,
    resolvedAt: fault.resolvedAt?.toISOString() ?? null,
    resolution: fault.resolution ?? null,
  };
}
