import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ApiToken,
  CreatedApiToken,
  generateApiToken,
  isWellFormedApiToken,
  DAY_MS,
  HOUR_MS,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { Knex } from 'knex';
import request from 'supertest';
import { auditEvents, LogLine } from '../__testUtils__/recording';
import {
  ALICE,
  BASE,
  BOB,
  CAROL,
  DAN,
  ERIN,
  headers,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';
import { DEFAULT_MAX_ACTIVE_TEMPORARY_TOKENS } from './temporaryTokenCap';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('api-tokens router', () => {
  let url: string;
  let logs: LogLine[];
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    ({ url, logs } = await startApiTokensBackend({ knex }));
  });

  const userPath = (userRef: string) =>
    `${BASE}/v1/users/${encodeURIComponent(userRef)}/tokens`;

  function createToken(
    ownerRef: string,
    body: object = { name: 'CI deploys' },
    as: string = ALICE,
  ) {
    return request(url)
      .post(userPath(ownerRef))
      .set(headers.user(as))
      .send(body);
  }

  async function createTokenFor(
    ownerRef: string,
    body: object = { name: 'CI deploys' },
  ): Promise<CreatedApiToken> {
    const res = await createToken(ownerRef, body);
    expect(res.status).toBe(201);
    return res.body;
  }

  async function ownTokens(userRef: string): Promise<ApiToken[]> {
    const res = await request(url)
      .get(`${BASE}/v1/tokens`)
      .set(headers.user(userRef));
    expect(res.status).toBe(200);
    return res.body.items;
  }

  function revoke(id: string, as: string) {
    return request(url)
      .delete(`${BASE}/v1/tokens/${encodeURIComponent(id)}`)
      .set(headers.user(as));
  }

  function verify(body: object, hdrs: object = headers.service('plugin:auth')) {
    return request(url)
      .post(`${BASE}/internal/verify`)
      .set(hdrs as Record<string, string>)
      .send(body);
  }

  describe('authentication', () => {
    it.each([
      ['get', '/v1/tokens'],
      ['post', '/v1/tokens/temporary'],
      ['delete', '/v1/tokens/00000000-0000-4000-8000-000000000000'],
      ['get', '/v1/users/bob/tokens'],
      ['post', '/v1/users/bob/tokens'],
      ['get', '/v1/tokens/faults'],
      ['get', '/v1/limits'],
      ['get', '/v1/self'],
      ['post', '/internal/verify'],
    ] as const)(
      'answers 401 to %s %s without credentials',
      async (method, path) => {
        const res = await request(url)
          [method](`${BASE}${path}`)
          .send(method === 'get' || method === 'delete' ? undefined : {});
        expect(res.status).toBe(401);
        expect(res.body.error.name).toBe('AuthenticationError');
      },
    );

    it('answers 401 to an invalid user token', async () => {
      const res = await request(url)
        .get(`${BASE}/v1/tokens`)
        .set('Authorization', 'Bearer mock-invalid-user-token');
      expect(res.status).toBe(401);
    });
  });

  describe('who may do what', () => {
    it('lets an admin create a permanent token for a user, with the secret shown once', async () => {
      const before = Date.now();
      const res = await createToken(BOB, { name: 'CI deploys' });
      const after = Date.now();
      expect(res.status).toBe(201);

      const { token, secret } = res.body as CreatedApiToken;
      expect(isWellFormedApiToken(secret)).toBe(true);
      expect(token).toEqual({
        id: expect.any(String),
        name: 'CI deploys',
        kind: 'permanent',
        scope: null,
        ownerRef: BOB,
        createdBy: ALICE,
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
        lastUsedAt: null,
        revokedAt: null,
        revokedBy: null,
        hint: secret.slice(-4),
        state: 'active',
        rotatedFrom: null,
        rotatedTo: null,
      });
      const createdAt = Date.parse(token.createdAt);
      expect(createdAt).toBeGreaterThanOrEqual(before);
      expect(createdAt).toBeLessThanOrEqual(after);
      expect(Date.parse(token.expiresAt) - createdAt).toBe(365 * DAY_MS);

      // Never again: not in the owner's list, not in the admin's.
      const ownList = await request(url)
        .get(`${BASE}/v1/tokens`)
        .set(headers.user(BOB));
      const adminList = await request(url)
        .get(userPath(BOB))
        .set(headers.user(ALICE));
      for (const [list, recent] of [
        [ownList, undefined],
        // Admins also see who used it: nobody yet.
        [adminList, []],
      ] as const) {
        expect(list.status).toBe(200);
        expect(list.text).not.toContain(secret);
        const { recentClients, ...listed } = list.body.items.find(
          (item: ApiToken) => item.id === token.id,
        );
        expect(listed).toEqual(token);
        expect(recentClients).toEqual(recent);
        expect(listed).not.toHaveProperty('secret');
      }
    });

    it('answers 403 when the policy denies, creating nothing', async () => {
      const res = await createToken(CAROL, { name: 'nope' }, BOB);
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.text).not.toMatch(/bsat_/);
      expect(
        (await ownTokens(CAROL)).filter(token => token.name === 'nope'),
      ).toEqual([]);
    });

    it('lets the owner list and revoke their own token, which stays listed as revoked', async () => {
      const { token } = await createTokenFor(BOB, { name: 'own' });

      expect((await ownTokens(BOB)).map(t => t.id)).toContain(token.id);

      const revoked = await revoke(token.id, BOB);
      expect(revoked.status).toBe(204);
      expect(revoked.text).toBe('');

      const listed = (await ownTokens(BOB)).find(t => t.id === token.id);
      expect(listed).toMatchObject({
        state: 'revoked',
        revokedBy: BOB,
        revokedAt: expect.any(String),
      });
    });

    it('answers 404 for an unknown token id', async () => {
      for (const as of [ALICE, BOB]) {
        const res = await revoke('00000000-0000-4000-8000-000000000000', as);
        expect(res.status).toBe(404);
        expect(res.body.error.message).toContain(
          '00000000-0000-4000-8000-000000000000',
        );
      }
    });

    it('answers 404 when the user is not in the catalog, and 400 for refs that are not users', async () => {
      const missing = await createToken('user:default/zed');
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toContain('user:default/zed');

      for (const ref of [
        'group:default/admins',
        'user:default/a b',
        'user:default/',
      ]) {
        const res = await createToken(ref, { name: 'x' });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/userRef/);
      }
    });

    it('pages through a user’s tokens for an admin', async () => {
      const created: string[] = [];
      for (let i = 0; i < 7; i++) {
        created.push((await createTokenFor(ERIN, { name: `t${i}` })).token.id);
      }
      const seen: ApiToken[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await request(url)
          .get(userPath(ERIN))
          .query({ limit: 3, ...(cursor ? { cursor } : {}) })
          .set(headers.user(ALICE));
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);

      expect(pages).toBe(3);
      expect(seen.map(t => t.id).sort()).toEqual([...created].sort());
      const times = seen.map(t => Date.parse(t.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it('refuses a cursor it did not issue and limits out of range', async () => {
      for (const query of [
        { cursor: 'not-a-cursor' },
        { limit: 0 },
        { limit: 1001 },
        { limit: 'many' },
      ]) {
        const res = await request(url)
          .get(userPath(BOB))
          .query(query)
          .set(headers.user(ALICE));
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(
          new RegExp(Object.keys(query)[0]),
        );
      }
    });

    it('creates a temporary token for the signed-in user', async () => {
      const res = await request(url)
        .post(`${BASE}/v1/tokens/temporary`)
        .set(headers.user(CAROL));
      expect(res.status).toBe(201);
      const { token, secret } = res.body as CreatedApiToken;
      expect(isWellFormedApiToken(secret)).toBe(true);
      expect(token).toMatchObject({
        name: 'Temporary token',
        kind: 'temporary',
        ownerRef: CAROL,
        createdBy: CAROL,
        state: 'active',
      });
      expect(Date.parse(token.expiresAt) - Date.parse(token.createdAt)).toBe(
        8 * HOUR_MS,
      );

      const named = await request(url)
        .post(`${BASE}/v1/tokens/temporary`)
        .set(headers.user(CAROL))
        .send({ name: '  my laptop  ' });
      expect(named.status).toBe(201);
      expect(named.body.token.name).toBe('my laptop');
      expect(
        (await ownTokens(CAROL)).find(t => t.id === token.id),
      ).not.toHaveProperty('secret');
    });
  });

  describe('the cap on temporary tokens', () => {
    // A user with no other tokens in these tests; temporary tokens need no
    // catalog entry.
    const TAB_OPENER = 'user:default/tab-opener';

    it('revokes the oldest when a user mints one more than the cap, as the user, audited', async () => {
      const minted: CreatedApiToken[] = [];
      for (let i = 0; i <= DEFAULT_MAX_ACTIVE_TEMPORARY_TOKENS; i++) {
        const res = await request(url)
          .post(`${BASE}/v1/tokens/temporary`)
          .set(headers.user(TAB_OPENER));
        expect(res.status).toBe(201);
        minted.push(res.body);
      }

      const [oldest, ...kept] = minted.map(m => m.token.id);
      const listed = await ownTokens(TAB_OPENER);
      expect(listed.filter(t => t.state === 'active').map(t => t.id)).toEqual(
        kept.reverse(),
      );
      expect(listed.find(t => t.id === oldest)).toMatchObject({
        state: 'revoked',
        revokedBy: TAB_OPENER,
      });
      const verified = await verify({ token: minted[0].secret });
      expect(verified.status).toBe(401);
      expect(verified.body.error.message).toBe('API token has been revoked');

      expect(
        auditEvents(logs)
          .filter(
            e =>
              e.id === 'api-tokens.token-revoke' &&
              e.meta.reason === 'temporary-token-cap',
          )
          .map(({ status, actorId, meta }) => ({ status, actorId, meta })),
      ).toEqual([
        {
          status: 'initiated',
          actorId: TAB_OPENER,
          meta: { tokenId: oldest, reason: 'temporary-token-cap' },
        },
        {
          status: 'succeeded',
          actorId: TAB_OPENER,
          meta: {
            tokenId: oldest,
            reason: 'temporary-token-cap',
            ownerRef: TAB_OPENER,
          },
        },
      ]);
    });
  });

  describe('running the expiry check', () => {
    it('takes its own permission: a reader of faults gets 403, and nothing runs', async () => {
      const { token } = await createTokenFor(DAN, {
        name: 'expiring soon',
        expiresAt: new Date(Date.now() + 3 * DAY_MS).toISOString(),
      });
      const faultsOf = async (as: string) => {
        const res = await request(url)
          .get(`${BASE}/v1/faults`)
          .query({ ownerRef: DAN })
          .set(headers.user(as));
        expect(res.status).toBe(200);
        return res.body.items.map((f: { tokenId: string }) => f.tokenId);
      };

      const refused = await request(url)
        .post(`${BASE}/v1/expiry-check`)
        .set(headers.user(DAN));
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('api-tokens.faults.run'),
      });
      expect(await faultsOf(DAN)).toEqual([]);

      const ran = await request(url)
        .post(`${BASE}/v1/expiry-check`)
        .set(headers.user(ALICE));
      expect(ran.status).toBe(200);
      expect(await faultsOf(DAN)).toEqual([token.id]);
    });
  });

  describe('validation', () => {
    it.each([
      ['an empty name', { name: '' }, /name/],
      ['a name of 101 characters', { name: 'a'.repeat(101) }, /name/],
      ['a missing name', {}, /name/],
      ['a name that is not a string', { name: 5 }, /name/],
      ['a null name', { name: null }, /name/],
      [
        'an expiresAt that is not a string',
        { name: 'x', expiresAt: 12345 },
        /expiresAt/,
      ],
      // A domain rule, which the token service checks.
      [
        'an expiresAt in the past',
        { name: 'x', expiresAt: '2020-01-01T00:00:00Z' },
        /expiresAt/,
      ],
      [
        'an extra property',
        { name: 'x', owner: 'user:default/alice' },
        /owner|additional/,
      ],
    ])('answers 400 to %s, naming the field', async (_, body, field) => {
      const res = await createToken(BOB, body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toMatch(/InputError|ValidationError|Error/);
      expect(res.body.error.message).toMatch(field);
      expect(res.text).not.toMatch(/bsat_/);
    });

    it('accepts the longest name and an earlier expiry', async () => {
      const expiresAt = new Date(Date.now() + 30 * DAY_MS).toISOString();
      const { token } = await createTokenFor(BOB, {
        name: 'a'.repeat(100),
        expiresAt,
      });
      expect(token.name).toBe('a'.repeat(100));
      expect(token.expiresAt).toBe(expiresAt);
    });

    it.each([
      ['only a zero-width space', '\u200b'],
      ['a line separator', 'deploy\u2028Bcc: attacker@example.com'],
      ['a paragraph separator', 'deploy\u2029Bcc: attacker@example.com'],
      ['tag characters', 'deploy\u{e0049}\u{e0047}\u{e004e}'],
      ['a stack of combining marks', `Z${'\u0301'.repeat(10)}algo`],
      ['a right-to-left override', 'evil\u202etxt.exe'],
    ])(
      'refuses a name with %s on both routes, storing nothing and not repeating it',
      async (_, name) => {
        const rowsBefore = await knex('api_tokens').count({ n: '*' });
        const responses = [
          await createToken(BOB, { name }),
          await request(url)
            .post(`${BASE}/v1/tokens/temporary`)
            .set(headers.user(BOB))
            .send({ name }),
        ];
        for (const res of responses) {
          expect(res.status).toBe(400);
          expect(res.body.error.name).toBe('InputError');
          expect(res.body.error.message).toMatch(/^name /);
          expect(res.text).not.toContain(name);
        }
        expect(await knex('api_tokens').count({ n: '*' })).toEqual(rowsBefore);
      },
    );

    it('answers 400 to a body that is not JSON', async () => {
      const res = await request(url)
        .post(userPath(BOB))
        .set(headers.user(ALICE))
        .set('Content-Type', 'application/json')
        .send('{"name": "x"');
      expect(res.status).toBe(400);
    });

    it.each([
      ['a name that is too long', { name: 'a'.repeat(101) }, /name/],
      [
        'an extra property',
        { name: 'x', kind: 'permanent' },
        /kind|additional/,
      ],
      ['a name that is not a string', { name: 5 }, /name/],
    ])('answers 400 to a temporary token with %s', async (_, body, field) => {
      const res = await request(url)
        .post(`${BASE}/v1/tokens/temporary`)
        .set(headers.user(BOB))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(field);
    });
  });

  describe('requests made with an API token', () => {
    it('refuses every token-management route to API token credentials', async () => {
      const { token, secret } = await createTokenFor(ALICE, {
        name: 'admin CI',
      });
      for (const credentials of [
        // The API token itself, as a decorated token handler passes it on.
        headers.apiToken(secret),
        // The user token the auth backend issued in exchange for one.
        headers.exchangedFromApiToken(ALICE),
      ]) {
        const attempts = [
          request(url).get(`${BASE}/v1/tokens`).set(credentials),
          request(url)
            .post(`${BASE}/v1/tokens/temporary`)
            .set(credentials)
            .send({}),
          request(url).delete(`${BASE}/v1/tokens/${token.id}`).set(credentials),
          request(url).get(userPath(BOB)).set(credentials),
          request(url)
            .post(userPath(BOB))
            .set(credentials)
            .send({ name: 'minted with a leaked token' }),
        ];
        for (const res of await Promise.all(attempts)) {
          expect(res.status).toBe(403);
          expect(res.body.error.message).toMatch(/API tokens cannot be used/);
        }
      }
      expect((await ownTokens(ALICE)).find(t => t.id === token.id)?.state).toBe(
        'active',
      );
      expect(
        (await ownTokens(BOB)).filter(
          t => t.name === 'minted with a leaked token',
        ),
      ).toEqual([]);
    });

    it('tells a request made with an API token which token it is', async () => {
      const { token, secret } = await createTokenFor(BOB, { name: 'self' });
      const res = await request(url)
        .get(`${BASE}/v1/self`)
        .set(headers.apiToken(secret));
      expect(res.status).toBe(200);
      expect(res.body).toEqual(token);
      expect(res.text).not.toContain(secret);

      const notAToken = await request(url)
        .get(`${BASE}/v1/self`)
        .set(headers.user(BOB));
      expect(notAToken.status).toBe(404);
    });
  });

  describe('/internal/verify', () => {
    it('verifies a token for the auth plugin', async () => {
      const { token, secret } = await createTokenFor(BOB);
      const res = await verify({ token: secret });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        tokenId: token.id,
        ownerRef: BOB,
        expiresAt: token.expiresAt,
      });
    });

    it('refuses every caller but the auth plugin', async () => {
      const { secret } = await createTokenFor(BOB);
      for (const hdrs of [
        headers.user(ALICE),
        headers.user(BOB),
        headers.service('plugin:catalog'),
        headers.service('external:test-service'),
        { Authorization: 'Bearer mock-service-token' },
      ]) {
        const res = await verify({ token: secret }, hdrs);
        expect(res.status).toBe(403);
        expect(res.text).not.toContain(secret);
      }
      expect((await verify({ token: secret }, {})).status).toBe(401);
    });

    it('answers 401 Invalid API token to malformed and unknown tokens', async () => {
      const { secret } = await createTokenFor(BOB);
      const lastChar = secret.slice(-1) === 'a' ? 'b' : 'a';
      for (const candidate of [
        'bsat_abc',
        `${secret.slice(0, -1)}${lastChar}`,
        `${secret}x`,
        secret.toUpperCase(),
        'eyJhbGciOiJIUzI1NiJ9.e30.signature',
        '',
        generateApiToken(),
      ]) {
        const res = await verify({ token: candidate });
        expect(res.status).toBe(401);
        expect(res.body.error.message).toBe('Invalid API token');
      }
    });

    it('answers 400 when there is no token in the body', async () => {
      for (const body of [{}, { token: 5 }, { token: null }]) {
        const res = await verify(body);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/token/);
      }
    });
  });
});
