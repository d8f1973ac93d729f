import { mockApis } from '@backstage/test-utils';
import { ApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { FakeApiTokensBackend } from '../__testUtils__/fakeApiTokensBackend';
import { ApiTokensClient } from './ApiTokensClient';

const token: ApiToken = {
  id: 't1',
  name: 'ci',
  kind: 'permanent',
  ownerRef: 'user:default/jane',
  createdBy: 'user:default/alice',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2027-01-01T00:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
  revokedBy: null,
  hint: 'abcd',
  state: 'active',
  scope: null,
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function setup(...responses: Response[]) {
  const fetch = jest.fn();
  for (const response of responses) {
    fetch.mockResolvedValueOnce(response);
  }
  const client = new ApiTokensClient({
    discoveryApi: {
      getBaseUrl: async pluginId => `http://localhost:7007/api/${pluginId}`,
    },
    fetchApi: { fetch },
    identityApi: mockApis.identity({ userEntityRef: token.ownerRef }),
  });
  return { client, fetch };
}

describe('ApiTokensClient', () => {
  it('lists the own tokens with paging parameters', async () => {
    const { client, fetch } = setup(json({ items: [token], nextCursor: 'c2' }));
    await expect(
      client.listOwnTokens({ limit: 20, cursor: 'c1' }),
    ).resolves.toEqual({ items: [token], nextCursor: 'c2' });
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/api-tokens/v1/tokens?limit=20&cursor=c1',
      { method: 'GET' },
    );
  });

  it('creates a temporary token with an empty JSON body', async () => {
    const { client, fetch } = setup(json({ token, secret: 's3cret' }, 201));
    await expect(client.createTemporaryToken()).resolves.toEqual({
      token,
      secret: 's3cret',
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/api-tokens/v1/tokens/temporary',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      },
    );
  });

  describe("the session's temporary token", () => {
    const jane = 'user:default/jane';
    let backend: FakeApiTokensBackend;

    beforeEach(() => {
      window.localStorage.clear();
      window.sessionStorage.clear();
      backend = new FakeApiTokensBackend();
    });

    it('is minted once and reused by later page loads in localStorage', async () => {
      const minted = await backend.client(jane).getSessionTemporaryToken();
      const reloaded = await backend.client(jane).getSessionTemporaryToken();
      expect(reloaded).toEqual(minted);
      expect(backend.count('POST', '/v1/tokens/temporary')).toBe(1);
      // The reload asked the backend with the secret itself.
      expect(backend.count('GET', '/v1/self')).toBe(1);
      expect(window.localStorage.length).toBe(1);
      expect(window.sessionStorage.length).toBe(0);
    });

    it('sends the secret, not the session, when checking it', async () => {
      const fetch = jest.fn().mockResolvedValue(json(token));
      window.localStorage.setItem(
        `api-tokens:temporary-token:${jane}`,
        JSON.stringify({
          id: token.id,
          secret: 'bsat_s3cret',
          expiresAt: token.expiresAt,
        }),
      );
      const client = new ApiTokensClient({
        discoveryApi: { getBaseUrl: async () => 'http://backend/api-tokens' },
        fetchApi: { fetch },
        identityApi: mockApis.identity({ userEntityRef: jane }),
      });
      await expect(client.getSessionTemporaryToken()).resolves.toEqual({
        token,
        secret: 'bsat_s3cret',
      });
      expect(fetch).toHaveBeenCalledWith('http://backend/api-tokens/v1/self', {
        headers: { Authorization: 'Bearer bsat_s3cret' },
      });
    });

    it('is replaced after it was revoked here or elsewhere', async () => {
      const client = backend.client(jane);
      const first = await client.getSessionTemporaryToken();
      await client.revokeToken(first.token.id);
      expect(window.localStorage.length).toBe(0);
      const second = await client.getSessionTemporaryToken();
      expect(second.token.id).not.toBe(first.token.id);

      // Revoked in another browser: the next page load finds out.
      await backend
        .client(jane, window.sessionStorage)
        .revokeToken(second.token.id);
      const third = await backend.client(jane).getSessionTemporaryToken();
      expect(third.token.id).not.toBe(second.token.id);
      expect(backend.count('POST', '/v1/tokens/temporary')).toBe(3);
    });

    it('is not minted again when the backend fails the check', async () => {
      await backend.client(jane).getSessionTemporaryToken();
      const fetch = jest
        .fn()
        .mockResolvedValue(
          json({ error: { name: 'Error', message: 'down' } }, 503),
        );
      const client = new ApiTokensClient({
        discoveryApi: { getBaseUrl: async () => 'http://backend/api-tokens' },
        fetchApi: { fetch },
        identityApi: mockApis.identity({ userEntityRef: jane }),
      });
      await expect(client.getSessionTemporaryToken()).rejects.toMatchObject({
        statusCode: 503,
      });
      expect(fetch).toHaveBeenCalledTimes(1);
    });

    it('is removed and revoked by revokeSessionTemporaryToken', async () => {
      const client = backend.client(jane);
      const { token: temporary } = await client.getSessionTemporaryToken();
      await client.revokeSessionTemporaryToken();
      expect(window.localStorage.length).toBe(0);
      expect(backend.count('DELETE', `/v1/tokens/${temporary.id}`)).toBe(1);
      expect(backend.tokens.get(temporary.id)?.token.state).toBe('revoked');
    });
  });

  it('encodes the user ref in user routes', async () => {
    const { client, fetch } = setup(
      json({ items: [] }),
      json({ token, secret: 's3cret' }, 201),
    );
    await client.listUserTokens('user:default/jane');
    await client.createUserToken('user:default/jane', {
      name: 'ci',
      expiresAt: '2026-06-01T00:00:00.000Z',
    });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://localhost:7007/api/api-tokens/v1/users/user%3Adefault%2Fjane/tokens',
    );
    expect(fetch.mock.calls[1]).toEqual([
      'http://localhost:7007/api/api-tokens/v1/users/user%3Adefault%2Fjane/tokens',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          name: 'ci',
          expiresAt: '2026-06-01T00:00:00.000Z',
        }),
      },
    ]);
  });

  describe('scopes', () => {
    const alice = 'user:default/alice';
    const bob = 'user:default/bob';
    let backend: FakeApiTokensBackend;

    beforeEach(() => {
      backend = new FakeApiTokensBackend();
    });

    it('previews a scope for a user, as the backend answers it', async () => {
      const preview = await backend
        .client(alice)
        .previewTokenScope(bob, { plugins: ['catalog'], readOnly: true });
      expect(preview.plugins).toContain('catalog');
      const results = Object.fromEntries(
        preview.permissions.map(p => [p.name, p.result]),
      );
      expect(results).toMatchObject({
        'catalog.entity.read': 'ALLOW',
        'catalog.entity.create': 'DENY',
        'catalog.entity.delete': 'DENY',
        'scaffolder.task.read': 'DENY',
      });
      expect(backend.requests.at(-1)).toEqual({
        method: 'POST',
        path: '/v1/users/user%3Adefault%2Fbob/tokens/preview',
        userRef: alice,
      });
      expect(backend.previewedScopes).toEqual([
        { plugins: ['catalog'], readOnly: true },
      ]);
    });

    it("previews no scope as null, the owner's full power", async () => {
      const { fetch, client } = setup(json({ plugins: [], permissions: [] }));
      await client.previewTokenScope(bob, null);
      expect(fetch).toHaveBeenCalledWith(
        'http://localhost:7007/api/api-tokens/v1/users/user%3Adefault%2Fbob/tokens/preview',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"scope":null}',
        },
      );
    });

    it("throws the backend's message for a scope it refuses", async () => {
      const error = await backend
        .client(alice)
        .previewTokenScope(bob, { plugins: ['catalgo'] })
        .catch(e => e);
      expect(error.statusCode).toBe(400);
      expect(error.cause.message).toBe('Unknown in scope: catalgo');
    });

    it('creates permanent and temporary tokens with a scope', async () => {
      const scope = { permissions: ['catalog.entity.read'] };
      const permanent = await backend
        .client(alice)
        .createUserToken(bob, { name: 'ci', scope });
      expect(permanent.token.scope).toEqual(scope);
      const { items } = await backend.client(alice).listUserTokens(bob);
      expect(items.map(t => t.scope)).toEqual([scope]);

      const temporary = await backend
        .client(bob)
        .createTemporaryToken({ name: 'script', scope: { readOnly: true } });
      expect(temporary.token).toMatchObject({
        name: 'script',
        scope: { readOnly: true },
      });
      // Without a request, the body stays empty: the owner's full power.
      const unscoped = await backend.client(bob).createTemporaryToken();
      expect(unscoped.token.scope).toBeNull();
    });
  });

  it('revokes and deletes with 204 answers', async () => {
    const { client, fetch } = setup(
      new Response(null, { status: 204 }),
      new Response(null, { status: 204 }),
    );
    await expect(client.revokeToken('t1')).resolves.toBeUndefined();
    await expect(
      client.deleteSetting('EnableUserTokenNotification'),
    ).resolves.toBeUndefined();
    expect(fetch.mock.calls.map(call => [call[0], call[1].method])).toEqual([
      ['http://localhost:7007/api/api-tokens/v1/tokens/t1', 'DELETE'],
      [
        'http://localhost:7007/api/api-tokens/v1/settings/EnableUserTokenNotification',
        'DELETE',
      ],
    ]);
  });

  it('puts a setting as app-config', async () => {
    const setting = {
      type: 'app-config',
      key: 'EnableUserTokenNotification',
      value: '15',
      updatedAt: '2026-01-01T00:00:00.000Z',
      updatedBy: 'user:default/alice',
    };
    const { client, fetch } = setup(json(setting));
    await expect(
      client.updateSetting('EnableUserTokenNotification', '15'),
    ).resolves.toEqual(setting);
    expect(fetch.mock.calls[0][1]).toEqual({
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'app-config', value: '15' }),
    });
  });

  it('encodes a space in a query value as %20, which every parameter of the backend accepts, not +', async () => {
    const { client, fetch } = setup(json({ items: [] }));
    await client.listAllTokens({ q: 'console check' });
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/api-tokens/v1/tokens/all?q=console%20check',
      { method: 'GET' },
    );
  });

  it('filters faults', async () => {
    const { client, fetch } = setup(json({ items: [] }), json({ items: [] }));
    await client.listFaults({
      status: 'open',
      ownerRef: 'user:default/jane',
      limit: 50,
    });
    await client.listFaults();
    expect(fetch.mock.calls[0][0]).toBe(
      'http://localhost:7007/api/api-tokens/v1/faults?status=open&ownerRef=user%3Adefault%2Fjane&limit=50',
    );
    expect(fetch.mock.calls[1][0]).toBe(
      'http://localhost:7007/api/api-tokens/v1/faults',
    );
  });

  it('throws the server error with its message', async () => {
    const { client } = setup(
      json(
        {
          error: {
            name: 'InputError',
            message: 'EnableUserTokenNotification must be whole days',
          },
          request: { method: 'PUT', url: '/v1/settings/x' },
          response: { statusCode: 400 },
        },
        400,
      ),
    );
    const error = await client
      .updateSetting('EnableUserTokenNotification', 'x')
      .catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(400);
    expect(error.cause.message).toBe(
      'EnableUserTokenNotification must be whole days',
    );
  });
});
