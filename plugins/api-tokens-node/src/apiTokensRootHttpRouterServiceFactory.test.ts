import {
  API_TOKEN_EXPIRATION_HEADER,
  generateApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import request from 'supertest';
import {
  exchangedUserToken,
  startProbeBackend,
  TOKEN_EXPIRES_AT,
} from './__testUtils__/startProbeBackend';

const HEADER = API_TOKEN_EXPIRATION_HEADER.toLowerCase();

describe('apiTokensRootHttpRouterServiceFactory', () => {
  function startBackend() {
    return startProbeBackend({
      apiTokensRootHttpRouter: true,
      config: {
        // The tests play the one proxy in front of the backend, which
        // reports each client's address.
        apiTokens: { failureLimit: { maxFailures: 2, trustProxy: 1 } },
      },
    });
  }

  it('sets the expiry header on responses to requests made with an API token', async () => {
    const { server } = await startBackend();
    const token = generateApiToken();

    for (let i = 0; i < 2; i++) {
      const response = await request(server)
        .get('/api/probe-a/whoami')
        .set('authorization', `Bearer ${token}`);
      expect(response.status).toBe(200);
      expect(response.headers[HEADER]).toBe(TOKEN_EXPIRES_AT);
    }
  });

  it('sets the header when the plugin reads a body after authentication', async () => {
    const { server } = await startBackend();
    const body = { data: 'x'.repeat(100_000) };

    const response = await request(server)
      .post('/api/probe-a/echo')
      .set('authorization', `Bearer ${generateApiToken()}`)
      .send(body);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(body);
    expect(response.headers[HEADER]).toBe(TOKEN_EXPIRES_AT);
  });

  it('sets no header when the token is refused or is not an API token', async () => {
    const { server, refreshRoute } = await startBackend();
    refreshRoute.answer = { status: 401, message: 'API token has expired' };

    const refused = await request(server)
      .get('/api/probe-a/whoami')
      .set('authorization', `Bearer ${generateApiToken()}`);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('API token has expired');
    expect(refused.headers).not.toHaveProperty(HEADER);

    const other = await request(server)
      .get('/api/probe-a/whoami')
      .set('authorization', 'Bearer static-token-1');
    expect(other.status).toBe(200);
    expect(other.headers).not.toHaveProperty(HEADER);
  });

  it('answers 429 to an address that keeps failing, and only to it', async () => {
    const { server, refreshRoute } = await startBackend();
    const whoami = (address: string, token: string) =>
      request(server)
        .get('/api/probe-a/whoami')
        .set('x-forwarded-for', address)
        .set('authorization', `Bearer ${token}`);

    refreshRoute.answer = { status: 401, message: 'Invalid API token' };
    for (let i = 0; i < 2; i++) {
      expect((await whoami('203.0.113.7', generateApiToken())).status).toBe(
        401,
      );
    }

    refreshRoute.answer = 'accept';
    const refused = await whoami('203.0.113.7', generateApiToken());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.error.name).toBe('TooManyRequestsError');
    expect(refused.headers).not.toHaveProperty(HEADER);

    const other = await whoami('198.51.100.1', generateApiToken());
    expect(other.status).toBe(200);
    expect(other.headers[HEADER]).toBe(TOKEN_EXPIRES_AT);
  });

  it('serves the backend as the default router does', async () => {
    const { server } = await startBackend();

    expect(
      (await request(server).get('/.backstage/health/v1/liveness')).status,
    ).toBe(200);
    expect((await request(server).get('/api/no-such-plugin')).status).toBe(404);
  });

  describe('the cookie endpoint', () => {
    const cookiePaths = [
      '/api/probe-a/.backstage/auth/v1/cookie',
      '/api/probe-a/.BACKSTAGE/auth/v1/Cookie/',
      '/api/probe-a/.backstage/auth/v1/%63ookie?x=1',
    ];

    it.each(cookiePaths)(
      'refuses API tokens and tokens exchanged for one at %s',
      async path => {
        const { server, refreshRoute } = await startBackend();

        for (const token of [generateApiToken(), exchangedUserToken(1)]) {
          for (const method of ['get', 'delete'] as const) {
            const response = await request(server)
              [method](path)
              .set('authorization', `Bearer ${token}`);
            expect(response.status).toBe(403);
            expect(response.body.error).toEqual({
              name: 'NotAllowedError',
              message:
                'API tokens cannot be used to get a session cookie; sign in to the portal instead',
            });
          }
        }
        expect(refreshRoute.exchangedTokens).toEqual([]);
      },
    );

    it('lets other tokens through to the endpoint', async () => {
      const { server } = await startBackend();

      const response = await request(server)
        .get('/api/probe-a/.backstage/auth/v1/cookie')
        .set('authorization', 'Bearer static-token-1');
      expect(response.status).not.toBe(403);
    });
  });
});
