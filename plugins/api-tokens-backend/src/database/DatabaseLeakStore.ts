import { ApiTokenRevokedReason } from '@nholuongut/backstage-plugin-api-tokens-common';
import { Knex } from 'knex';
import { chunks } from './chunks';
import {
  ApiTokenRow,
  METADATA_COLUMNS,
  toStoredApiToken,
} from './DatabaseApiTokensStore';
import { DatabaseEmailOutbox } from './DatabaseEmailOutbox';
import { insertNewFaults, LEAK_THRESHOLD_DAYS, newFaultRow } from './faultRows';
import { LeakCandidate, LeakRevocation, LeakStore } from './LeakStore';

const TOKENS = 'api_tokens';
/** Digests per query; well below SQLite's limit on bound parameters. */
const LOOKUP_BATCH = 200;
const LEAK_COLUMNS = [
  ...METADATA_COLUMNS,
  'digest',
  'revoked_reason',
  'leak_url',
] as const;

type LeakRow = ApiTokenRow & {
  revoked_reason: ApiTokenRevokedReason | null;
  leak_url: string | null;
};

function toLeakCandidate(row: LeakRow): LeakCandidate {
  return {
    ...toStoredApiToken(row),
    digest: row.digest,
    revokedReason: row.revoked_reason ?? undefined,
    leakUrl: row.leak_url ?? undefined,
  };
}

/**
 * The Knex implementation of {@link LeakStore}, for SQLite and PostgreSQL.
 * It queues the emails of the faults it raises in `outbox`, in the same
 * transaction.
 *
 * @alpha
 */
export class DatabaseLeakStore implements LeakStore {
  constructor(
    private readonly db: Knex,
    private readonly outbox: DatabaseEmailOutbox,
  ) {}

  async findTokensByDigests(digests: string[]): Promise<LeakCandidate[]> {
    const found: LeakCandidate[] = [];
    for (const batch of chunks([...new Set(digests)], LOOKUP_BATCH)) {
      const rows: LeakRow[] = await this.db(TOKENS)
        .select(...LEAK_COLUMNS)
        .whereIn('digest', batch);
      found.push(...rows.map(toLeakCandidate));
    }
    return found;
  }

  async revokeLeakedToken(options: {
    tokenId: string;
    leakUrl: string;
    revokedBy: string;
    revokedAt: Date;
    emailRecipients: string[];
  }): Promise<LeakRevocation | undefined> {
    const { tokenId, leakUrl, revokedBy, revokedAt } = options;
    return this.db.transaction(async tx => {
      // The conditional update decides which report revokes the token: on
      // PostgreSQL a concurrent one waits for this row and then finds it
      // revoked; SQLite runs one write transaction at a time.
      const updated = await tx<LeakRow>(TOKENS)
        .where('id', tokenId)
        .whereNull('revoked_at')
        .where('expires_at', '>', revokedAt)
        .update({
          revoked_at: revokedAt,
          revoked_by: revokedBy,
          revoked_reason: 'leaked',
          leak_url: leakUrl,
        });
      if (updated === 0) {
        return undefined;
      }
      const row: LeakRow = await tx(TOKENS)
        .where('id', tokenId)
        .first(...LEAK_COLUMNS);
      const token = toLeakCandidate(row);
      const [fault] = await insertNewFaults(tx, [
        newFaultRow(
          {
            tokenId,
            tokenName: token.name,
            ownerRef: token.ownerRef,
            thresholdDays: LEAK_THRESHOLD_DAYS,
            tokenExpiresAt: token.expiresAt,
          },
          { kind: 'leaked', leakUrl, raisedAt: revokedAt },
        ),
      ]);
      // A token is revoked once, so its leak fault is new; the ledger key
      // would skip a second one all the same.
      if (fault) {
        await this.outbox.enqueue(tx, {
          faults: [fault],
          recipients: options.emailRecipients,
        });
      }
      return fault ? { token, fault } : undefined;
    });
  }
}
