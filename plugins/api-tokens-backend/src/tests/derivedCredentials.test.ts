import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { CreatedApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import request from 'supertest';
import {
  ALICE,
  ApiTokensTestBackend,
  BASE,
  BOB,
  FullStackBackend,
  headers,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';

/**
 * Credentials derived from an API token: a Backstage token exchanged for it
 * (`POST /api/auth/api-token/refresh`) and a session cookie. They must stop
 * working when the API token is revoked or expires. The state route tells
 * every plugin's token handler whether they still may.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** The bound on revocation the product promises. */
const REVOCATION_BOUND_MS = 5_000;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function decodeClaims(jwt: string) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

describe('GET /internal/tokens/{id}/state', () => {
  let backend: ApiTokensTestBackend;

  beforeAll(async () => {
    backend = await startApiTokensBackend({
      knex: await databases.init('SQLITE_3'),
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  async function issueForBob(): Promise<CreatedApiToken> {
    const created = await request(backend.url)
      .post(`${BASE}/v1/users/bob/tokens`)
      .set(headers.user(ALICE))
      .send({ name: 'CI' })
      .expect(201);
    return created.body;
  }

  const state = (id: string, auth: Record<string, string>) =>
    request(backend.url).get(`${BASE}/internal/tokens/${id}/state`).set(auth);

  it('tells any backend plugin whether a token is active, and until when', async () => {
    const { token } = await issueForBob();

    for (const plugin of ['plugin:catalog', 'plugin:auth']) {
      const response = await state(token.id, headers.service(plugin));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        active: true,
        expiresAt: token.expiresAt,
        scope: null,
      });
    }
  });

  it('says a revoked token is not active', async () => {
    const { token } = await issueForBob();
    await request(backend.url)
      .delete(`${BASE}/v1/tokens/${token.id}`)
      .set(headers.user(BOB))
      .expect(204);

    const response = await state(token.id, headers.service('plugin:catalog'));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      active: false,
      expiresAt: token.expiresAt,
      scope: null,
    });
  });

  it('does not find a token that does not exist, without repeating the id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'bsat_x']) {
      const response = await state(id, headers.service('plugin:catalog'));
      expect(response.status).toBe(404);
      expect(response.body.error).toEqual({
        name: 'NotFoundError',
        message: 'No such API token',
      });
    }
  });

  it.each([
    ['a user', headers.user(ALICE), 403],
    [
      'an external service token',
      {
        Authorization: mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('external:ci'),
          targetPluginId: 'api-tokens',
        }),
      },
      403,
    ],
    ['a request without credentials', {}, 401],
  ])('refuses %s', async (_case, auth, status) => {
    const { token } = await issueForBob();
    const response = await state(token.id, auth);
    expect(response.status).toBe(status);
    expect(response.body).not.toHaveProperty('active');
  });
});

describe('credentials derived from an API token, on the whole stack', () => {
  let stack: FullStackBackend;
  let admin: string;

  beforeAll(async () => {
    stack = await startApiTokensBackend({
      stack: 'full',
      knex: await databases.init('SQLITE_3'),
    });
    admin = await stack.signIn('alice');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function issueForBob(expiresAt?: string): Promise<CreatedApiToken> {
    const created = await request(stack.url)
      .post('/api/api-tokens/v1/users/bob/tokens')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'CI', expiresAt });
    expect(created.status).toBe(201);
    return created.body;
  }

  async function exchange(secret: string): Promise<string> {
    const response = await request(stack.url)
      .post('/api/auth/api-token/refresh')
      .set('Authorization', `Bearer ${secret}`);
    expect(response.status).toBe(200);
    return response.body.backstageIdentity.token;
  }

  /** A plugin route and the catalog: two plugins that authenticate. */
  const uses = (token: string) =>
    Promise.all(
      ['/api/whoami', '/api/catalog/entities/by-name/user/default/bob'].map(
        path =>
          request(stack.url).get(path).set('Authorization', `Bearer ${token}`),
      ),
    );

  const cookie = (plugin: string, token: string) =>
    request(stack.url)
      .get(`/api/${plugin}/.backstage/auth/v1/cookie`)
      .set('Authorization', `Bearer ${token}`);

  it(`stops a token exchanged from an API token within ${REVOCATION_BOUND_MS} ms of the revocation, on every plugin`, async () => {
    const { secret, token } = await issueForBob();
    const exchanged = await exchange(secret);
    for (const response of await uses(exchanged)) {
      expect(response.status).toBe(200);
    }

    await request(stack.url)
      .delete(`/api/api-tokens/v1/tokens/${token.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(204);
    const revokedAt = Date.now();

    let refused: Awaited<ReturnType<typeof uses>> | undefined;
    while (Date.now() - revokedAt < REVOCATION_BOUND_MS + 1_000) {
      const responses = await uses(exchanged);
      if (responses.every(response => response.status === 401)) {
        refused = responses;
        break;
      }
      await sleep(100);
    }
    const refusedAfter = Date.now() - revokedAt;

    expect(refused).toBeDefined();
    expect(refusedAfter).toBeLessThanOrEqual(REVOCATION_BOUND_MS);
    for (const response of refused!) {
      expect(response.body.error.message).toBe('API token has been revoked');
    }
    // The Backstage token itself would have lived on for an hour.
    expect(decodeClaims(exchanged).exp * 1000).toBeGreaterThan(
      Date.now() + 50 * 60_000,
    );
  });

  it('refuses a token exchanged from an API token once the API token has expired, though the Backstage token has not', async () => {
    const expiresAt = new Date(Date.now() + 3_000);
    const { secret } = await issueForBob(expiresAt.toISOString());
    const exchanged = await exchange(secret);
    expect((await uses(exchanged))[0].status).toBe(200);
    // The auth backend sets exp itself: it cannot be bounded by the API
    // token's expiry, so the token handler is the bound.
    expect(decodeClaims(exchanged).exp * 1000).toBeGreaterThan(
      expiresAt.getTime(),
    );

    await sleep(expiresAt.getTime() - Date.now() + 50);

    for (const response of await uses(exchanged)) {
      expect(response.status).toBe(401);
      expect(response.body.error.message).toBe('API token has expired');
    }
  });

  it('refuses API tokens and tokens exchanged for one on the cookie endpoint of every plugin', async () => {
    const { secret } = await issueForBob();
    const exchanged = await exchange(secret);

    for (const plugin of ['whoami', 'catalog', 'api-tokens', 'auth']) {
      for (const token of [secret, exchanged]) {
        const response = await cookie(plugin, token);
        expect(response.status).toBe(403);
        expect(response.body.error.message).toBe(
          'API tokens cannot be used to get a session cookie; sign in to the portal instead',
        );
        expect(response.headers['set-cookie']).toBeUndefined();
      }
    }
    // A signed-in user still gets one.
    const signedIn = await cookie('whoami', admin);
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers['set-cookie']).toBeDefined();
  });

  it('refuses the cookie endpoint to a revoked token just the same', async () => {
    const { secret, token } = await issueForBob();
    const exchanged = await exchange(secret);
    await request(stack.url)
      .delete(`/api/api-tokens/v1/tokens/${token.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(204);

    for (const credential of [secret, exchanged]) {
      const response = await cookie('whoami', credential);
      expect([401, 403]).toContain(response.status);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  });
});
