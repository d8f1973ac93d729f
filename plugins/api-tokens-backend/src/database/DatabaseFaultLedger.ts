import { Knex } from 'knex';
import { inBoundList, newUuidSql, rawRows } from './boundLists';
import { chunks } from './chunks';
import { readPageNewestFirst } from './cursor';
import { readDate, readOptionalDate } from './dates';
import { DatabaseEmailOutbox } from './DatabaseEmailOutbox';
import {
  FaultRow,
  FAULTS_TABLE,
  LEAK_THRESHOLD_DAYS,
  newFaultRow,
  toStoredFault,
  insertNewFaults,
  LEDGER_KEY_COLUMNS,
} from './faultRows';
import {
  DueToken,
  FaultLedger,
  FaultListOptions,
  StoredFault,
  TokenPosition,
} from './FaultLedger';

const TOKENS = 'api_tokens';
/**
 * The live permanent tokens of `api_tokens AS t`: the predicate of the
 * partial index `api_tokens_expiry_scan_idx`, which both statements of the
 * expiry scan must repeat for the planner to use that index.
 */
const LIVE_PERMANENT_TOKEN = `t.kind = 'permanent' AND t.revoked_at IS NULL AND t.rotated_to IS NULL`;
/**
 * The `FROM … WHERE` of the token of a row of the faults table, if it is
 * still a live permanent token with that fault's expiry: one entry of the
 * scan index, found by its key.
 */
const FAULT_TOKEN_IN_SCAN = `FROM ${TOKENS} AS t
  WHERE ${LIVE_PERMANENT_TOKEN}
    AND t.expires_at = ${FAULTS_TABLE}.token_expires_at
    AND t.id = ${FAULTS_TABLE}.token_id`;
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
    // One statement, driven by the open faults: each looks its token up by
    // primary key (a scalar subquery, which no planner turns into a scan
    // of every revoked or expired token). A leak fault reports the
    // revocation: it stays open until its token would have expired.
    // Rotation resolves its token's faults itself; this catches any it
    // could not. A notice about an expiry the token no longer has is stale.
    const resolution = `(SELECT CASE
        WHEN t.revoked_at IS NOT NULL AND ${FAULTS_TABLE}.threshold_days <> ${LEAK_THRESHOLD_DAYS} THEN 'revoked'
        WHEN t.rotated_to IS NOT NULL THEN 'rotated'
        WHEN t.expires_at <= ? THEN 'expired'
        WHEN t.expires_at <> ${FAULTS_TABLE}.token_expires_at THEN 'superseded'
      END FROM ${TOKENS} AS t WHERE t.id = ${FAULTS_TABLE}.token_id)`;
    // Most open faults are of live tokens that still have that expiry, to
    // which no resolution applies: those are ruled out first by a probe of
    // the expiry scan's index (its few pages of tokens near expiry, which
    // every run reads), so that only the others read their token's row, a
    // random page of the table each. `asSubquery` keeps it a probe per
    // fault.
    const stillCurrent = `EXISTS (SELECT 1 ${FAULT_TOKEN_IN_SCAN}
      AND t.expires_at > ?${this.asSubquery()})`;
    return this.db<FaultRow>(FAULTS_TABLE)
      .where('status', 'open')
      .whereRaw(`NOT ${stillCurrent}`, [now])
      .whereRaw(`${resolution} IS NOT NULL`, [now])
      .update({
        status: 'resolved',
        resolved_at: now,
        resolution: this.db.raw(resolution, [now]),
      });
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

  async raiseDueFaults(options: {
    thresholdDays: number;
    after: Date;
    until: Date;
    pageSize: number;
    from?: TokenPosition;
    raisedAt: Date;
    emailRecipients: string[];
    claimOwnerNotices?: boolean;
  }): Promise<{
    raised: StoredFault[];
    lastUsedAt: Map<string, Date>;
    next?: TokenPosition;
  }> {
    const { thresholdDays, raisedAt, emailRecipients } = options;
    // The claim of an owner notice is the pair (notified_at, notify_attempts),
    // as `OwnerNoticeClaims.claimUnnotified` sets it.
    const claim = options.claimOwnerNotices ? ['?', '1'] : ['NULL', '0'];
    const next = await this.windowPosition(options);
    const due = this.dueTokensSql({ ...options, to: next });
    return this.db.transaction(async tx => {
      if (tx.client.dialect === 'postgresql') {
        // The planner costs the page as the whole window (it cannot read
        // the row-value bounds as a range), which on a large table is over
        // `jit_above_cost`: compiling the statement would cost more than
        // running its thousand index probes.
        await tx.raw('SET LOCAL jit = off');
      }
      // The ledger: a token whose fault another run raised since the
      // NOT EXISTS looked is skipped by the unique key. Each new fault
      // comes back with its token's last use, for the owner's notice: the
      // subquery finds the entry of the scan index the SELECT has just read
      // (on PostgreSQL the index holds it), not the token's row.
      const inserted = await tx.raw(
        `INSERT INTO ${FAULTS_TABLE} (id, kind, email_address, token_id, token_name, owner_ref,
           threshold_days, token_expires_at, raised_at, status, notified_at, notify_attempts)
         SELECT ${newUuidSql(tx)}, 'expiry', '', t.id, t.name, t.owner_ref,
           ?, t.expires_at, ?, 'open', ${claim[0]}, ${claim[1]}
         ${due.sql}
         ON CONFLICT (${LEDGER_KEY_COLUMNS.join(', ')}) DO NOTHING
         RETURNING *,
           (SELECT t.last_used_at ${FAULT_TOKEN_IN_SCAN}) AS token_last_used_at`,
        [
          thresholdDays,
          raisedAt,
          ...(options.claimOwnerNotices ? [raisedAt] : []),
          ...due.bindings,
        ],
      );
      const rows = rawRows<
        FaultRow & { token_last_used_at: Date | number | null }
      >(inserted);
      const lastUsedAt = new Map<string, Date>();
      for (const row of rows) {
        const usedAt = readOptionalDate(row.token_last_used_at);
        if (usedAt) {
          lastUsedAt.set(row.token_id, usedAt);
        }
      }
      const raised = rows
        .map(toStoredFault)
        .sort(
          (a, b) =>
            a.tokenExpiresAt.getTime() - b.tokenExpiresAt.getTime() ||
            (a.tokenId < b.tokenId ? -1 : 1),
        );
      await this.supersedeOlderFaults(tx, raised, raisedAt);
      await this.outbox.enqueue(tx, {
        faults: raised,
        recipients: emailRecipients,
      });
      return { raised, lastUsedAt, next };
    });
  }

  /**
   * The `pageSize`-th live permanent token of the window `(after, until]`
   * past `from`, in the order (expiry, id): where a page of
   * `raiseDueFaults` ends. Undefined when the window ends first.
   * Only the index `api_tokens_expiry_scan_idx` is read, so a page is a
   * range of the window fixed before the faults are raised: tokens that
   * another run raises meanwhile do not shift it.
   */
  private async windowPosition(options: {
    after: Date;
    until: Date;
    pageSize: number;
    from?: TokenPosition;
  }): Promise<TokenPosition | undefined> {
    const query = this.db(`${TOKENS} as t`)
      .select('t.expires_at', 't.id')
      .whereRaw(LIVE_PERMANENT_TOKEN)
      .where('t.expires_at', '>', options.after)
      .where('t.expires_at', '<=', options.until)
      .orderBy([
        { column: 't.expires_at', order: 'asc' },
        { column: 't.id', order: 'asc' },
      ])
      .offset(options.pageSize - 1)
      .limit(1);
    if (options.from) {
      query.whereRaw('(t.expires_at, t.id) > (?, ?)', [
        options.from.expiresAt,
        options.from.id,
      ]);
    }
    const [row] = await query;
    return row
      ? { expiresAt: readDate(row.expires_at), id: row.id }
      : undefined;
  }

  /**
   * The `FROM … WHERE` of the live permanent tokens of the window
   * `(after, until]`, between the positions `from` (excluded) and `to`
   * (included), that have no fault yet for the threshold and their
   * current expiry. The scan walks `api_tokens_expiry_scan_idx`, which
   * holds the live permanent tokens alone, in the order (expires_at, id),
   * with the name and owner on PostgreSQL: temporary tokens are not even
   * read, and no row of the table is.
   */
  private dueTokensSql(options: {
    thresholdDays: number;
    after: Date;
    until: Date;
    from?: TokenPosition;
    to?: TokenPosition;
  }): { sql: string; bindings: Knex.Value[] } {
    const { from, to } = options;
    // PostgreSQL would plan NOT EXISTS as an anti-join, costed from the
    // statistics of the faults table. Those are stale while a run fills it
    // (from none to thousands of rows between two pages), and then it picks
    // a nested loop over every fault for every token: seconds at a million
    // tokens. `asSubquery` keeps it one probe of the ledger's unique index
    // per token whatever the statistics say.
    // Permanent tokens only: a temporary token's name is whatever text any
    // signed-in user chose, and must not reach the admins' email or raise
    // faults by the hundred. Row values, so that a page starts at its
    // position in the index instead of filtering the earlier pages again.
    const sql = `FROM ${TOKENS} AS t
      WHERE ${LIVE_PERMANENT_TOKEN}
        AND t.expires_at > ? AND t.expires_at <= ?
        ${from ? 'AND (t.expires_at, t.id) > (?, ?)' : ''}
        ${to ? 'AND (t.expires_at, t.id) <= (?, ?)' : ''}
        AND NOT EXISTS (SELECT 1 FROM ${FAULTS_TABLE} AS f
          WHERE f.token_id = t.id AND f.threshold_days = ?
            AND f.token_expires_at = t.expires_at AND f.kind = 'expiry'${this.asSubquery()})`;
    return {
      sql,
      bindings: [
        options.after,
        options.until,
        ...(from ? [from.expiresAt, from.id] : []),
        ...(to ? [to.expiresAt, to.id] : []),
        options.thresholdDays,
      ],
    };
  }

  /**
   * What keeps a correlated `EXISTS` a probe per row on PostgreSQL, which
   * would otherwise plan it as an anti-join costed from statistics that a
   * run makes stale. SQLite runs it per row anyway, and takes no OFFSET
   * without a LIMIT.
   */
  private asSubquery(): string {
    return this.db.client.dialect === 'postgresql' ? ' OFFSET 0' : '';
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
      await this.supersedeOlderFaults(tx, raised, raisedAt);
      await this.outbox.enqueue(tx, {
        faults: raised,
        recipients: emailRecipients,
      });
      return raised;
    });
  }

  /**
   * Resolves the open faults raised before `raisedAt` of the tokens of
   * `raised` as superseded. A run raises one fault per token, so "raised
   * before this run" leaves out exactly the faults of `raised`; and on
   * PostgreSQL it bounds the range of the status index that a plan
   * costed from a faults table still empty may walk to the earlier runs'
   * faults, where excluding the new ones by id read every open fault of
   * the run once per page.
   */
  private async supersedeOlderFaults(
    tx: Knex.Transaction,
    raised: StoredFault[],
    raisedAt: Date,
  ): Promise<void> {
    if (raised.length === 0) {
      return;
    }
    await tx<FaultRow>(FAULTS_TABLE)
      .where('status', 'open')
      .where('raised_at', '<', raisedAt)
      .where(
        inBoundList(
          tx,
          'token_id',
          raised.map(fault => fault.tokenId),
        ),
      )
      .update({
        status: 'resolved',
        resolved_at: raisedAt,
        resolution: 'superseded',
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
