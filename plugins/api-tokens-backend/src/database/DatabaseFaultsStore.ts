import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { pageNewestFirst, toPage } from './cursor';
import { readDate, readOptionalDate } from './dates';
import {
  DueToken,
  FaultListOptions,
  FaultsStore,
  PendingEmail,
  StoredFault,
} from './FaultsStore';

const TOKENS = 'api_tokens';
const FAULTS = 'api_token_faults';
const EMAILS = 'api_token_fault_emails';
// Rows per INSERT; well below SQLite's limit on bound parameters.
const INSERT_BATCH = 200;

type FaultRow = {
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

type EmailRow = {
  fault_id: string;
  address: string;
  delivered_at: Date | number | null;
  attempts: number;
  last_error: string | null;
  lease_id: string | null;
  lease_until: Date | number | null;
};

function toStoredFault(row: FaultRow): StoredFault {
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

function chunks<T>(items: T[], size: number): T[][] {
  const result = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

/**
 * The Knex implementation of {@link FaultsStore}, for SQLite and
 * PostgreSQL. Every time is computed in JavaScript and bound as a parameter.
 *
 * @internal
 */
export class DatabaseFaultsStore implements FaultsStore {
  constructor(private readonly db: Knex) {}

  async resolveFaults(now: Date): Promise<number> {
    const resolveWhere = async (
      resolution: 'revoked' | 'expired',
      condition: (tokens: Knex.QueryBuilder) => Knex.QueryBuilder,
    ) =>
      this.db<FaultRow>(FAULTS)
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
    const renewed = await this.db<FaultRow>(FAULTS)
      .where('status', 'open')
      .whereExists(
        this.db(`${TOKENS} as t`)
          .select(this.db.raw('1'))
          .whereRaw(`t.id = ${FAULTS}.token_id`)
          .whereRaw(`t.expires_at <> ${FAULTS}.token_expires_at`),
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
        `NOT EXISTS (SELECT 1 FROM ${FAULTS} AS f WHERE f.token_id = t.id AND f.threshold_days = ? AND f.token_expires_at = t.expires_at${asSubquery})`,
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
        const inserted: Array<{ id: string }> = await tx<FaultRow>(FAULTS)
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
        await tx<FaultRow>(FAULTS)
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
      const emails = raised.flatMap(fault =>
        emailRecipients.map(address => ({
          fault_id: fault.id,
          address,
          delivered_at: null,
          attempts: 0,
          last_error: null,
          lease_id: null,
          lease_until: null,
        })),
      );
      for (const batch of chunks(emails, INSERT_BATCH)) {
        await tx<EmailRow>(EMAILS).insert(batch);
      }
      return raised;
    });
  }

  async listFaults(
    options: FaultListOptions,
  ): Promise<{ items: StoredFault[]; nextCursor?: string }> {
    const query = this.db<FaultRow>(FAULTS).select();
    if (options.status) {
      query.where('status', options.status);
    }
    if (options.ownerRef) {
      query.where('owner_ref', options.ownerRef);
    }
    pageNewestFirst(query, { timeColumn: 'raised_at', ...options });
    return toPage(await query, {
      limit: options.limit,
      toItem: toStoredFault,
      timeOf: fault => fault.raisedAt,
    });
  }

  async listUnnotifiedFaults(options: {
    maxAttempts: number;
    limit: number;
  }): Promise<StoredFault[]> {
    const rows = await this.db<FaultRow>(FAULTS)
      .select()
      .where('status', 'open')
      .whereNull('notified_at')
      .where('notify_attempts', '<', options.maxAttempts)
      .orderBy('raised_at')
      .limit(options.limit);
    return rows.map(toStoredFault);
  }

  async claimNotifications(options: {
    faultIds: string[];
    notifiedAt: Date;
    maxAttempts: number;
  }): Promise<string[]> {
    if (options.faultIds.length === 0) {
      return [];
    }
    const claimed: Array<{ id: string }> = await this.db<FaultRow>(FAULTS)
      .whereIn('id', options.faultIds)
      .whereNull('notified_at')
      .where('notify_attempts', '<', options.maxAttempts)
      .update({
        notified_at: options.notifiedAt,
        notify_attempts: this.db.raw('notify_attempts + 1'),
      })
      .returning('id');
    return claimed.map(row => row.id);
  }

  async releaseNotifications(options: {
    faultIds: string[];
    attempted: boolean;
  }): Promise<void> {
    if (options.faultIds.length === 0) {
      return;
    }
    await this.db<FaultRow>(FAULTS)
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

  async claimPendingEmails(options: {
    leaseId: string;
    now: Date;
    leaseUntil: Date;
  }): Promise<PendingEmail[]> {
    await this.db<EmailRow>(EMAILS)
      .whereNull('delivered_at')
      .where(lease =>
        lease.whereNull('lease_until').orWhere('lease_until', '<', options.now),
      )
      .whereIn('fault_id', this.db(FAULTS).select('id').where('status', 'open'))
      .update({ lease_id: options.leaseId, lease_until: options.leaseUntil });

    const rows = await this.db(`${EMAILS} as e`)
      .join(`${FAULTS} as f`, 'f.id', 'e.fault_id')
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

  async recordEmailDelivered(options: {
    leaseId: string;
    address: string;
    deliveredAt: Date;
  }): Promise<void> {
    await this.db<EmailRow>(EMAILS)
      .where({ lease_id: options.leaseId, address: options.address })
      .update({
        delivered_at: options.deliveredAt,
        attempts: this.db.raw('attempts + 1'),
        last_error: null,
        lease_id: null,
        lease_until: null,
      });
  }

  async recordEmailFailed(options: {
    leaseId: string;
    address: string;
    error: string;
  }): Promise<void> {
    await this.db<EmailRow>(EMAILS)
      .where({ lease_id: options.leaseId, address: options.address })
      .update({
        attempts: this.db.raw('attempts + 1'),
        last_error: options.error.slice(0, 1000),
        lease_id: null,
        lease_until: null,
      });
  }
}
