import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { readDate, readOptionalDate } from './dates';
import { StoredFault } from './FaultLedger';

/** The faults table, which the ledger, the owner notices and the outbox share. */
export const FAULTS_TABLE = 'api_token_faults';

/** The columns of the ledger's unique key, the conflict target of inserts. */
export const LEDGER_KEY_COLUMNS = [
  'token_id',
  'threshold_days',
  'token_expires_at',
  'kind',
  'email_address',
];

/**
 * The threshold of `leaked` faults and of the `email-undeliverable` faults
 * about their emails: a leak is not about a threshold, and expiry
 * thresholds are at least one day, so the ledger key (token, threshold 0,
 * expiry, `leaked`) allows one leak fault per token.
 */
export const LEAK_THRESHOLD_DAYS = 0;

/** A row of {@link FAULTS_TABLE}. */
export type FaultRow = {
  id: string;
  kind: StoredFault['kind'];
  /** Empty for expiry faults (the column is part of the unique key). */
  email_address: string;
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
  /** For `leaked` faults: where the token was found. */
  leak_url: string | null;
  acknowledged_at?: Date | number | null;
  acknowledged_by?: string | null;
};

export function toStoredFault(row: FaultRow): StoredFault {
  return {
    id: row.id,
    kind: row.kind,
    emailAddress: row.email_address || undefined,
    leakUrl: row.leak_url ?? undefined,
    tokenId: row.token_id,
    tokenName: row.token_name,
    ownerRef: row.owner_ref,
    thresholdDays: Number(row.threshold_days),
    tokenExpiresAt: readDate(row.token_expires_at),
    raisedAt: readDate(row.raised_at),
    status: row.status,
    resolvedAt: readOptionalDate(row.resolved_at),
    resolution: row.resolution ?? undefined,
    acknowledgedAt: readOptionalDate(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by ?? undefined,
  };
}

/**
 * A new open fault row. An `email-undeliverable` fault is about the fault
 * `of` and the address `emailAddress`; it never notifies the owner. A
 * `leaked` fault keeps where the token was found (`leakUrl`).
 */
export function newFaultRow(
  of: Pick<StoredFault, 'tokenId' | 'tokenName' | 'ownerRef'> & {
    thresholdDays: number;
    tokenExpiresAt: Date;
  },
  options: { raisedAt: Date } & (
    | { kind: 'expiry' }
    | { kind: 'email-undeliverable'; emailAddress: string }
    | { kind: 'leaked'; leakUrl: string }
  ),
): FaultRow {
  return {
    id: randomUUID(),
    kind: options.kind,
    email_address:
      options.kind === 'email-undeliverable' ? options.emailAddress : '',
    token_id: of.tokenId,
    token_name: of.tokenName,
    owner_ref: of.ownerRef,
    threshold_days: of.thresholdDays,
    token_expires_at: of.tokenExpiresAt,
    raised_at: options.raisedAt,
    status: 'open',
    resolved_at: null,
    resolution: null,
    notified_at: null,
    notify_attempts: 0,
    leak_url: options.kind === 'leaked' ? options.leakUrl : null,
  };
}

/**
 * Inserts new fault rows into the ledger, skipping those whose ledger key
 * another run already holds, and returns the faults this call raised.
 */
export async function insertNewFaults(
  tx: Knex.Transaction,
  rows: FaultRow[],
): Promise<StoredFault[]> {
  const inserted: Array<{ id: string }> = await tx<FaultRow>(FAULTS_TABLE)
    .insert(rows)
    .onConflict(LEDGER_KEY_COLUMNS)
    .ignore()
    .returning('id');
  const insertedIds = new Set(inserted.map(row => row.id));
  return rows.filter(row => insertedIds.has(row.id)).map(toStoredFault);
}
