import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import request from 'supertest';
import {
  ALICE,
  ApiTokensTestBackend,
  BASE,
  BOB,
  DAN,
  FullStackBackend,
  headers,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';

/**
 * The scope routes on the plugin: scopes stored and answered, the
 * `apiTokens.requireScope` switch, who may preview, and the records of
 * exchanged tokens that carry a scope to forwarded tokens. What scopes do to
 * requests on other plugins is shown against the real portal in
 * `e2e-tests/scopes-api.test.ts` and on stand-ins in api-tokens-node.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const count = async (knex: Knex, table: string) =>
  Number((await knex(table).count({ n: '*' }))[0].n);

describe('scopes on the api-tokens routes', () => {
  let knex: Knex;
  let backend: ApiTokensTestBackend;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    backend = await startApiTokensBackend({
      knex,
      config: { apiTokens: { requireScope: true } },
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const create = (body: object) =>
    request(backend.url)
      .post(`${BASE}/v1/users/bob/tokens`)
      .set(headers.user(ALICE))
      .send({ name: 'CI', ...body });

  it('stores the scope and answers it in the token, the listing and the state', async () => {
    const scope = { plugins: ['api-tokens'], readOnly: true };
    const created = await create({ scope });
    expect(created.status).toBe(201);
    expect(created.body.token.scope).toEqual(scope);

    const listed = await request(backend.url)
      .get(`${BASE}/v1/users/bob/tokens`)
      .set(headers.user(ALICE));
    expect(
      listed.body.items.find(
        (token: { id: string }) => token.id === created.body.token.id,
      ).scope,
    ).toEqual(scope);

    const state = await request(backend.url)
      .get(`${BASE}/internal/tokens/${created.body.token.id}/state`)
      .set(headers.service('plugin:catalog'));
    expect(state.body).toMatchObject({ active: true, scope });
  });

  it('requires a scope for permanent tokens when apiTokens.requireScope is set', async () => {
    const before = await count(knex, 'api_tokens');
    for (const body of [{}, { scope: null }]) {
      const response = await create(body);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toBe(
        'scope is required: this portal issues only scoped permanent tokens (apiTokens.requireScope)',
      );
    }
    expect(await count(knex, 'api_tokens')).toBe(before);

    const temporary = await request(backend.url)
      .post(`${BASE}/v1/tokens/temporary`)
      .set(headers.user(BOB))
      .send({});
    expect(temporary.status).toBe(201);
    expect(temporary.body.token.scope).toBeNull();
  });

  it('names unknown plugins and permissions, and stores nothing', async () => {
    const before = await count(knex, 'api_tokens');
    const plugin = await create({ scope: { plugins: ['api-tokens', 'nope'] } });
    expect(plugin.status).toBe(400);
    expect(plugin.body.error.message).toMatch(
      /^scope\.plugins: unknown plugin "nope"; this portal has \d+ plugins/,
    );
    const permission = await create({
      scope: { permissions: ['api-tokens.token.read', 'x.y', 'x.z'] },
    });
    expect(permission.status).toBe(400);
    expect(permission.body.error.message).toMatch(
      /^scope\.permissions: unknown permissions "x\.y", "x\.z"/,
    );
    expect(await count(knex, 'api_tokens')).toBe(before);
  });

  it('lets only those who may create tokens preview, never with an API token', async () => {
    const preview = (auth: Record<string, string>) =>
      request(backend.url)
        .post(`${BASE}/v1/users/bob/tokens/preview`)
        .set(auth)
        .send({ scope: { readOnly: true } });

    for (const auth of [
      headers.user(DAN),
      headers.exchangedFromApiToken(ALICE),
    ]) {
      const response = await preview(auth);
      expect(response.status).toBe(403);
    }
    expect(await count(knex, 'api_tokens')).toBeGreaterThan(0);
    expect(
      await knex('api_tokens').where({ kind: 'preview' }).count({ n: '*' }),
    ).toEqual([{ n: 0 }]);
  });

  describe('records of exchanged tokens', () => {
    const digest = createHash('sha256').update('uip').digest('hex');

    it('are written by the auth plugin only, and read by any backend plugin', async () => {
      const created = await create({ scope: { readOnly: true } });
      const { id } = created.body.token;
      const record = (auth: Record<string, string>, body: object) =>
        request(backend.url)
          .post(`${BASE}/internal/tokens/${id}/derived`)
          .set(auth)
          .send(body);
      const body = { digest, expiresAt: '2099-01-01T00:00:00Z' };

      expect(
        (await record(headers.service('plugin:catalog'), body)).status,
      ).toBe(403);
      expect((await record(headers.user(ALICE), body)).status).toBe(403);
      const badDigest = await record(headers.service('plugin:auth'), {
        ...body,
        digest: 'not hex',
      });
      expect(badDigest.status).toBe(400);
      expect(badDigest.body.error.message).toMatch(/digest/);
      expect((await record(headers.service('plugin:auth'), body)).status).toBe(
        204,
      );

      const state = await request(backend.url)
        .get(`${BASE}/internal/derived/${digest}/state`)
        .set(headers.service('plugin:catalog'));
      expect(state.status).toBe(200);
      expect(state.body).toEqual({
        tokenId: id,
        active: true,
        expiresAt: created.body.token.expiresAt,
        scope: { readOnly: true },
      });

      const unknown = await request(backend.url)
        .get(`${BASE}/internal/derived/${'0'.repeat(64)}/state`)
        .set(headers.service('plugin:catalog'));
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.name).toBe('NotFoundError');

      const asUser = await request(backend.url)
        .get(`${BASE}/internal/derived/${digest}/state`)
        .set(headers.user(ALICE));
      expect([401, 403]).toContain(asUser.status);
    });
  });
});

describe('exchanged tokens on the whole stack', () => {
  let knex: Knex;
  let stack: FullStackBackend;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    stack = await startApiTokensBackend({ stack: 'full', knex });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('are recorded by the digest of their identity proof before they are handed out', async () => {
    const admin = await stack.signIn('alice');
    const created = await request(stack.url)
      .post('/api/api-tokens/v1/users/bob/tokens')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'CI', scope: { readOnly: true } });
    expect(created.body.error?.message).toBeUndefined();
    expect(created.status).toBe(201);

    const exchanged = await request(stack.url)
      .post('/api/auth/api-token/refresh')
      .set('Authorization', `Bearer ${created.body.secret}`);
    expect(exchanged.status).toBe(200);
    const { uip } = JSON.parse(
      Buffer.from(
        exchanged.body.backstageIdentity.token.split('.')[1],
        'base64url',
      ).toString(),
    );

    const records = await knex('api_token_derived').select();
    expect(records).toEqual([
      expect.objectContaining({
        digest: createHash('sha256').update(uip).digest('hex'),
        token_id: created.body.token.id,
      }),
    ]);
  });
});
