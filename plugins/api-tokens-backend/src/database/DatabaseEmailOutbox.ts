import { Knex } from 'knex';
import { chunks } from './chunks';
import { EmailOutbox, PendingEmail } from './EmailOutbox';
import { FAULTS_TABLE, toStoredFault } from './faultRows';
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
};

/**
 * The Knex implementation of {@link EmailOutbox}, for SQLite and
 * PostgreSQL.
 *
 * @internal
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
    const rows: EmailRow[] = options.faults.flatMap(fault =>
      options.recipients.map(address => ({
        fault_id: fault.id,
        address,
        delivered_at: null,
        attempts: 0,
        last_error: null,
        lease_id: null,
        lease_until: null,
      })),
    );
    for (const batch of chunks(rows, INSERT_BATCH)) {
      await tx<EmailRow>(EMAILS).insert(batch);
    }
  }

  async claimPending(options: {
    leaseId: string;
    now: Date;
    leaseUntil: Date;
  }): Promise<PendingEmail[]> {
    await this.db<EmailRow>(EMAILS)
      .whereNull('delivered_at')
      .where(lease =>
        lease.whereNull('lease_until').orWhere('lease_until', '<', options.now),
      )
      .whereIn(
        'fault_id',
        this.db(FAULTS_TABLE).select('id').where('status', 'open'),
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
    await this.endLease(options, {
      delivered_at: options.deliveredAt,
      last_error: null,
    });
  }

  async recordFailed(options: {
    leaseId: string;
    address: string;
    error: string;
  }): Promise<void> {
    await this.endLease(options, { last_error: options.error.slice(0, 1000) });
  }

  /** Counts the attempt on one recipient's leased emails and ends the lease. */
  private async endLease(
    lease: { leaseId: string; address: string },
    outcome: { last_error: string | null; delivered_at?: Date },
  ): Promise<void> {
    await this.db<EmailRow>(EMAILS)
      .where({ lease_id: lease.leaseId, address: lease.address })
      .update({
        ...outcome,
        attempts: this.db.raw('attempts + 1'),
        lease_id: null,
        lease_until: null,
      });
  }
}
