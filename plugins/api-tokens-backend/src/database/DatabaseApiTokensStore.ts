import { ApiTokenKind } from '@internal/plugin-api-tokens-common';
import { Knex } from 'knex';
import {
  ApiTokenList,
  ApiTokenListOptions,
  ApiTokensStore,
  NewApiToken,
  StoredApiToken,
} from './ApiTokensStore';
import { readPageNewestFirst } from './cursor';
import { readDate, readOptionalDate } from './dates';

const TABLE = 'api_tokens';
/** The first key of the PostgreSQL advisory lock on a user's temporary tokens. */
const TEMPORARY_CAP_LOCK = 'api_tokens.temporary_cap';

export type ApiTokenRow = {
  id: string;
  name: string;
  kind: ApiTokenKind;
  owner_ref: string;
  created_by: string;
  created_at: Date | number;
  expires_at: Date | number;
  last_used_at: Date | number | null;
  revoked_at: Date | number | null;
  revoked_by: string | null;
  digest: string;
  hint: string;
};

export const METADATA_COLUMNS = [
  'id',
  'name',
  'kind',
  'owner_ref',
  'created_by',
  'created_at',
  'expires_at',
  'last_used_at',
  'revoked_at',
  'revoked_by',
  'hint',
] as const;

export function toStoredApiToken(
  row: Omit<ApiTokenRow, 'digest'>,
): StoredApiToken {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    ownerRef: row.owner_ref,
    createdBy: row.created_by,
    createdAt: readDate(row.created_at),
    expiresAt: readDate(row.expires_at),
    lastUsedAt: readOptionalDate(row.last_used_at),
    revokedAt: readOptionalDate(row.revoked_at),
    revokedBy: row.revoked_by ?? undefined,
    hint: row.hint,
  };
}

/**
 * The Knex implementation of {@link ApiTokensStore}, for SQLite and
 * PostgreSQL. Every time is computed in JavaScript and bound as a parameter.
 *
 * @alpha
 */
export class DatabaseApiTokensStore implements ApiTokensStore {
  constructor(private readonly db: Knex) {}

  async createToken(token: NewApiToken): Promise<StoredApiToken> {
    return this.insert(this.db, token);
  }

  async createTemporaryToken(
    token: NewApiToken,
    options: { maxActive: number },
  ): Promise<{ token: StoredApiToken; revoked: StoredApiToken[] }> {
    return this.db.transaction(async tx => {
      if (tx.client.config.client === 'pg') {
        // Row locks cannot stop two transactions from each adding a token
        // the other does not see yet; a lock per owner, held until commit,
        // makes them take turns. SQLite runs one write transaction at a time.
        await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?), hashtext(?))', [
          TEMPORARY_CAP_LOCK,
          token.ownerRef,
        ]);
      }
      const active: Array<Omit<ApiTokenRow, 'digest'>> = await tx(TABLE)
        .select(...METADATA_COLUMNS)
        .where({ owner_ref: token.ownerRef, kind: 'temporary' })
        .whereNull('revoked_at')
        .andWhere('expires_at', '>', token.createdAt)
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ]);
      const oldest = active.slice(Math.max(options.maxActive - 1, 0));
      if (oldest.length > 0) {
        await tx<ApiTokenRow>(TABLE)
          .whereIn(
            'id',
            oldest.map(row => row.id),
          )
          .update({ revoked_at: token.createdAt, revoked_by: token.ownerRef });
      }
      return {
        token: await this.insert(tx, token),
        revoked: oldest.map(row => ({
          ...toStoredApiToken(row),
          revokedAt: token.createdAt,
          revokedBy: token.ownerRef,
        })),
      };
    });
  }

  async getToken(id: string): Promise<StoredApiToken | undefined> {
    const row = await this.db(TABLE)
      .where({ id })
      .first(...METADATA_COLUMNS);
    return row ? toStoredApiToken(row) : undefined;
  }

  async findTokenByDigest(digest: string): Promise<StoredApiToken | undefined> {
    const row = await this.db(TABLE)
      .where({ digest })
      .first(...METADATA_COLUMNS);
    return row ? toStoredApiToken(row) : undefined;
  }

  async listTokens(options: ApiTokenListOptions): Promise<ApiTokenList> {
    return readPageNewestFirst(
      this.db(TABLE)
        .select(...METADATA_COLUMNS)
        .where('owner_ref', options.ownerRef),
      {
        timeColumn: 'created_at',
        limit: options.limit,
        cursor: options.cursor,
        toItem: toStoredApiToken,
      },
    );
  }

  async revokeToken(options: {
    id: string;
    revokedBy: string;
    revokedAt: Date;
  }): Promise<StoredApiToken | undefined> {
    await this.db<ApiTokenRow>(TABLE)
      .where({ id: options.id })
      .whereNull('revoked_at')
      .update({ revoked_at: options.revokedAt, revoked_by: options.revokedBy });
    return this.getToken(options.id);
  }

  async recordUse(options: {
    id: string;
    usedAt: Date;
    minInterval: number;
  }): Promise<void> {
    const recentEnough = new Date(
      options.usedAt.getTime() - options.minInterval,
    );
    await this.db<ApiTokenRow>(TABLE)
      .where({ id: options.id })
      .andWhere(inner =>
        inner
          .whereNull('last_used_at')
          .orWhere('last_used_at', '<=', recentEnough),
      )
      .update({ last_used_at: options.usedAt });
  }

  private async insert(db: Knex, token: NewApiToken): Promise<StoredApiToken> {
    await db<ApiTokenRow>(TABLE).insert({
      id: token.id,
      name: token.name,
      kind: token.kind,
      owner_ref: token.ownerRef,
      created_by: token.createdBy,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
      last_used_at: null,
      revoked_at: null,
      revoked_by: null,
      digest: token.digest,
      hint: token.hint,
    });
    const { digest: _digest, ...metadata } = token;
    return { ...metadata };
  }
}
