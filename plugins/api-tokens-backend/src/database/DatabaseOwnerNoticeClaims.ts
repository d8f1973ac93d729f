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

  async claimUnnotified(options: {
    notifiedAt: Date;
    maxAttempts: number;
    limit: number;
  }): Promise<StoredFault[]> {
    // Literals, not bound values: the subquery walks the partial index
    // `api_token_faults_unnotified_idx`, which a planner picks only when it
    // sees the index's own condition in the query.
    const unnotified = (query: Knex.QueryBuilder) =>
      query
        .whereRaw(
          "status = 'open' AND notified_at IS NULL AND acknowledged_at IS NULL",
        )
        .whereIn('kind', OWNER_NOTICE_KINDS)
        .where('notify_attempts', '<', options.maxAttempts);
    const oldest = unnotified(this.db(FAULTS_TABLE).select('id'))
      .orderBy(['raised_at', 'id'])
      .limit(options.limit);
    // A notice another run claimed since the subquery looked is left to it.
    // PostgreSQL locks the batch's rows as it reads them, rereading a row
    // another run changed meanwhile (and skipping one it holds); the ids
    // then come as an array computed once, so that the UPDATE looks them
    // up by primary key. SQLite runs one write at a time, and checks the
    // conditions again on the row it updates.
    const batch: Knex.QueryBuilder =
      this.db.client.dialect === 'postgresql'
        ? this.db(FAULTS_TABLE).whereRaw('id = ANY(ARRAY(?))', [
            oldest.forUpdate().skipLocked(),
          ])
        : unnotified(this.db(FAULTS_TABLE).whereIn('id', oldest));
    const claimed: FaultRow[] = await batch
      .update({
        notified_at: options.notifiedAt,
        notify_attempts: this.db.raw('notify_attempts + 1'),
      })
      .returning('*');
    return claimed
      .map(toStoredFault)
      .sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime());
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
