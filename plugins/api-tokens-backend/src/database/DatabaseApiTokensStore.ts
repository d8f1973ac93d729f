import { Knex } from 'knex';
import {
  ApiTokenList,
  ApiTokenListOptions,
  ApiTokensStore,
  NewApiToken,
  RotatedApiToken,
  RotationRefusal,
  StoredApiToken,
  StoredTokenClient,
  StoredTokenUsage,
  TokenClientUse,
  StoredApiTokenKind,
} from './ApiTokensStore';
import { inBoundList } from './boundLists';
import { readPageNewestFirst } from './cursor';
import { readDate, readOptionalDate } from './dates';

const TABLE = 'api_tokens';
const CLIENTS_TABLE = 'api_token_clients';
/** When a token was last used, or created if it never was. */
const LAST_ACTIVITY = 'coalesce(last_used_at, created_at)';
const DERIVED_TABLE = 'api_token_derived';
/** The first key of the PostgreSQL advisory lock on a user's temporary tokens. */
const TEMPORARY_CAP_LOCK = 'api_tokens.temporary_cap';

export type ApiTokenRow = {
  id: string;
  name: string;
  kind: StoredApiTokenKind;
  owner_ref: string;
  created_by: string;
  created_at: Date | number;
  expires_at: Date | number;
  last_used_at: Date | number | null;
  revoked_at: Date | number | null;
  revoked_by: string | null;
  digest: string;
  hint: string;
  scope: string | null;
  rotated_from: string | null;
  rotated_to: string | null;
};

type TokenClientRow = {
  token_id: string;
  address: string;
  user_agent: string;
  last_used_at: Date | number;
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
  'rotated_from',
  'rotated_to',
  'scope',
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
    ...(row.rotated_from ? { rotatedFrom: row.rotated_from } : {}),
    ...(row.rotated_to ? { rotatedTo: row.rotated_to } : {}),
    scope: row.scope === null ? null : JSON.parse(row.scope),
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
    const query = this.db(TABLE)
      .select(...METADATA_COLUMNS)
      .where('owner_ref', options.ownerRef)
      .whereNot('kind', 'preview');
    if (options.unusedSince) {
      query.whereRaw(`${LAST_ACTIVITY} <= ?`, [options.unusedSince]);
    }
    return readPageNewestFirst(query, {
      timeColumn: 'created_at',
      limit: options.limit,
      cursor: options.cursor,
      toItem: toStoredApiToken,
    });
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

  async rotateToken(options: {
    id: string;
    successor: NewApiToken;
    overlapEndsAt: Date;
  }): Promise<RotatedApiToken | RotationRefusal | undefined> {
    const { id, successor, overlapEndsAt } = options;
    const rotatedAt = successor.createdAt;
    return this.db.transaction(async tx => {
      const old = await tx(TABLE)
        .where({ id })
        .first(...METADATA_COLUMNS);
      if (!old) {
        return undefined;
      }
      const refusal = rotationRefusal(toStoredApiToken(old), rotatedAt);
      if (refusal) {
        return refusal;
      }
      const current = toStoredApiToken(old);
      const expiresAt =
        current.expiresAt < overlapEndsAt ? current.expiresAt : overlapEndsAt;
      // Checked again in the statement: of two rotations at once, one wins.
      const updated = await tx<ApiTokenRow>(TABLE)
        .where({ id })
        .whereNull('revoked_at')
        .whereNull('rotated_to')
        .andWhere('expires_at', '>', rotatedAt)
        .update({ rotated_to: successor.id, expires_at: expiresAt });
      if (updated === 0) {
        return 'rotated';
      }
      const token = await this.insert(tx, successor, { rotatedFrom: id });
      return {
        token,
        replaced: { ...current, expiresAt, rotatedTo: successor.id },
      };
    });
  }

  async findUnusedTokens(options: {
    unusedSince: Date;
    now: Date;
    limit: number;
  }): Promise<StoredApiToken[]> {
    const rows = await this.db(TABLE)
      .select(...METADATA_COLUMNS)
      .where('kind', 'permanent')
      .whereNull('revoked_at')
      .andWhere('expires_at', '>', options.now)
      .whereRaw(`${LAST_ACTIVITY} <= ?`, [options.unusedSince])
      .orderByRaw(`${LAST_ACTIVITY} asc, id asc`)
      .limit(options.limit);
    return rows.map(toStoredApiToken);
  }

  async recordClientUse(
    use: TokenClientUse,
    options: { minInterval: number; keep: number },
  ): Promise<void> {
    const recentEnough = new Date(use.usedAt.getTime() - options.minInterval);
    await this.db.transaction(async tx => {
      // An address seen within the interval is left as it is, in the same
      // statement, so replicas do not write more often either.
      await tx<TokenClientRow>(CLIENTS_TABLE)
        .insert({
          token_id: use.tokenId,
          address: use.address,
          user_agent: use.userAgent,
          last_used_at: use.usedAt,
        })
        .onConflict(['token_id', 'address'])
        .merge(['user_agent', 'last_used_at'])
        .where(`${CLIENTS_TABLE}.last_used_at`, '<=', recentEnough);
      const kept = tx(CLIENTS_TABLE)
        .select('address')
        .where('token_id', use.tokenId)
        .orderBy([
          { column: 'last_used_at', order: 'desc' },
          { column: 'address', order: 'asc' },
        ])
        .limit(options.keep);
      await tx(CLIENTS_TABLE)
        .where('token_id', use.tokenId)
        .whereNotIn('address', kept)
        .delete();
    });
  }

  async readUsage(tokenIds: string[]): Promise<Map<string, StoredTokenUsage>> {
    // Two queries at once, each with the ids bound as one parameter.
    const [clients, rows] = await Promise.all([
      this.listRecentClients(tokenIds),
      this.db<ApiTokenRow>(TABLE)
        .select('id', 'last_used_at')
        .where(inBoundList(this.db, 'id', tokenIds)),
    ]);
    return new Map(
      rows.map(row => [
        row.id,
        {
          lastUsedAt: readOptionalDate(row.last_used_at),
          recentClients: clients.get(row.id) ?? [],
        },
      ]),
    );
  }

  async listRecentClients(
    tokenIds: string[],
  ): Promise<Map<string, StoredTokenClient[]>> {
    const clients = new Map<string, StoredTokenClient[]>();
    const rows: TokenClientRow[] = await this.db(CLIENTS_TABLE)
      .select('token_id', 'address', 'user_agent', 'last_used_at')
      .where(inBoundList(this.db, 'token_id', tokenIds))
      .orderBy([
        { column: 'last_used_at', order: 'desc' },
        { column: 'address', order: 'asc' },
      ]);
    for (const row of rows) {
      const list = clients.get(row.token_id) ?? [];
      list.push({
        address: row.address,
        userAgent: row.user_agent,
        lastUsedAt: readDate(row.last_used_at),
      });
      clients.set(row.token_id, list);
    }
    return clients;
  }

  async deleteToken(id: string): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(DERIVED_TABLE).where({ token_id: id }).delete();
      // Not a cascade: on PostgreSQL the faults' token is not a foreign key
      // (see the migration 20261203070100_faults_token_key_unchecked).
      await tx('api_token_faults').where({ token_id: id }).delete();
      await tx(TABLE).where({ id }).delete();
    });
  }

  async recordDerivedToken(options: {
    tokenId: string;
    digest: string;
    expiresAt: Date;
  }): Promise<void> {
    await this.db(DERIVED_TABLE)
      .insert({
        digest: options.digest,
        token_id: options.tokenId,
        expires_at: options.expiresAt,
      })
      .onConflict('digest')
      .ignore();
  }

  async findTokenByDerivedDigest(
    digest: string,
  ): Promise<StoredApiToken | undefined> {
    const row = await this.db(TABLE)
      .whereIn(
        'id',
        this.db(DERIVED_TABLE).select('token_id').where({ digest }),
      )
      .first(...METADATA_COLUMNS);
    return row ? toStoredApiToken(row) : undefined;
  }

  async deleteExpiredDerivedTokens(now: Date): Promise<number> {
    return this.db(DERIVED_TABLE).where('expires_at', '<', now).delete();
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

  private async insert(
    db: Knex,
    token: NewApiToken,
    links: { rotatedFrom?: string } = {},
  ): Promise<StoredApiToken> {
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
      rotated_from: links.rotatedFrom ?? null,
      rotated_to: null,
      scope: token.scope === null ? null : JSON.stringify(token.scope),
    });
    const { digest: _digest, ...metadata } = token;
    return { ...metadata, ...links };
  }
}

/** Why a token cannot be rotated at `at`, if it cannot. */
function rotationRefusal(
  token: StoredApiToken,
  at: Date,
): RotationRefusal | undefined {
  if (token.revokedAt) {
    return 'revoked';
  }
  if (token.expiresAt <= at) {
    return 'expired';
  }
  return token.rotatedTo ? 'rotated' : undefined;
}
