import { mockApis } from '@backstage/test-utils';
import { ApiToken } from '@internal/plugin-api-tokens-common';
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

  it("keeps the session's temporary token until it is forgotten", async () => {
    window.sessionStorage.clear();
    const temporary = {
      ...token,
      kind: 'temporary',
      expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString(),
    };
    const { client, fetch } = setup(
      json({ token: temporary, secret: 's3cret' }, 201),
      json({ token: { ...temporary, id: 't2' }, secret: 'n3w' }, 201),
    );
    const created = { token: temporary, secret: 's3cret' };
    await expect(client.getSessionTemporaryToken()).resolves.toEqual(created);
    await expect(client.getSessionTemporaryToken()).resolves.toEqual(created);
    expect(fetch).toHaveBeenCalledTimes(1);

    client.forgetSessionTemporaryToken();
    await expect(client.getSessionTemporaryToken()).resolves.toMatchObject({
      secret: 'n3w',
    });
    expect(fetch).toHaveBeenCalledTimes(2);
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
