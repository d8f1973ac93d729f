import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ApiToken,
  generateApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { Knex } from 'knex';
import request from 'supertest';
import {
  ALICE as ADMIN,
  ApiTokensTestBackend,
  BOB,
  CAROL,
  DAN as READER,
  headers,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const BASE = '/api/api-tokens/v1';

describe('inventory routes', () => {
  let knex: Knex;
  let backend: ApiTokensTestBackend;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    backend = await startApiTokensBackend({ knex });
    const create = (owner: string, name: string) =>
      request(backend.url)
        .post(`${BASE}/users/${encodeURIComponent(owner)}/tokens`)
        .set(headers.user(ADMIN))
        .send({ name })
        .expect(201);
    await create(BOB, 'bob deploys');
    await create(BOB, 'bob nightly');
    const carols = await create(CAROL, 'Carol release');
    await request(backend.url)
      .delete(`${BASE}/tokens/${carols.body.token.id}`)
      .set(headers.user(ADMIN))
      .expect(204);
  });

  afterAll(async () => {
    await backend.stop();
  });

  const all = (query: string, userRef = ADMIN) =>
    request(backend.url)
      .get(`${BASE}/tokens/all${query}`)
      .set(headers.user(userRef));
  const namesOf = (items: ApiToken[]) => items.map(t => t.name).sort();

  it('lists every token of the organisation to admins and readers, filtered', async () => {
    const everything = await all('');
    expect(everything.status).toBe(200);
    expect(namesOf(everything.body.items)).toEqual([
      'Carol release',
      'bob deploys',
      'bob nightly',
    ]);
    const reader = await all('?state=revoked', READER);
    expect(reader.status).toBe(200);
    expect(namesOf(reader.body.items)).toEqual(['Carol release']);
    expect(reader.body.items[0].state).toBe('revoked');

    const both = await all('?state=revoked&state=active&q=CAROL');
    expect(namesOf(both.body.items)).toEqual(['Carol release']);
    const owned = await all(
      `?ownerRef=bob&kind=permanent&createdBy=${encodeURIComponent(ADMIN)}`,
    );
    expect(namesOf(owned.body.items)).toEqual(['bob deploys', 'bob nightly']);
    const none = await all('?expiresBefore=2020-01-01&neverUsed=true');
    expect(none.body.items).toEqual([]);
  });

  it('reads query values as browsers and URLSearchParams write them: a space as + or %20, a reserved character raw or encoded', async () => {
    for (const query of [
      '?q=bob+deploys',
      '?q=bob%20deploys',
      `?${new URLSearchParams({ q: 'bob deploys' })}`,
    ]) {
      const res = await all(query);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      expect(namesOf(res.body.items)).toEqual(['bob deploys']);
    }
    for (const query of [
      `?ownerRef=${BOB}`,
      `?ownerRef=${encodeURIComponent(BOB)}`,
      `?${new URLSearchParams({ ownerRef: BOB })}`,
    ]) {
      const res = await all(query);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      expect(namesOf(res.body.items)).toEqual(['bob deploys', 'bob nightly']);
    }
    // A + that is meant as a +, written %2B.
    expect((await all('?q=bob%2Bdeploys')).body.items).toEqual([]);
  });

  it('sorts and pages, with a cursor only for the same sort', async () => {
    const first = await all('?sort=name&order=asc&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((t: ApiToken) => t.name)).toEqual([
      'Carol release',
      'bob deploys',
    ]);
    const second = await all(
      `?sort=name&order=asc&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((t: ApiToken) => t.name)).toEqual([
      'bob nightly',
    ]);
    expect(second.body.nextCursor).toBeUndefined();

    const other = await all(
      `?sort=expiresAt&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(/^cursor is from a list sorted/);
  });

  it.each([
    ['?state=gone', /state/],
    ['?expiresBefore=tomorrow', /^expiresBefore must be an ISO 8601/],
    ['?expiresAfter=2026-13-45', /^expiresAfter must be an ISO 8601/],
    ['?unusedSince=yesterday', /^unusedSince must be an ISO 8601/],
    ['?limit=0', /limit/],
    ['?limit=100000', /limit/],
    ['?sort=owner', /sort/],
    ['?order=up', /order/],
    ['?kind=forever', /kind/],
    ['?ownerRef=group%3Adefault%2Fadmins', /ownerRef/],
    ['?cursor=bm9wZQ', /^cursor is not one this API returned/],
    ['?colour=blue', /^Unknown query parameter "colour"/],
  ])('refuses %s with 400 naming the parameter', async (query, message) => {
    const res = await all(query);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('lets a user without the permission list only their own tokens', async () => {
    expect((await all('', BOB)).status).toBe(403);
    expect((await all('?ownerRef=carol', BOB)).status).toBe(403);
    const own = await all(`?ownerRef=${encodeURIComponent(BOB)}`, BOB);
    expect(own.status).toBe(200);
    expect(namesOf(own.body.items)).toEqual(['bob deploys', 'bob nightly']);
    expect((await all('/summary', BOB)).status).toBe(403);
  });

  it('refuses requests made with an API token', async () => {
    const res = await request(backend.url)
      .get(`${BASE}/tokens/all?ownerRef=alice`)
      .set(headers.apiToken(generateApiToken()));
    expect(res.status).toBe(403);
    const summary = await request(backend.url)
      .get(`${BASE}/tokens/all/summary`)
      .set(headers.apiToken(generateApiToken()));
    expect(summary.status).toBe(403);
  });

  it('summarizes the inventory', async () => {
    const res = await all('/summary');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      active: 2,
      expiringSoon: 0,
      neverUsed: 2,
      recentlyRevoked: 1,
      windowDays: 30,
    });
  });
});
