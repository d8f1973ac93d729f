import { Knex } from 'knex';
import { boundListTable } from './boundLists';
import { chunks } from './chunks';
import { EmailOutbox, EmailRetryPolicy, PendingEmail } from './EmailOutbox';
import {
  FaultRow,
  FAULTS_TABLE,
  newFaultRow,
  toStoredFault,
  insertNewFaults,
} from './faultRows';
import { StoredFault } from './FaultLedger';

const EMAILS = 'api_token_fault_emails';
// Rows per INSERT; well below SQLite's limit on bound parameters.
const INSERT_BATCH = 200;

type EmailRow = {
  fault_id: string;
  address: string;
  delivered_at: Date | number | null;
  attempts: number;
  last_error: string | null;
  lease_id: string | null;
  lease_until: Date | number | null;
  next_attempt_at: Date | number | null;
  gave_up_at: Date | number | null;
};

/**
 * The Knex implementation of {@link EmailOutbox}, for SQLite and
 * PostgreSQL.
 *
 * @alpha
 */
export class DatabaseEmailOutbox implements EmailOutbox {
  constructor(private readonly db: Knex) {}

  /**
   * Queues an email about each fault to each recipient, inside the
   * transaction `tx` that raises the faults, so that a fault and its emails
   * are committed together or not at all.
   */
  async enqueue(
    tx: Knex.Transaction,
    options: { faults: StoredFault[]; recipients: string[] },
  ): Promise<void> {
    if (options.faults.length === 0 || options.recipients.length === 0) {
      return;
    }
    // One statement for every fault and recipient, the lists bound as two
    // parameters: the cross product is made by the database.
    await tx.raw(
      `INSERT INTO ${EMAILS} (fault_id, address, attempts) SELECT f.value, r.value, 0 FROM ? CROSS JOIN ?`,
      [
        boundListTable(
          tx,
          options.faults.map(fault => fault.id),
          'f',
        ),
        boundListTable(tx, options.recipients, 'r'),
      ],
    );
  }

  async claimPending(options: {
    leaseId: string;
    now: Date;
    leaseUntil: Date;
  }): Promise<PendingEmail[]> {
    await this.db<EmailRow>(EMAILS)
      .whereNull('delivered_at')
      .whereNull('gave_up_at')
      .where(due =>
        due
          .whereNull('next_attempt_at')
          .orWhere('next_attempt_at', '<=', options.now),
      )
      .where(lease =>
        lease.whereNull('lease_until').orWhere('lease_until', '<', options.now),
      )
      .whereIn(
        'fault_id',
        this.db(FAULTS_TABLE)
          .select('id')
          .where('status', 'open')
          .whereNull('acknowledged_at'),
      )
      .update({ lease_id: options.leaseId, lease_until: options.leaseUntil });

    const rows = await this.db(`${EMAILS} as e`)
      .join(`${FAULTS_TABLE} as f`, 'f.id', 'e.fault_id')
      .select('e.address', 'f.*')
      .where('e.lease_id', options.leaseId)
      .whereNull('e.delivered_at')
      .orderBy([
        { column: 'e.address', order: 'asc' },
        { column: 'f.token_expires_at', order: 'asc' },
      ]);
    const byAddress = new Map<string, StoredFault[]>();
    for (const row of rows) {
      const faults = byAddress.get(row.address) ?? [];
      faults.push(toStoredFault(row));
      byAddress.set(row.address, faults);
    }
    return [...byAddress].map(([address, faults]) => ({ address, faults }));
  }

  async recordDelivered(options: {
    leaseId: string;
    address: string;
    deliveredAt: Date;
  }): Promise<void> {
    await this.db<EmailRow>(EMAILS)
      .where({ lease_id: options.leaseId, address: options.address })
      .update({
        delivered_at: options.deliveredAt,
        last_error: null,
        attempts: this.db.raw('attempts + 1'),
        lease_id: null,
        lease_until: null,
        next_attempt_at: null,
      });
  }

  async recordFailed(options: {
    leaseId: string;
    address: string;
    error: string;
    failedAt: Date;
    retry: EmailRetryPolicy;
  }): Promise<StoredFault[]> {
    const { leaseId, address, failedAt, retry } = options;
    const lastError = options.error.slice(0, 1000);
    return this.db.transaction(async tx => {
      const leased: Array<FaultRow & { attempts: number }> = await tx(
        `${EMAILS} as e`,
      )
        .join(`${FAULTS_TABLE} as f`, 'f.id', 'e.fault_id')
        .select('f.*', 'e.attempts')
        .where({ 'e.lease_id': leaseId, 'e.address': address });
      // Rows queued at different times have had different numbers of
      // attempts: one update per count.
      const counts = [...new Set(leased.map(row => Number(row.attempts)))];
      for (const attemptsBefore of counts) {
        const attempts = attemptsBefore + 1;
        const givesUp = attempts >= retry.maxAttempts;
        await tx<EmailRow>(EMAILS)
          .where({ lease_id: leaseId, address, attempts: attemptsBefore })
          .update({
            attempts,
            last_error: lastError,
            lease_id: null,
            lease_until: null,
            next_attempt_at: givesUp
              ? null
              : new Date(
                  failedAt.getTime() + retry.firstDelayMs * 2 ** (attempts - 1),
                ),
            gave_up_at: givesUp ? failedAt : null,
          });
      }
      const gaveUp = leased.filter(
        row => Number(row.attempts) + 1 >= retry.maxAttempts,
      );
      const raised: StoredFault[] = [];
      for (const batch of chunks(gaveUp, INSERT_BATCH)) {
        const rows = batch.map(row =>
          newFaultRow(toStoredFault(row), {
            kind: 'email-undeliverable',
            emailAddress: address,
            raisedAt: failedAt,
          }),
        );
        raised.push(...(await insertNewFaults(tx, rows)));
      }
      return raised;
    });
  }
}
