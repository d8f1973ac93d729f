import { TestDatabases } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { createHash, randomUUID } from 'node:crypto';
import { NewApiToken } from './ApiTokensStore';
import { DatabaseApiTokensStore } from './DatabaseApiTokensStore';
import { MIGRATIONS_DIRECTORY } from './migrations';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const CREATED_AT = new Date('2026-03-01T10:20:30.456Z');
const DAY = 24 * 60 * 60 * 1000;

function newToken(overrides: Partial<NewApiToken> = {}): NewApiToken {
  const id = randomUUID();
  return {
    id,
    name: `token ${id.slice(0, 8)}`,
    kind: 'permanent',
    scope: null,
    ownerRef: ALICE,
    createdBy: 'user:default/admin',
    createdAt: CREATED_AT,
    expiresAt: new Date(CREATED_AT.getTime() + 365 * DAY),
    digest: createHash('sha256').update(id).digest('hex'),
    hint: id.slice(-4),
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseApiTokensStore on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseApiTokensStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      store = new DatabaseApiTokensStore(knex);
    });

    beforeEach(async () => {
      await knex('api_tokens').delete();
    });

    describe('createToken, getToken and findTokenByDigest', () => {
      it('stores a token and reads back its metadata, never the digest', async () => {
        const input = newToken({ name: 'CI deploys', kind: 'temporary' });
        const { digest, ...metadata } = input;

        const created = await store.createToken(input);
        expect(created).toEqual(metadata);
        expect(created).not.toHaveProperty('digest');

        const byId = await store.getToken(input.id);
        expect(byId).toEqual({
          ...metadata,
          lastUsedAt: undefined,
          revokedAt: undefined,
          revokedBy: undefined,
        });
        expect(byId).not.toHaveProperty('digest');

        const byDigest = await store.findTokenByDigest(digest);
        expect(byDigest).toEqual(byId);
        expect(byDigest).not.toHaveProperty('digest');
      });

      it('answers undefined for unknown ids and digests', async () => {
        await store.createToken(newToken());
        await expect(store.getToken(randomUUID())).resolves.toBeUndefined();
        await expect(
          store.findTokenByDigest('0'.repeat(64)),
        ).resolves.toBeUndefined();
      });

      it('refuses a second token with the same digest', async () => {
        const first = newToken();
        await store.createToken(first);
        await expect(
          store.createToken(newToken({ digest: first.digest })),
        ).rejects.toThrow();
        const [{ n }] = await knex('api_tokens').count({ n: '*' });
        expect(Number(n)).toBe(1);
      });

      it('refuses a second token with the same id', async () => {
        const first = newToken();
        await store.createToken(first);
        await expect(
          store.createToken(newToken({ id: first.id })),
        ).rejects.toThrow();
      });

      it('round-trips every date as a Date with millisecond precision', async () => {
        const input = newToken({
          createdAt: new Date('2026-01-02T03:04:05.678Z'),
          expiresAt: new Date('2099-12-31T23:59:59.999Z'),
        });
        await store.createToken(input);
        const usedAt = new Date('2026-01-03T00:00:00.001Z');
        await store.recordUse({ id: input.id, usedAt, minInterval: 60_000 });
        const revokedAt = new Date('2026-01-04T12:34:56.789Z');
        await store.revokeToken({ id: input.id, revokedBy: BOB, revokedAt });

        const read = await store.getToken(input.id);
        for (const [field, expected] of [
          ['createdAt', input.createdAt],
          ['expiresAt', input.expiresAt],
          ['lastUsedAt', usedAt],
          ['revokedAt', revokedAt],
        ] as const) {
          const value = read?.[field];
          expect(value).toBeInstanceOf(Date);
          expect((value as Date).toISOString()).toBe(expected.toISOString());
        }

        const [listed] = (await store.listTokens({ ownerRef: ALICE, limit: 5 }))
          .items;
        expect(listed).toEqual(read);
        expect(listed.expiresAt).toBeInstanceOf(Date);
      });
    });

    describe('listTokens', () => {
      /** Creates tokens for Alice, several sharing each creation time. */
      async function createManyTokens(count: number) {
        const tokens = Array.from({ length: count }, (_, i) =>
          newToken({
            name: `token ${i}`,
            // Three tokens per millisecond, so paging must break ties by id.
            createdAt: new Date(CREATED_AT.getTime() + Math.floor(i / 3)),
            kind: i % 2 ? 'temporary' : 'permanent',
          }),
        );
        for (let i = 0; i < tokens.length; i += 50) {
          await knex('api_tokens').insert(
            tokens.slice(i, i + 50).map(token => ({
              id: token.id,
              name: token.name,
              kind: token.kind,
              owner_ref: token.ownerRef,
              created_by: token.createdBy,
              created_at: token.createdAt,
              expires_at: token.expiresAt,
              digest: token.digest,
              hint: token.hint,
            })),
          );
        }
        return tokens;
      }

      function newestFirst(a: NewApiToken, b: NewApiToken) {
        const byTime = b.createdAt.getTime() - a.createdAt.getTime();
        if (byTime !== 0) {
          return byTime;
        }
        if (a.id === b.id) {
          return 0;
        }
        return a.id < b.id ? 1 : -1;
      }

      it.each([1, 7, 50, 100, 249, 250, 1000])(
        'pages through 250 tokens with limit %d: newest first, none missing or repeated',
        async limit => {
          const tokens = await createManyTokens(250);
          // Other owners' tokens, created in between, never show up.
          for (let i = 0; i < 5; i++) {
            await store.createToken(
              newToken({
                ownerRef: BOB,
                createdAt: new Date(CREATED_AT.getTime() + i * 20),
              }),
            );
          }

          const seen: string[] = [];
          let cursor: string | undefined;
          let pages = 0;
          do {
            const page = await store.listTokens({
              ownerRef: ALICE,
              limit,
              cursor,
            });
            pages++;
            expect(page.items.length).toBeLessThanOrEqual(limit);
            expect(page.items.length).toBeGreaterThan(0);
            for (const item of page.items) {
              expect(item.ownerRef).toBe(ALICE);
              expect(item).not.toHaveProperty('digest');
            }
            seen.push(...page.items.map(item => item.id));
            cursor = page.nextCursor;
          } while (cursor && pages < 1000);

          expect(pages).toBe(Math.ceil(250 / limit));
          expect(new Set(seen).size).toBe(seen.length);
          expect(seen).toEqual([...tokens].sort(newestFirst).map(t => t.id));
        },
      );

      it('gives no cursor when everything fits, and an empty list for a user without tokens', async () => {
        await createManyTokens(3);
        await expect(
          store.listTokens({ ownerRef: ALICE, limit: 3 }),
        ).resolves.toEqual({ items: expect.any(Array) });
        expect(
          (await store.listTokens({ ownerRef: ALICE, limit: 3 })).nextCursor,
        ).toBeUndefined();
        await expect(
          store.listTokens({ ownerRef: 'user:default/nobody', limit: 10 }),
        ).resolves.toEqual({ items: [] });
      });

      it('lists tokens in every state', async () => {
        const active = newToken({
          createdAt: new Date(CREATED_AT.getTime() + 2),
        });
        const revoked = newToken({
          createdAt: new Date(CREATED_AT.getTime() + 1),
        });
        const expired = newToken({
          createdAt: new Date(CREATED_AT.getTime() - 2 * DAY),
          expiresAt: new Date(CREATED_AT.getTime() - DAY),
        });
        for (const token of [active, revoked, expired]) {
          await store.createToken(token);
        }
        await store.revokeToken({
          id: revoked.id,
          revokedBy: ALICE,
          revokedAt: CREATED_AT,
        });
        const { items } = await store.listTokens({
          ownerRef: ALICE,
          limit: 10,
        });
        expect(items.map(item => item.id)).toEqual([
          active.id,
          revoked.id,
          expired.id,
        ]);
      });

      it('refuses a cursor it did not make', async () => {
        await expect(
          store.listTokens({ ownerRef: ALICE, limit: 10, cursor: 'garbage' }),
        ).rejects.toThrow(InputError);
        await expect(
          store.listTokens({
            ownerRef: ALICE,
            limit: 10,
            cursor: Buffer.from("1:x' OR 1=1 --").toString('base64url'),
          }),
        ).rejects.toThrow(InputError);
      });
    });

    describe('revokeToken', () => {
      it('revokes once and keeps the first revocation', async () => {
        const input = newToken();
        await store.createToken(input);
        const firstAt = new Date(CREATED_AT.getTime() + 1000);

        const first = await store.revokeToken({
          id: input.id,
          revokedBy: ALICE,
          revokedAt: firstAt,
        });
        expect(first?.revokedAt?.toISOString()).toBe(firstAt.toISOString());
        expect(first?.revokedBy).toBe(ALICE);

        const second = await store.revokeToken({
          id: input.id,
          revokedBy: BOB,
          revokedAt: new Date(firstAt.getTime() + 5000),
        });
        expect(second?.revokedAt?.toISOString()).toBe(firstAt.toISOString());
        expect(second?.revokedBy).toBe(ALICE);
        expect(await store.getToken(input.id)).toEqual(second);
      });

      it('answers undefined for an unknown token and leaves others alone', async () => {
        const other = newToken();
        await store.createToken(other);
        await expect(
          store.revokeToken({
            id: randomUUID(),
            revokedBy: ALICE,
            revokedAt: CREATED_AT,
          }),
        ).resolves.toBeUndefined();
        expect((await store.getToken(other.id))?.revokedAt).toBeUndefined();
      });
    });

    describe('recordUse', () => {
      it('records a use at most once per interval', async () => {
        const input = newToken();
        const untouched = newToken();
        await store.createToken(input);
        await store.createToken(untouched);
        const lastUsed = async () =>
          (await store.getToken(input.id))?.lastUsedAt?.toISOString();
        const at = (ms: number) => new Date(CREATED_AT.getTime() + ms);
        const minInterval = 60_000;

        await store.recordUse({ id: input.id, usedAt: at(0), minInterval });
        expect(await lastUsed()).toBe(at(0).toISOString());

        await store.recordUse({ id: input.id, usedAt: at(1), minInterval });
        await store.recordUse({
          id: input.id,
          usedAt: at(59_999),
          minInterval,
        });
        expect(await lastUsed()).toBe(at(0).toISOString());

        await store.recordUse({
          id: input.id,
          usedAt: at(60_000),
          minInterval,
        });
        expect(await lastUsed()).toBe(at(60_000).toISOString());

        await store.recordUse({
          id: input.id,
          usedAt: at(90_000),
          minInterval,
        });
        expect(await lastUsed()).toBe(at(60_000).toISOString());

        await store.recordUse({
          id: input.id,
          usedAt: at(500_000),
          minInterval,
        });
        expect(await lastUsed()).toBe(at(500_000).toISOString());

        expect(
          (await store.getToken(untouched.id))?.lastUsedAt,
        ).toBeUndefined();
      });

      it('ignores unknown tokens', async () => {
        await expect(
          store.recordUse({
            id: randomUUID(),
            usedAt: CREATED_AT,
            minInterval: 60_000,
          }),
        ).resolves.toBeUndefined();
      });
    });

    describe('readUsage', () => {
      it('reads the use and clients of more tokens than SQLite binds parameters, in one query each', async () => {
        const used = newToken();
        const unused = newToken();
        await store.createToken(used);
        await store.createToken(unused);
        const usedAt = new Date(CREATED_AT.getTime() + DAY);
        await store.recordUse({ id: used.id, usedAt, minInterval: 0 });
        await store.recordClientUse(
          { tokenId: used.id, address: '192.0.2.7', userAgent: 'ci', usedAt },
          { minInterval: 0, keep: 3 },
        );
        // Ids of no token, past SQLite's 32,766 bound parameters.
        const ids = [
          ...Array.from({ length: 40_000 }, () => randomUUID()),
          used.id,
          unused.id,
        ];
        const statements: string[] = [];
        const capture = (q: { sql: string }) => statements.push(q.sql);
        knex.on('query', capture);
        const usage = await store.readUsage(ids);
        knex.off('query', capture);

        expect(statements).toHaveLength(2);
        expect([...usage.keys()].sort()).toEqual([used.id, unused.id].sort());
        expect(usage.get(used.id)).toEqual({
          lastUsedAt: usedAt,
          recentClients: [
            { address: '192.0.2.7', userAgent: 'ci', lastUsedAt: usedAt },
          ],
        });
        expect(usage.get(unused.id)).toEqual({
          lastUsedAt: undefined,
          recentClients: [],
        });
      });
    });

    describe('scopes and previews', () => {
      it('keeps a scope as given, and null for none', async () => {
        const scope = {
          plugins: ['catalog', 'search'],
          permissions: ['catalog.entity.read'],
          readOnly: true,
        };
        const scoped = newToken({ scope });
        await store.createToken(scoped);
        await store.createToken(newToken());
        expect((await store.getToken(scoped.id))?.scope).toEqual(scope);
        const { items } = await store.listTokens({
          ownerRef: ALICE,
          limit: 10,
        });
        expect(items.map(token => token.scope)).toHaveLength(2);
        expect(items.map(token => token.scope)).toEqual(
          expect.arrayContaining([null, scope]),
        );
      });

      it('never lists previews, and deletes them with their records', async () => {
        const preview = newToken({ kind: 'preview' });
        await store.createToken(preview);
        await store.recordDerivedToken({
          tokenId: preview.id,
          digest: 'a'.repeat(64),
          expiresAt: CREATED_AT,
        });
        expect(
          (await store.listTokens({ ownerRef: ALICE, limit: 10 })).items,
        ).toEqual([]);
        expect(await store.findTokenByDigest(preview.digest)).toBeDefined();

        await store.deleteToken(preview.id);
        expect(await store.getToken(preview.id)).toBeUndefined();
        expect(
          Number((await knex('api_token_derived').count({ n: '*' }))[0].n),
        ).toBe(0);
      });
    });

    describe('exchanged tokens', () => {
      it('finds the API token a user token was exchanged for, by digest', async () => {
        const token = newToken();
        await store.createToken(token);
        const record = {
          tokenId: token.id,
          digest: 'b'.repeat(64),
          expiresAt: new Date(CREATED_AT.getTime() + DAY),
        };
        await store.recordDerivedToken(record);
        // Recording twice (a retried exchange) changes nothing.
        await store.recordDerivedToken(record);

        expect(await store.findTokenByDerivedDigest(record.digest)).toEqual(
          await store.getToken(token.id),
        );
        expect(
          await store.findTokenByDerivedDigest('c'.repeat(64)),
        ).toBeUndefined();
      });

      it('deletes the records of expired user tokens only', async () => {
        const token = newToken();
        await store.createToken(token);
        const at = (hours: number) =>
          new Date(CREATED_AT.getTime() + hours * 60 * 60 * 1000);
        await store.recordDerivedToken({
          tokenId: token.id,
          digest: 'd'.repeat(64),
          expiresAt: at(1),
        });
        await store.recordDerivedToken({
          tokenId: token.id,
          digest: 'e'.repeat(64),
          expiresAt: at(3),
        });

        await expect(store.deleteExpiredDerivedTokens(at(2))).resolves.toBe(1);
        expect(
          await store.findTokenByDerivedDigest('d'.repeat(64)),
        ).toBeUndefined();
        expect(await store.findTokenByDerivedDigest('e'.repeat(64))).toEqual(
          await store.getToken(token.id),
        );
      });
    });
  },
);
