import { readDate, readOptionalDate } from './dates';
import { StoredFault } from './FaultLedger';

/** The faults table, which the ledger, the owner notices and the outbox share. */
export const FAULTS_TABLE = 'api_token_faults';

/** A row of {@link FAULTS_TABLE}. */
export type FaultRow = {
  id: string;
  token_id: string;
  token_name: string;
  owner_ref: string;
  threshold_days: number;
  token_expires_at: Date | number;
  raised_at: Date | number;
  status: StoredFault['status'];
  resolved_at: Date | number | null;
  resolution: StoredFault['resolution'] | null;
  notified_at: Date | number | null;
  notify_attempts: number;
};

export function toStoredFault(row: FaultRow): StoredFault {
  return {
    id: row.id,
    tokenId: row.token_id,
    tokenName: row.token_name,
    ownerRef: row.owner_ref,
    thresholdDays: Number(row.threshold_days),
    tokenExpiresAt: readDate(row.token_expires_at),
    raisedAt: readDate(row.raised_at),
    status: row.status,
    resolvedAt: readOptionalDate(row.resolved_at),
    resolution: row.resolution ?? undefined,
  };
}
