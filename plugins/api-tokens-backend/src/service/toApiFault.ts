import {
  ApiTokenFault,
  ExpiryCheckResult,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { StoredFault } from '../database/FaultLedger';
import { ExpiryRunResult } from '../expiry/ExpiryCheck';

/** The API shape of a stored fault. */
export function toApiFault(fault: StoredFault): ApiTokenFault {
  return {
    id: fault.id,
    kind: fault.kind,
    emailAddress: fault.emailAddress ?? null,
    leakUrl: fault.leakUrl ?? null,
    tokenId: fault.tokenId,
    tokenName: fault.tokenName,
    ownerRef: fault.ownerRef,
    thresholdDays: fault.thresholdDays,
    expiresAt: fault.tokenExpiresAt.toISOString(),
    raisedAt: fault.raisedAt.toISOString(),
    status: fault.status,
    resolvedAt: fault.resolvedAt?.toISOString() ?? null,
    resolution: fault.resolution ?? null,
    acknowledgedAt: fault.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: fault.acknowledgedBy ?? null,
  };
}

/** The API shape of what a run of the expiry check did. */
export function toExpiryCheckResult(
  result: ExpiryRunResult,
): ExpiryCheckResult {
  return { ...result, raised: result.raised.map(toApiFault) };
}
