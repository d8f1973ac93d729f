import { Knex } from 'knex';
import { chunks } from './chunks';
import { readPageNewestFirst } from './cursor';
import { readDate } from './dates';
import { DatabaseEmailOutbox } from './DatabaseEmailOutbox';
import {
  FaultRow,
  FAULTS_TABLE,
  LEAK_THRESHOLD_DAYS,
  newFaultRow,
  toStoredFault,
  insertNewFaults,
} from './faultRows';
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
 * @alpha
 */
export class DatabaseFaultLedger implements FaultLedger {
  constructor(
    private readonly db: Knex,
    private readonly outbox: DatabaseEmailOutbox,
  ) {}

  async resolveFaults(now: Date): Promise<number> {
    const resolveWhere = async (
      resolution: 'revoked' | 'expired' | 'rotated',
      condition: (tokens: Knex.QueryBuilder) => Knex.QueryBuilder,
      faults: (query: Knex.QueryBuilder) => Knex.QueryBuilder = query => query,
    ) =>
      faults(
        this.db<FaultRow>(FAULTS_TABLE)
          .where('status', 'open')
          .whereIn('token_id', condition(this.db(TOKENS).select('id'))),
      ).update({ status: 'resolved', resolved_at: now, resolution });

    // A leak fault reports the revocation: it stays open until its token
    // would have expired.
    const revoked = await resolveWhere(
      'revoked',
      tokens => tokens.whereNotNull('revoked_at'),
      faults => faults.whereNot('threshold_days', LEAK_THRESHOLD_DAYS),
    );
    // Rotation resolves its token's faults itself; this catches any it
    // could not.
    const rotated = await resolveWhere('rotated', tokens =>
      tokens.whereNotNull('rotated_to'),
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
    return revoked + rotated + expired + renewed;
  }

  async resolveRotatedTokenFaults(options: {
    tokenId: string;
    resolvedAt: Date;
  }): Promise<number> {
    return this.db<FaultRow>(FAULTS_TABLE)
      .where({ status: 'open', token_id: options.tokenId })
      .update({
        status: 'resolved',
        resolved_at: options.resolvedAt,
        resolution: 'rotated',
      });
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
    // Permanent tokens only: a temporary token's name is whatever text any
    // signed-in user chose, and must not reach the admins' email or raise
    // faults by the hundred. The scan walks `api_tokens_expiry_scan_idx`
    // (kind, expires_at, id), so temporary tokens are not even read.
    const query = this.db(`${TOKENS} as t`)
      .select('t.id', 't.name', 't.owner_ref', 't.expires_at')
      .where('t.kind', 'permanent')
      .whereNull('t.revoked_at')
      .whereNull('t.rotated_to')
      .where('t.expires_at', '>', options.after)
      .where('t.expires_at', '<=', options.until)
      .whereRaw(
        `NOT EXISTS (SELECT 1 FROM ${FAULTS_TABLE} AS f WHERE f.token_id = t.id AND f.threshold_days = ? AND f.token_expires_at = t.expires_at AND f.kind = 'expiry'${asSubquery})`,
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
        const rows: FaultRow[] = batch.map(token =>
          newFaultRow(
            {
              tokenId: token.id,
              tokenName: token.name,
              ownerRef: token.ownerRef,
              thresholdDays,
              tokenExpiresAt: token.expiresAt,
            },
            { kind: 'expiry', raisedAt },
          ),
        );
        // The ledger: a fault another run already raised is skipped here.
        raised.push(...(await insertNewFaults(tx, rows)));
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

  async acknowledgeFault(options: {
    id: string;
    acknowledgedBy: string;
    acknowledgedAt: Date;
  }): Promise<StoredFault | undefined> {
    await this.db<FaultRow>(FAULTS_TABLE)
      .where({ id: options.id, status: 'open' })
      .whereNull('acknowledged_at')
      .update({
        acknowledged_at: options.acknowledgedAt,
        acknowledged_by: options.acknowledgedBy,
      });
    const row = await this.db<FaultRow>(FAULTS_TABLE)
      .where({ id: options.id })
      .first();
    return row ? toStoredFault(row) : undefined;
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
    if (options.kind) {
      query.where('kind', options.kind);
    }
    return readPageNewestFirst(query, {
      timeColumn: 'raised_at',
      limit: options.limit,
      cursor: options.cursor,
      toItem: toStoredFault,
    });
  }
}
