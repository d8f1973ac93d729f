import { TestDatabases } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { createHash, randomUUID } from 'node:crypto';
import { NewApiToken, StoredApiToken } from './ApiTokensStore';
import { explainPlans } from '../__testUtils__/explainPlans';
import { DatabaseApiTokensStore } from './DatabaseApiTokensStore';
import { DatabaseTokenInventory } from './DatabaseTokenInventory';
import { MIGRATIONS_DIRECTORY } from './migrations';
import { InventoryQuery, InventorySortKey } from './TokenInventory';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const ADMIN = 'user:default/admin';
const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

function newToken(overrides: Partial<NewApiToken> = {}): NewApiToken {
  const id = randomUUID();
  return {
    id,
    name: `token ${id.slice(0, 8)}`,
    kind: 'permanent',
    scope: null,
    ownerRef: ALICE,
    createdBy: ADMIN,
    createdAt: at(-10),
    expiresAt: at(100),
    digest: createHash('sha256').update(id).digest('hex'),
    hint: id.slice(-4),
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseTokenInventory on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseApiTokensStore;
    let inventory: DatabaseTokenInventory;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      store = new DatabaseApiTokensStore(knex);
      inventory = new DatabaseTokenInventory(knex);
    });

    beforeEach(async () => {
      await knex('api_tokens').delete();
    });

    const list = (query: Partial<InventoryQuery> = {}) =>
      inventory.listInventory({
        now: NOW,
        sort: 'createdAt',
        order: 'desc',
        limit: 100,
        ...query,
      });
    const names = (tokens: StoredApiToken[]) => tokens.map(t => t.name).sort();

    /** Every page of a query, following nextCursor. */
    async function allPages(query: Partial<InventoryQuery>) {
      const seen: StoredApiToken[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await list({ ...query, cursor });
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      return { seen, pages };
    }

    async function seedStates() {
      await store.createToken(newToken({ name: 'live', expiresAt: at(5) }));
      await store.createToken(newToken({ name: 'old', expiresAt: at(-1) }));
      const revoked = newToken({ name: 'gone', ownerRef: BOB });
      await store.createToken(revoked);
      await store.revokeToken({
        id: revoked.id,
        revokedBy: ADMIN,
        revokedAt: at(-2),
      });
      const used = newToken({
        name: 'Deploy_Prod 100%',
        kind: 'temporary',
        ownerRef: BOB,
        createdBy: BOB,
        expiresAt: at(60),
      });
      await store.createToken(used);
      await store.recordUse({ id: used.id, usedAt: at(-3), minInterval: 0 });
    }

    it('never lists or counts scope previews', async () => {
      await store.createToken(newToken({ name: 'real' }));
      await store.createToken(newToken({ name: 'preview', kind: 'preview' }));
      expect(names((await list()).items)).toEqual(['real']);
      const summary = await inventory.summarizeInventory({
        now: NOW,
        expiringBefore: at(200),
        revokedSince: at(-30),
      });
      expect(summary).toMatchObject({ active: 1, neverUsed: 1 });
    });

    it('filters by state, several meaning any of them', async () => {
      await seedStates();
      expect(names((await list({ states: ['active'] })).items)).toEqual([
        'Deploy_Prod 100%',
        'live',
      ]);
      expect(names((await list({ states: ['expired'] })).items)).toEqual([
        'old',
      ]);
      expect(
        names((await list({ states: ['revoked', 'expired'] })).items),
      ).toEqual(['gone', 'old']);
      expect((await list()).items).toHaveLength(4);
    });

    it('filters by kind, owner, creator and a case-insensitive part of the name', async () => {
      await seedStates();
      expect(names((await list({ kind: 'temporary' })).items)).toEqual([
        'Deploy_Prod 100%',
      ]);
      expect(names((await list({ ownerRef: BOB })).items)).toEqual([
        'Deploy_Prod 100%',
        'gone',
      ]);
      expect(names((await list({ createdBy: BOB })).items)).toEqual([
        'Deploy_Prod 100%',
      ]);
      expect(names((await list({ nameContains: 'PROD' })).items)).toEqual([
        'Deploy_Prod 100%',
      ]);
      // LIKE wildcards in the search match themselves.
      expect(names((await list({ nameContains: '_' })).items)).toEqual([
        'Deploy_Prod 100%',
      ]);
      expect(names((await list({ nameContains: '0%' })).items)).toEqual([
        'Deploy_Prod 100%',
      ]);
      expect((await list({ nameContains: 'l%e' })).items).toEqual([]);
    });

    it('filters by expiry, use and revocation time', async () => {
      await seedStates();
      expect(
        names((await list({ expiresAfter: NOW, expiresBefore: at(30) })).items),
      ).toEqual(['live']);
      expect(
        names((await list({ unusedSince: at(-3), states: ['active'] })).items),
      ).toEqual(['live']);
      expect(names((await list({ unusedSince: at(-2) })).items)).toEqual([
        'Deploy_Prod 100%',
        'gone',
        'live',
        'old',
      ]);
      expect(names((await list({ neverUsed: true })).items)).toEqual([
        'gone',
        'live',
        'old',
      ]);
      expect(names((await list({ revokedSince: at(-5) })).items)).toEqual([
        'gone',
      ]);
      expect((await list({ revokedSince: at(-1) })).items).toEqual([]);
    });

    describe.each<[InventorySortKey, 'asc' | 'desc']>([
      ['createdAt', 'desc'],
      ['createdAt', 'asc'],
      ['expiresAt', 'asc'],
      ['expiresAt', 'desc'],
      ['lastUsedAt', 'asc'],
      ['lastUsedAt', 'desc'],
      ['name', 'asc'],
      ['name', 'desc'],
    ])('sorted by %s %s', (sort, order) => {
      it('pages through every token once, in order, with ties broken by id', async () => {
        // Ties on every column, and tokens never used among used ones.
        for (let i = 0; i < 23; i++) {
          const token = newToken({
            name: `t${i % 4}`,
            createdAt: at(-(i % 3)),
            expiresAt: at(10 + (i % 5)),
          });
          await store.createToken(token);
          if (i % 3 !== 0) {
            await store.recordUse({
              id: token.id,
              usedAt: at(-(i % 2)),
              minInterval: 0,
            });
          }
        }
        const { seen, pages } = await allPages({ sort, order, limit: 5 });
        expect(pages).toBe(5);
        expect(new Set(seen.map(t => t.id)).size).toBe(23);

        const key = (t: StoredApiToken): string | number => {
          if (sort === 'name') return t.name;
          if (sort === 'lastUsedAt') return t.lastUsedAt?.getTime() ?? -1;
          return t[sort].getTime();
        };
        const expected = [...seen].sort((a, b) => {
          const [ka, kb] = [key(a), key(b)];
          let c = 0;
          if (ka !== kb) c = ka < kb ? -1 : 1;
          else c = a.id < b.id ? -1 : 1;
          return order === 'asc' ? c : -c;
        });
        expect(seen.map(t => t.id)).toEqual(expected.map(t => t.id));
      });
    });

    it('refuses a cursor from another sort or order, naming the cursor', async () => {
      for (let i = 0; i < 3; i++) {
        await store.createToken(newToken());
      }
      const { nextCursor } = await list({ sort: 'expiresAt', limit: 1 });
      expect(nextCursor).toBeDefined();
      await expect(
        list({ sort: 'name', order: 'asc', cursor: nextCursor }),
      ).rejects.toThrow(
        new InputError(
          'cursor is from a list sorted by expiresAt desc, not name asc; start again without a cursor',
        ),
      );
      await expect(
        list({ sort: 'expiresAt', order: 'asc', cursor: nextCursor }),
      ).rejects.toThrow(InputError);
      await expect(list({ cursor: 'bm9wZQ' })).rejects.toThrow(
        'cursor is not one this API returned',
      );
    });

    it('summarizes active, expiring, never used and recently revoked tokens in one query', async () => {
      await seedStates();
      await store.createToken(newToken({ name: 'far', expiresAt: at(200) }));
      const queries: string[] = [];
      const onQuery = (q: { sql: string }) => queries.push(q.sql);
      knex.on('query', onQuery);
      const summary = await inventory.summarizeInventory({
        now: NOW,
        expiringBefore: at(30),
        revokedSince: at(-30),
      });
      knex.off('query', onQuery);
      expect(queries).toHaveLength(1);
      expect(summary).toEqual({
        active: 3,
        expiringSoon: 1,
        neverUsed: 2,
        recentlyRevoked: 1,
      });
      await knex('api_tokens').delete();
      expect(
        await inventory.summarizeInventory({
          now: NOW,
          expiringBefore: at(30),
          revokedSince: at(-30),
        }),
      ).toEqual({
        active: 0,
        expiringSoon: 0,
        neverUsed: 0,
        recentlyRevoked: 0,
      });
    });

    if (databaseId.startsWith('POSTGRES')) {
      it('serves every sort from an index, from the start and from a cursor', async () => {
        // Enough rows that a sequential scan and sort would cost more.
        await knex.raw(
          `INSERT INTO api_tokens (id, name, kind, owner_ref, created_by, created_at, expires_at, last_used_at, digest, hint)
           SELECT md5(g::text)::uuid::text, 'token ' || g, 'permanent', 'user:default/u' || (g % 50), ?,
                  ?::timestamptz - (g || ' seconds')::interval, ?::timestamptz + (g || ' seconds')::interval,
                  CASE WHEN g % 3 = 0 THEN NULL ELSE ?::timestamptz - (g || ' seconds')::interval END,
                  md5(g::text) || md5(g::text), 'abcd'
           FROM generate_series(1, 20000) g`,
          [ADMIN, NOW, NOW, NOW],
        );
        await knex.raw('ANALYZE api_tokens');
        for (const sort of [
          'createdAt',
          'expiresAt',
          'lastUsedAt',
          'name',
        ] as const) {
          for (const order of ['asc', 'desc'] as const) {
            const first = await list({ sort, order, limit: 100 });
            const query = {
              now: NOW,
              sort,
              order,
              limit: 100,
              cursor: first.nextCursor,
            };
            for (const cursor of [undefined, first.nextCursor]) {
              const [text] = await explainPlans(knex, () =>
                list({ ...query, cursor }),
              );
              expect({ sort, order, cursor: !!cursor, plan: text }).toEqual({
                sort,
                order,
                cursor: !!cursor,
                plan: expect.stringMatching(/Index Scan/),
              });
              expect(text).not.toMatch(/Sort|Seq Scan/);
            }
          }
        }
      });
    }
  },
);
