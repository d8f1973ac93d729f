import { Knex } from 'knex';
import { FaultRow, FAULTS_TABLE, toStoredFault } from './faultRows';
import { StoredFault } from './FaultLedger';
import { OwnerNoticeClaims } from './OwnerNoticeClaims';

/** The kinds of fault whose owner is told. */
const OWNER_NOTICE_KINDS: StoredFault['kind'][] = ['expiry', 'leaked'];

/**
 * The Knex implementation of {@link OwnerNoticeClaims}, for SQLite and
 * PostgreSQL: the claim is the `notified_at` and `notify_attempts` columns
 * of each fault. Only expiry and leak faults notify their owner: an
 * `email-undeliverable` fault is about an admin address, for admins.
 *
 * @alpha
 */
export class DatabaseOwnerNoticeClaims implements OwnerNoticeClaims {
  constructor(private readonly db: Knex) {}

  async listUnnotified(options: {
    maxAttempts: number;
    limit: number;
  }): Promise<StoredFault[]> {
    const rows = await this.db<FaultRow>(FAULTS_TABLE)
      .select()
      .where('status', 'open')
      .whereIn('kind', OWNER_NOTICE_KINDS)
      .whereNull('notified_at')
      .whereNull('acknowledged_at')
      .where('notify_attempts', '<', options.maxAttempts)
      .orderBy('raised_at')
      .limit(options.limit);
    return rows.map(toStoredFault);
  }

  async claimUnnotified(options: {
    notifiedAt: Date;
    maxAttempts: number;
    limit: number;
  }): Promise<StoredFault[]> {
    const unnotified = (query: Knex.QueryBuilder) =>
      query
        .where('status', 'open')
        .whereIn('kind', OWNER_NOTICE_KINDS)
        .whereNull('notified_at')
        .whereNull('acknowledged_at')
        .where('notify_attempts', '<', options.maxAttempts);
    // The conditions are checked again on the row the UPDATE locks: a
    // notice another run claimed since the subquery looked is left to it.
    const claimed: FaultRow[] = await unnotified(
      this.db<FaultRow>(FAULTS_TABLE).whereIn(
        'id',
        unnotified(this.db(FAULTS_TABLE).select('id'))
          .orderBy('raised_at')
          .limit(options.limit),
      ),
    )
      .update({
        notified_at: options.notifiedAt,
        notify_attempts: this.db.raw('notify_attempts + 1'),
      })
      .returning('*');
    return claimed
      .map(toStoredFault)
      .sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime());
  }

  async claim(options: {
    faultIds: string[];
    notifiedAt: Date;
    maxAttempts: number;
  }): Promise<string[]> {
    if (options.faultIds.length === 0) {
      return [];
    }
    const claimed: Array<{ id: string }> = await this.db<FaultRow>(FAULTS_TABLE)
      .whereIn('id', options.faultIds)
      .whereIn('kind', OWNER_NOTICE_KINDS)
      .whereNull('notified_at')
      .whereNull('acknowledged_at')
      .where('notify_attempts', '<', options.maxAttempts)
      .update({
        notified_at: options.notifiedAt,
        notify_attempts: this.db.raw('notify_attempts + 1'),
      })
      .returning('id');
    return claimed.map(row => row.id);
  }

  async release(options: {
    faultIds: string[];
    attempted: boolean;
  }): Promise<void> {
    if (options.faultIds.length === 0) {
      return;
    }
    await this.db<FaultRow>(FAULTS_TABLE)
      .whereIn('id', options.faultIds)
      .update(
        options.attempted
          ? { notified_at: null }
          : {
              notified_at: null,
              notify_attempts: this.db.raw('notify_attempts - 1'),
            },
      );
  }
}
