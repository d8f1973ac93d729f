import { TestDatabases } from '@backstage/backend-test-utils';
import {
  API_TOKEN_EXPIRATION_HEADER,
  ApiToken,
  CreatedApiToken,
  DAY_MS,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import request from 'supertest';
import {
  FullStackBackend,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';

/**
 * Rotation, the lifetime policy and usage forensics through the real HTTP
 * stack, installed like `packages/backend`: real sign-in, the token-handler
 * decorator on every plugin, the root HTTP router's middleware.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const TOKENS = '/api/api-tokens/v1';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) {
      return value;
    }
    await sleep(100);
  }
}

describe('the token lifecycle through the HTTP stack', () => {
  let stack: FullStackBackend;
  let admin: string;
  let bob: string;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    stack = await startApiTokensBackend({
      stack: 'full',
      knex,
      config: {
        apiTokens: {
          // Every request asks the backend, so the overlap ends to the
          // millisecond rather than within the cache TTL.
          cache: { ttl: { seconds: 0 } },
          failureLimit: {
            maxFailures: 10_000,
            // The tests are the proxy: each request says where it is from.
            trustProxy: 1,
          },
        },
      },
    });
    admin = await stack.signIn('alice');
    bob = await stack.signIn('bob');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const createForBob = async (name = 'CI deploys', scope?: object) =>
    (
      await request(stack.url)
        .post(`${TOKENS}/users/bob/tokens`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ name, ...(scope && { scope }) })
        .expect(201)
    ).body as CreatedApiToken;

  const rotate = (id: string, as: string, body: object = {}) =>
    request(stack.url)
      .post(`${TOKENS}/tokens/${id}/rotate`)
      .set('Authorization', `Bearer ${as}`)
      .send(body);

  const whoami = (token: string, from = '198.51.100.1', agent = 'test') =>
    request(stack.url)
      .get('/api/whoami')
      .set('X-Forwarded-For', from)
      .set('User-Agent', agent)
      .set('Authorization', `Bearer ${token}`);

  const bobsTokens = async (query = '') =>
    (
      await request(stack.url)
        .get(`${TOKENS}/users/bob/tokens${query}`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200)
    ).body.items as ApiToken[];

  it('rotates with a 2-second overlap: both tokens work, the old one tells its new end, and stops after it', async () => {
    const old = await createForBob('CI deploys', {
      plugins: ['whoami'],
      readOnly: true,
    });
    expect((await whoami(old.secret)).status).toBe(200);

    const rotation = await rotate(old.token.id, admin, {
      overlapHours: 2 / 3600,
    });
    expect(rotation.status).toBe(201);
    const rotated = rotation.body as CreatedApiToken;
    expect(rotated.secret).toMatch(/^bsat_/);
    expect(rotated.token).toMatchObject({
      name: 'CI deploys',
      ownerRef: 'user:default/bob',
      kind: 'permanent',
      scope: { plugins: ['whoami'], readOnly: true },
      rotatedFrom: old.token.id,
      rotatedTo: null,
    });
    const replaced = (await bobsTokens()).find(t => t.id === old.token.id)!;
    expect(replaced.rotatedTo).toBe(rotated.token.id);
    const overlapEnd = Date.parse(replaced.expiresAt);
    expect(overlapEnd - Date.parse(rotated.token.createdAt)).toBe(2000);

    const during = await whoami(old.secret);
    expect(during.status).toBe(200);
    expect(during.body.userEntityRef).toBe('user:default/bob');
    expect(during.headers[API_TOKEN_EXPIRATION_HEADER.toLowerCase()]).toBe(
      replaced.expiresAt,
    );
    const successor = await whoami(rotated.secret);
    expect(successor.status).toBe(200);
    expect(successor.headers[API_TOKEN_EXPIRATION_HEADER.toLowerCase()]).toBe(
      rotated.token.expiresAt,
    );

    await sleep(overlapEnd - Date.now() + 100);
    const after = await whoami(old.secret);
    expect(after.status).toBe(401);
    expect(after.body.error.message).toBe('API token has expired');
    expect((await whoami(rotated.secret)).status).toBe(200);
  });

  it('answers 409 for a revoked token, 403 to a non-admin and to a request made with an API token', async () => {
    const revoked = await createForBob('to revoke');
    await request(stack.url)
      .delete(`${TOKENS}/tokens/${revoked.token.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(204);
    const conflict = await rotate(revoked.token.id, admin);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toEqual({
      name: 'ConflictError',
      message: 'This API token has been revoked and cannot be rotated',
    });

    const live = await createForBob('live');
    const byBob = await rotate(live.token.id, bob);
    expect(byBob.status).toBe(403);
    const withApiToken = await rotate(live.token.id, live.secret);
    expect(withApiToken.status).toBe(403);
    expect(withApiToken.body.error.message).toMatch(
      /API tokens cannot be used to manage API tokens/,
    );
    const unchanged = (await bobsTokens()).find(t => t.id === live.token.id)!;
    expect(unchanged).toMatchObject({
      rotatedTo: null,
      expiresAt: live.token.expiresAt,
    });
  });

  it('records exactly the 3 client addresses of a 100-request burst, with their user agents', async () => {
    const { token, secret } = await createForBob('burst');
    const clients = [
      { address: '203.0.113.10', userAgent: 'curl/8.5.0' },
      { address: '203.0.113.11', userAgent: 'GitHub-Actions' },
      { address: '2001:db8::12', userAgent: 'python-requests/2.31' },
    ];
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const client = clients[(batch * 10 + i) % clients.length];
          return whoami(secret, client.address, client.userAgent);
        }),
      );
      expect(answers.map(a => a.status)).toEqual(Array(10).fill(200));
    }

    const listed = async () =>
      (await bobsTokens()).find(t => t.id === token.id)!;
    await eventually(listed, t => (t.recentClients ?? []).length >= 3);
    // Reports come in batches a second apart: nothing else may follow.
    await sleep(1500);
    const { recentClients, lastUsedAt } = await listed();
    expect(
      recentClients!
        .map(({ address, userAgent }) => ({ address, userAgent }))
        .sort((a, b) => a.address.localeCompare(b.address)),
    ).toEqual([...clients].sort((a, b) => a.address.localeCompare(b.address)));
    expect(lastUsedAt).not.toBeNull();
    // The inventory, which the admin Tokens tab reads, shows them too.
    const inventory = await request(stack.url)
      .get(`${TOKENS}/tokens/all?ownerRef=user%3Adefault%2Fbob`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    const inInventory = (inventory.body.items as ApiToken[]).find(
      t => t.id === token.id,
    );
    expect(inInventory?.recentClients).toEqual(recentClients);
    const ownInventory = await request(stack.url)
      .get(`${TOKENS}/tokens/all?ownerRef=user%3Adefault%2Fbob`)
      .set('Authorization', `Bearer ${bob}`)
      .expect(200);
    expect(ownInventory.body.items[0]).not.toHaveProperty('recentClients');
  });

  it('bounds creation by MaximumTokenLifetimeDays, and offers only that in the limits', async () => {
    const put = (value: string) =>
      request(stack.url)
        .put(`${TOKENS}/settings/MaximumTokenLifetimeDays`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ type: 'app-config', value });
    for (const bad of ['0', '366', '30.5', 'month']) {
      const refused = await put(bad);
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(/^MaximumTokenLifetimeDays/);
    }
    const byBob = await request(stack.url)
      .put(`${TOKENS}/settings/MaximumTokenLifetimeDays`)
      .set('Authorization', `Bearer ${bob}`)
      .send({ type: 'app-config', value: '30' });
    expect(byBob.status).toBe(403);
    await put('30').expect(200);

    const limits = await request(stack.url)
      .get(`${TOKENS}/limits`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    const maxExpiry = Date.parse(limits.body.permanentTokenMaxExpiresAt);
    expect(Math.abs(maxExpiry - Date.now() - 30 * DAY_MS)).toBeLessThan(5000);

    const tooLate = await request(stack.url)
      .post(`${TOKENS}/users/bob/tokens`)
      .set('Authorization', `Bearer ${admin}`)
      .send({
        name: 'too long',
        expiresAt: new Date(Date.now() + 31 * DAY_MS).toISOString(),
      });
    expect(tooLate.status).toBe(400);
    expect(tooLate.body.error.message).toMatch(/^expiresAt must be no later/);
    const created = await createForBob('bounded');
    expect(
      Math.abs(Date.parse(created.token.expiresAt) - Date.now() - 30 * DAY_MS),
    ).toBeLessThan(5000);

    await request(stack.url)
      .delete(`${TOKENS}/settings/MaximumTokenLifetimeDays`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(204);
  });

  it('filters the admin listing by days without use', async () => {
    const never = await bobsTokens('?unusedForDays=1');
    expect(never).toEqual([]);
    const refused = await request(stack.url)
      .get(`${TOKENS}/users/bob/tokens?unusedForDays=0`)
      .set('Authorization', `Bearer ${admin}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/unusedForDays/);
  });
});
