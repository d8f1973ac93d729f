import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { chunks } from './chunks';
import { readPageNewestFirst } from './cursor';
import { readDate } from './dates';
import { DatabaseEmailOutbox } from './DatabaseEmailOutbox';
import { FaultRow, FAULTS_TABLE, toStoredFault } from './faultRows';
import {
  DueToken,
  FaultLedger,
  FaultListOptions,
  StoredFault,
} from './FaultLedger';

const TOKENS = 'api_tokens';
// Rows per INSERT; well below SQLite's limit on bound parameters.
const INSERT_BATCH = 200;

/**
 * The Knex implementation of {@link FaultLedger}, for SQLite and
 * PostgreSQL. Every time is computed in JavaScript and bound as a parameter.
 * It queues the emails of the faults it raises in `outbox`, in the same
 * transaction.
 *
 * @internal
 */
export class DatabaseFaultLedger implements FaultLedger {
  constructor(
    private readonly db: Knex,
    private readonly outbox: DatabaseEmailOutbox,
  ) {}

  async resolveFaults(now: Date): Promise<number> {
    const resolveWhere = async (
      resolution: 'revoked' | 'expired',
      condition: (tokens: Knex.QueryBuilder) => Knex.QueryBuilder,
    ) =>
      this.db<FaultRow>(FAULTS_TABLE)
        .where('status', 'open')
        .whereIn('token_id', condition(this.db(TOKENS).select('id')))
        .update({ status: 'resolved', resolved_at: now, resolution });

    const revoked = await resolveWhere('revoked', tokens =>
      tokens.whereNotNull('revoked_at'),
    );
    const expired = await resolveWhere('expired', tokens =>
      tokens.where('expires_at', '<=', now),
    );
    // A notice about an expiry the token no longer has is stale.
    const renewed = await this.db<FaultRow>(FAULTS_TABLE)
      .where('status', 'open')
      .whereExists(
        this.db(`${TOKENS} as t`)
          .select(this.db.raw('1'))
          .whereRaw(`t.id = ${FAULTS_TABLE}.token_id`)
          .whereRaw(`t.expires_at <> ${FAULTS_TABLE}.token_expires_at`),
      )
      .update({
        status: 'resolved',
        resolved_at: now,
        resolution: 'superseded',
      });
    return revoked + expired + renewed;
  }

  async findDueTokens(options: {
    thresholdDays: number;
    after: Date;
    until: Date;
    limit: number;
    from?: { expiresAt: Date; id: string };
  }): Promise<DueToken[]> {
    const { from } = options;
    // PostgreSQL would plan NOT EXISTS as an anti-join, costed from the
    // statistics of the faults table. Those are stale while a run fills it
    // (from none to thousands of rows between two pages), and then it picks
    // a nested loop over every fault for every token: seconds at a million
    // tokens. OFFSET 0 keeps it a subquery, one probe of the ledger's unique
    // index per token whatever the statistics say. (SQLite runs it per row
    // anyway, and takes no OFFSET without a LIMIT.)
    const asSubquery =
      this.db.client.dialect === 'postgresql' ? ' OFFSET 0' : '';
    const query = this.db(`${TOKENS} as t`)
      .select('t.id', 't.name', 't.owner_ref', 't.expires_at')
      .whereNull('t.revoked_at')
      .where('t.expires_at', '>', options.after)
      .where('t.expires_at', '<=', options.until)
      .whereRaw(
        `NOT EXISTS (SELECT 1 FROM ${FAULTS_TABLE} AS f WHERE f.token_id = t.id AND f.threshold_days = ? AND f.token_expires_at = t.expires_at${asSubquery})`,
        [options.thresholdDays],
      )
      .orderBy([
        { column: 't.expires_at', order: 'asc' },
        { column: 't.id', order: 'asc' },
      ])
      .limit(options.limit);
    if (from) {
      // A row value, so that the page starts at the position in the index
      // instead of filtering every row of the earlier pages again.
      query.whereRaw('(t.expires_at, t.id) > (?, ?)', [
        from.expiresAt,
        from.id,
      ]);
    }
    const rows = await query;
    return rows.map(row => ({
      id: row.id,
      name: row.name,
      ownerRef: row.owner_ref,
      expiresAt: readDate(row.expires_at),
    }));
  }

  async raiseFaults(options: {
    tokens: DueToken[];
    thresholdDays: number;
    raisedAt: Date;
    emailRecipients: string[];
  }): Promise<StoredFault[]> {
    const { thresholdDays, raisedAt, emailRecipients } = options;
    return this.db.transaction(async tx => {
      const raised: StoredFault[] = [];
      for (const batch of chunks(options.tokens, INSERT_BATCH)) {
        const rows: FaultRow[] = batch.map(token => ({
          id: randomUUID(),
          token_id: token.id,
          token_name: token.name,
          owner_ref: token.ownerRef,
          threshold_days: thresholdDays,
          token_expires_at: token.expiresAt,
          raised_at: raisedAt,
          status: 'open',
          resolved_at: null,
          resolution: null,
          notified_at: null,
          notify_attempts: 0,
        }));
        // The ledger: a fault another run already raised is skipped here.
        const inserted: Array<{ id: string }> = await tx<FaultRow>(FAULTS_TABLE)
          .insert(rows)
          .onConflict(['token_id', 'threshold_days', 'token_expires_at'])
          .ignore()
          .returning('id');
        const insertedIds = new Set(inserted.map(row => row.id));
        raised.push(
          ...rows.filter(row => insertedIds.has(row.id)).map(toStoredFault),
        );
      }
      for (const batch of chunks(raised, INSERT_BATCH)) {
        await tx<FaultRow>(FAULTS_TABLE)
          .where('status', 'open')
          .whereIn(
            'token_id',
            batch.map(fault => fault.tokenId),
          )
          .whereNotIn(
            'id',
            batch.map(fault => fault.id),
          )
          .update({
            status: 'resolved',
            resolved_at: raisedAt,
            resolution: 'superseded',
          });
      }
      await this.outbox.enqueue(tx, {
        faults: raised,
        recipients: emailRecipients,
      });
      return raised;
    });
  }

  async listFaults(
    options: FaultListOptions,
  ): Promise<{ items: StoredFault[]; nextCursor?: string }> {
    const query = this.db<FaultRow>(FAULTS_TABLE).select();
    if (options.status) {
      query.where('status', options.status);
    }
    if (options.ownerRef) {
      query.where('owner_ref', options.ownerRef);
    }
    return readPageNewestFirst(query, {
      timeColumn: 'raised_at',
      limit: options.limit,
      cursor: options.cursor,
      toItem: toStoredFault,
    });
  }
}
