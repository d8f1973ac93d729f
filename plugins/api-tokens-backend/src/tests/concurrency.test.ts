import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ApiToken,
  CreatedApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { Knex } from 'knex';
import request from 'supertest';
import { auditEvents, LogLine } from '../__testUtils__/recording';
import {
  ALICE,
  BASE,
  BOB,
  CAROL,
  FullStackBackend,
  headers,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const CONCURRENCY = 100;

describe.each(databases.eachSupportedId())(
  'concurrent requests on %s',
  databaseId => {
    let url: string;
    let logs: LogLine[];
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ url, logs } = await startApiTokensBackend({
        knex,
        // Every token made here must stay usable; the cap on a user's
        // temporary tokens has tests of its own (TokenService.test.ts).
        config: {
          apiTokens: {
            temporaryTokens: { maxActivePerUser: 2 * CONCURRENCY },
          },
        },
      }));
    });

    const createTemporary = () =>
      request(url)
        .post(`${BASE}/v1/tokens/temporary`)
        .set(headers.user(BOB))
        .send({ name: 'parallel' });

    const createPermanent = (i: number) =>
      request(url)
        .post(`${BASE}/v1/users/${encodeURIComponent(CAROL)}/tokens`)
        .set(headers.user(ALICE))
        .send({ name: `parallel ${i}` });

    /** Every token of a user, page by page. */
    async function listAll(userRef: string, limit: number) {
      const items: ApiToken[] = [];
      let cursor: string | undefined;
      do {
        const res = await request(url)
          .get(`${BASE}/v1/tokens`)
          .query({ limit, ...(cursor ? { cursor } : {}) })
          .set(headers.user(userRef));
        expect(res.status).toBe(200);
        items.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor);
      return items;
    }

    it(`gives ${CONCURRENCY} concurrent creations of each kind ${CONCURRENCY} distinct, listed, working tokens`, async () => {
      const responses = await Promise.all([
        ...Array.from({ length: CONCURRENCY }, createTemporary),
        ...Array.from({ length: CONCURRENCY }, (_, i) => createPermanent(i)),
      ]);
      expect(responses.map(res => res.status)).toEqual(
        Array(2 * CONCURRENCY).fill(201),
      );
      const created: CreatedApiToken[] = responses.map(res => res.body);
      expect(new Set(created.map(c => c.token.id)).size).toBe(2 * CONCURRENCY);
      expect(new Set(created.map(c => c.secret)).size).toBe(2 * CONCURRENCY);

      const rows = await knex('api_tokens').select('id', 'digest', 'owner_ref');
      expect(rows).toHaveLength(2 * CONCURRENCY);
      expect(new Set(rows.map(row => row.digest)).size).toBe(2 * CONCURRENCY);

      // Listed exactly once each, also when paged: many were created in the
      // same millisecond, which the cursor must tell apart.
      for (const [owner, kind] of [
        [BOB, 'temporary'],
        [CAROL, 'permanent'],
      ] as const) {
        const expected = created
          .filter(c => c.token.kind === kind)
          .map(c => c.token.id)
          .sort();
        for (const limit of [1000, 7]) {
          const listed = (await listAll(owner, limit)).map(t => t.id);
          expect(listed.slice().sort()).toEqual(expected);
        }
      }

      // Each secret verifies as its own token, all at once.
      const verified = await Promise.all(
        created.map(c =>
          request(url)
            .post(`${BASE}/internal/verify`)
            .set(headers.service('plugin:auth'))
            .send({ token: c.secret }),
        ),
      );
      expect(verified.map(res => res.body.tokenId)).toEqual(
        created.map(c => c.token.id),
      );

      expect(
        auditEvents(logs).filter(
          e => e.id === 'api-tokens.token-create' && e.status === 'succeeded',
        ),
      ).toHaveLength(2 * CONCURRENCY);
    });

    it('revokes a token once when it is revoked many times at once, and many tokens at once', async () => {
      const tokens: CreatedApiToken[] = (
        await Promise.all(Array.from({ length: 20 }, createTemporary))
      ).map(res => res.body);
      const [first, ...others] = tokens;

      const revokeAs = (id: string, userRef: string) =>
        request(url)
          .delete(`${BASE}/v1/tokens/${id}`)
          .set(headers.user(userRef));
      const responses = await Promise.all([
        ...Array.from({ length: 10 }, () => revokeAs(first.token.id, BOB)),
        ...Array.from({ length: 10 }, () => revokeAs(first.token.id, ALICE)),
        ...others.map(t => revokeAs(t.token.id, BOB)),
      ]);
      expect(responses.map(res => res.status)).toEqual(
        Array(responses.length).fill(204),
      );

      const row = await knex('api_tokens')
        .where({ id: first.token.id })
        .first('revoked_at', 'revoked_by');
      expect(row.revoked_at).not.toBeNull();
      expect([BOB, ALICE]).toContain(row.revoked_by);

      const verified = await Promise.all(
        tokens.map(t =>
          request(url)
            .post(`${BASE}/internal/verify`)
            .set(headers.service('plugin:auth'))
            .send({ token: t.secret }),
        ),
      );
      for (const res of verified) {
        expect(res.status).toBe(401);
        expect(res.body.error.message).toBe('API token has been revoked');
      }
    });
  },
);

describe('revocation during heavy use, through the decorator and the exchange', () => {
  const CACHE_TTL_MS = 1_000;
  /** Timer and scheduling slack: the test's clock is the server's clock. */
  const SLACK_MS = 100;
  let stack: FullStackBackend;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    stack = await startApiTokensBackend({
      stack: 'full',
      knex,
      config: { apiTokens: { cache: { ttl: { milliseconds: CACHE_TTL_MS } } } },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  interface Use {
    path: string;
    sentAt: number;
    answeredAt: number;
    status: number;
    message?: string;
  }

  it(`stops every use within the cache TTL (${CACHE_TTL_MS} ms) of the revocation, and the exchange at once`, async () => {
    const admin = await stack.signIn('alice');
    const created = await request(stack.url)
      .post('/api/api-tokens/v1/users/bob/tokens')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'busy CI' });
    expect(created.status).toBe(201);
    const { secret, token } = created.body as CreatedApiToken;

    const uses: Use[] = [];
    // How many uses each side of the revocation must have, however slow the
    // machine: the workers wait for counts, not for fixed times.
    const ENOUGH = 50;
    let revokedAt = Number.POSITIVE_INFINITY;
    let stopAt = Number.POSITIVE_INFINITY;
    const usesAfterRevocation = () =>
      uses.filter(use => use.sentAt > revokedAt).length;
    async function worker(path: string, method: 'get' | 'post') {
      while (Date.now() < stopAt || usesAfterRevocation() <= ENOUGH) {
        const sentAt = Date.now();
        const res = await request(stack.url)
          [method](path)
          .set('Authorization', `Bearer ${secret}`);
        uses.push({
          path,
          sentAt,
          answeredAt: Date.now(),
          status: res.status,
          message: res.body?.error?.message,
        });
      }
    }
    // Direct use on another plugin, through the decorator and its cache, and
    // the exchange, which asks the api-tokens backend every time.
    const workers = [
      ...Array.from({ length: 6 }, () => worker('/api/whoami', 'get')),
      ...Array.from({ length: 2 }, () =>
        worker('/api/auth/api-token/refresh', 'post'),
      ),
    ];

    while (uses.length <= ENOUGH) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    const revokeSentAt = Date.now();
    const revoked = await request(stack.url)
      .delete(`/api/api-tokens/v1/tokens/${token.id}`)
      .set('Authorization', `Bearer ${admin}`);
    revokedAt = Date.now();
    expect(revoked.status).toBe(204);
    stopAt = revokedAt + CACHE_TTL_MS + 1_000;
    await Promise.all(workers);

    // Answered before the revocation was even sent: a use in flight while
    // the revocation commits may rightly be refused.
    const before = uses.filter(use => use.answeredAt < revokeSentAt);
    const after = uses.filter(use => use.sentAt > revokedAt);
    expect(before.length).toBeGreaterThan(ENOUGH);
    expect(after.length).toBeGreaterThan(ENOUGH);
    // Heavy use is served: nothing but successes before the revocation,
    // nothing but successes and refusals around it, no 5xx, no 429.
    expect(new Set(before.map(use => use.status))).toEqual(new Set([200]));
    expect([...new Set(uses.map(use => use.status))].sort()).toEqual([
      200, 401,
    ]);

    // The bound: no use sent after the revocation plus the TTL succeeded.
    const lastSuccess = Math.max(
      ...uses.filter(use => use.status === 200).map(use => use.sentAt),
    );
    expect(lastSuccess - revokedAt).toBeLessThanOrEqual(
      CACHE_TTL_MS + SLACK_MS,
    );
    for (const use of uses.filter(
      u => u.sentAt > revokedAt + CACHE_TTL_MS + SLACK_MS,
    )) {
      expect(use).toMatchObject({
        status: 401,
        message: 'API token has been revoked',
      });
    }
    // The exchange has no cache: refused from the revocation on.
    for (const use of after.filter(u => u.path.includes('refresh'))) {
      expect(use.status).toBe(401);
    }
  });
});
