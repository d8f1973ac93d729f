import {
  AuthenticationError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { generateApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import request from 'supertest';
import { announceApiTokenRevoked } from './apiTokenRevocations';
import {
  encodeJwt,
  exchangedUserToken,
  RefreshAnswer,
  startProbeBackend,
  TOKEN_EXPIRES_AT,
  TOKEN_ID,
} from './__testUtils__/startProbeBackend';
import { eventually } from './__testUtils__/eventually';

/**
 * Stops `Date.now()`, so that only the test moves it, without touching
 * timers: however slow the machine, no time passes between two steps.
 */
function mockClock() {
  const startedAt = Date.now();
  let offset = 0;
  jest.spyOn(Date, 'now').mockImplementation(() => startedAt + offset);
  return {
    advance(ms: number) {
      offset += ms;
    },
  };
}

describe('apiTokenHandlerDecoratorServiceFactory', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it("exchanges an API token for its owner's user token", async () => {
    const { handler, refreshRoute } = await startProbeBackend();
    const token = generateApiToken();

    await expect(handler.verifyToken(token)).resolves.toEqual({
      subject: 'external:api-token',
      limitedUserToken: exchangedUserToken(1),
    });
    expect(refreshRoute.exchangedTokens).toEqual([token]);
  });

  it('hands every other token to the default handler untouched', async () => {
    const { handler, defaultHandler, refreshRoute } = await startProbeBackend();

    for (const token of ['eyJhbGciOiJFUzI1NiJ9.e30.sig', 'static-token-1']) {
      await expect(handler.verifyToken(token)).resolves.toEqual({
        subject: 'plugin:catalog',
      });
      expect(defaultHandler.verifyToken).toHaveBeenLastCalledWith(token);
    }
    const issueOptions = { pluginId: 'probe-a', targetPluginId: 'catalog' };
    await expect(handler.issueToken(issueOptions)).resolves.toEqual({
      token: 'plugin-token',
    });
    expect(defaultHandler.issueToken).toHaveBeenCalledWith(issueOptions);
    expect(refreshRoute.exchangedTokens).toEqual([]);
  });

  it('refuses a malformed API token without any exchange', async () => {
    const { handler, refreshRoute } = await startProbeBackend();
    const token = generateApiToken();
    const badChecksum = `${token.slice(0, -1)}${
      token.endsWith('0') ? '1' : '0'
    }`;

    for (const malformed of [badChecksum, 'bsat_', `${token}x`]) {
      await expect(handler.verifyToken(malformed)).rejects.toThrow(
        new AuthenticationError('Invalid API token'),
      );
    }
    expect(refreshRoute.exchangedTokens).toEqual([]);
  });

  it('makes one exchange for 100 concurrent first uses', async () => {
    const { handler, refreshRoute } = await startProbeBackend();
    const token = generateApiToken();

    const results = await Promise.all(
      Array.from({ length: 100 }, () => handler.verifyToken(token)),
    );

    expect(new Set(results.map(r => r?.limitedUserToken))).toEqual(
      new Set([exchangedUserToken(1)]),
    );
    expect(refreshRoute.exchangedTokens).toHaveLength(1);
  });

  it('shares the cache between plugins', async () => {
    const { handler, otherPluginHandler, refreshRoute } =
      await startProbeBackend();
    const token = generateApiToken();

    await handler.verifyToken(token);
    await expect(otherPluginHandler.verifyToken(token)).resolves.toEqual({
      subject: 'external:api-token',
      limitedUserToken: exchangedUserToken(1),
    });
    expect(refreshRoute.exchangedTokens).toHaveLength(1);
  });

  it('exchanges a token in use again in the background, as a call of its own', async () => {
    const clock = mockClock();
    const { handler, refreshRoute } = await startProbeBackend();
    const token = generateApiToken();

    await handler.verifyToken(token);
    clock.advance(2_999);
    await handler.verifyToken(token);
    expect(refreshRoute.exchangedTokens).toHaveLength(1);

    clock.advance(1);
    // Answered from the cache while the exchange runs.
    await expect(handler.verifyToken(token)).resolves.toMatchObject({
      limitedUserToken: exchangedUserToken(1),
    });
    await eventually(async () =>
      expect(await handler.verifyToken(token)).toMatchObject({
        limitedUserToken: exchangedUserToken(2),
      }),
    );
    // Its marker outlives the request that started it, so the failure
    // limiter does not count it against the backend's own address.
    expect(refreshRoute.internalCalls).toEqual([false, true]);
  });

  it('exchanges again after the TTL, so a revoked token stops working', async () => {
    const clock = mockClock();
    const { handler, refreshRoute } = await startProbeBackend();
    const token = generateApiToken();

    await handler.verifyToken(token);
    refreshRoute.answer = {
      status: 401,
      message: 'API token has been revoked',
    };
    clock.advance(3_900);
    await expect(handler.verifyToken(token)).resolves.toMatchObject({
      limitedUserToken: exchangedUserToken(1),
    });

    clock.advance(100);
    await expect(handler.verifyToken(token)).rejects.toThrow(
      new AuthenticationError('API token has been revoked'),
    );
    expect(refreshRoute.exchangedTokens).toHaveLength(2);
  });

  it('forgets what it cached for a token as soon as its revocation is announced in this process', async () => {
    const { handler, refreshRoute, stateRoute } = await startProbeBackend();
    const token = generateApiToken();

    await handler.verifyToken(token);
    refreshRoute.answer = {
      status: 401,
      message: 'API token has been revoked',
    };
    stateRoute.answers.set(TOKEN_ID, {
      active: false,
      expiresAt: TOKEN_EXPIRES_AT,
    });
    announceApiTokenRevoked(TOKEN_ID);

    await expect(handler.verifyToken(token)).rejects.toThrow(
      new AuthenticationError('API token has been revoked'),
    );
    await expect(handler.verifyToken(exchangedUserToken(1))).rejects.toThrow(
      new AuthenticationError('API token has been revoked'),
    );
    expect(refreshRoute.exchangedTokens).toHaveLength(2);
  });

  it('forgets what it cached for a token within a second of another replica putting its revocation in the shared cache', async () => {
    // The local Redis that the test command starts.
    const redis =
      process.env.API_TOKENS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const config = {
      backend: { cache: { store: 'redis', connection: redis } },
      apiTokens: { cache: { ttl: '30s' } },
    };
    const { handler, stateRoute } = await startProbeBackend({ config });
    const token = generateApiToken();
    await handler.verifyToken(token);
    stateRoute.answers.set(TOKEN_ID, {
      active: false,
      expiresAt: TOKEN_EXPIRES_AT,
    });

    // Another replica's api-tokens backend, through its own cache service.
    const otherReplica = CacheManager.fromConfig(
      new ConfigReader(config),
    ).forPlugin('api-tokens');
    await otherReplica.set('revocations', [[TOKEN_ID, Date.now()]]);
    const revokedAt = Date.now();
    let refused = false;
    while (!refused && Date.now() - revokedAt < 1_000) {
      refused = await handler.verifyToken(token).then(
        () => false,
        () => true,
      );
      await new Promise(resolve => setTimeout(resolve, 20));
    }

    expect(refused).toBe(true);
    await expect(handler.verifyToken(token)).rejects.toThrow(
      new AuthenticationError('API token has been revoked'),
    );
  });

  it('takes the TTL from apiTokens.cache.ttl', async () => {
    const clock = mockClock();
    const { handler, refreshRoute } = await startProbeBackend({
      config: { apiTokens: { cache: { ttl: '1s' } } },
    });
    const token = generateApiToken();

    await handler.verifyToken(token);
    clock.advance(1_000);
    await expect(handler.verifyToken(token)).resolves.toMatchObject({
      limitedUserToken: exchangedUserToken(2),
    });
    expect(refreshRoute.exchangedTokens).toHaveLength(2);
  });

  it('remembers a refusal for 2 seconds', async () => {
    const clock = mockClock();
    const { handler, refreshRoute } = await startProbeBackend();
    refreshRoute.answer = { status: 401, message: 'API token has expired' };
    const token = generateApiToken();

    for (let i = 0; i < 3; i++) {
      await expect(handler.verifyToken(token)).rejects.toThrow(
        new AuthenticationError('API token has expired'),
      );
    }
    expect(refreshRoute.exchangedTokens).toHaveLength(1);

    clock.advance(2_000);
    refreshRoute.answer = 'accept';
    await expect(handler.verifyToken(token)).resolves.toMatchObject({
      limitedUserToken: exchangedUserToken(2),
    });
  });

  it.each([
    [{ status: 503, message: 'API token verification is unavailable' }],
    [{ status: 500, message: 'boom' }],
    [{ status: 404, message: "No auth provider registered for 'api-token'" }],
    [{ hangUp: true as const }],
  ])(
    'reports %j as unavailable and remembers nothing',
    async (answer: RefreshAnswer) => {
      const { handler, refreshRoute } = await startProbeBackend();
      refreshRoute.answer = answer;
      const token = generateApiToken();

      await expect(handler.verifyToken(token)).rejects.toThrow(
        ServiceUnavailableError,
      );
      await expect(handler.verifyToken(token)).rejects.toThrow(
        ServiceUnavailableError,
      );
      expect(refreshRoute.exchangedTokens).toHaveLength(2);

      refreshRoute.answer = 'accept';
      await expect(handler.verifyToken(token)).resolves.toMatchObject({
        limitedUserToken: exchangedUserToken(3),
      });
    },
  );

  describe('unusable exchange answers', () => {
    const header = { typ: 'vnd.backstage.user', alg: 'ES256', kid: 'key-1' };
    const claims = {
      sub: 'user:default/bob',
      exp: 4_102_444_800,
      api_token_id: TOKEN_ID,
    };
    const providerInfo = {
      tokenId: TOKEN_ID,
      ownerRef: 'user:default/bob',
      expiresAt: TOKEN_EXPIRES_AT,
    };
    const answer = (
      token: unknown,
      info: Record<string, unknown> = providerInfo,
    ) => ({
      body: {
        profile: {},
        providerInfo: info,
        backstageIdentity: { token, expiresInSeconds: 3600 },
      },
    });
    const without = (object: Record<string, unknown>, key: string) =>
      Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));

    it.each([
      ['an empty token', answer('')],
      ['no token', answer(undefined)],
      ['no backstageIdentity', { body: { profile: {}, providerInfo } }],
      ['a token that is not a JWT', answer('not-a-jwt')],
      ['a token of two segments', answer('eyJhbGciOiJFUzI1NiJ9.e30')],
      ['an unsigned JWT', answer(encodeJwt({ alg: 'none' }, claims, ''))],
      [
        'a JWT with alg none',
        answer(encodeJwt({ ...header, alg: 'none' }, claims)),
      ],
      ['a JWT without sub', answer(encodeJwt(header, without(claims, 'sub')))],
      [
        'a JWT of a group',
        answer(encodeJwt(header, { ...claims, sub: 'group:default/team-a' })),
      ],
      ['a JWT without exp', answer(encodeJwt(header, without(claims, 'exp')))],
      [
        'a JWT of another API token',
        answer(encodeJwt(header, { ...claims, api_token_id: 'token-2' })),
      ],
      [
        'a JWT of another user',
        answer(encodeJwt(header, { ...claims, sub: 'user:default/alice' })),
      ],
      [
        'no ownerRef',
        answer(encodeJwt(header, claims), without(providerInfo, 'ownerRef')),
      ],
      [
        'no expiresAt',
        answer(encodeJwt(header, claims), without(providerInfo, 'expiresAt')),
      ],
      [
        'no tokenId',
        answer(encodeJwt(header, claims), without(providerInfo, 'tokenId')),
      ],
    ])(
      'refuses an answer with %s with 503, never as a service',
      async (_case, refreshAnswer: RefreshAnswer) => {
        const { server, refreshRoute } = await startProbeBackend({
          realAuth: true,
        });
        refreshRoute.answer = refreshAnswer;

        const response = await request(server)
          .get('/api/principal')
          .set('authorization', `Bearer ${generateApiToken()}`);

        expect(response.status).toBe(503);
        expect(response.body.error.name).toBe('ServiceUnavailableError');
        expect(response.body.error.message).toMatch(/malformed answer/);
        expect(response.body).not.toHaveProperty('type');
      },
    );
  });

  describe('tokens exchanged from an API token', () => {
    const FUTURE = '2099-01-01T00:00:00.000Z';

    it("are handed on while their API token is active, asked for with the plugin's own token", async () => {
      const { handler, defaultHandler, stateRoute } = await startProbeBackend();
      stateRoute.answers.set(TOKEN_ID, { active: true, expiresAt: FUTURE });
      const token = exchangedUserToken(1);

      await expect(handler.verifyToken(token)).resolves.toEqual({
        subject: 'plugin:catalog',
      });
      expect(defaultHandler.verifyToken).toHaveBeenLastCalledWith(token);
      expect(defaultHandler.issueToken).toHaveBeenCalledWith({
        pluginId: 'probe-a',
        targetPluginId: 'api-tokens',
      });
      expect(stateRoute.calls).toEqual([
        { tokenId: TOKEN_ID, authorization: 'Bearer plugin-token' },
      ]);
    });

    it.each([
      [{ active: false, expiresAt: FUTURE }, 'API token has been revoked'],
      [
        { active: false, expiresAt: '2020-01-01T00:00:00.000Z' },
        'API token has expired',
      ],
      [
        { active: true, expiresAt: '2020-01-01T00:00:00.000Z' },
        'API token has expired',
      ],
    ])('are refused when the state is %j', async (state, message) => {
      const { handler, defaultHandler, stateRoute } = await startProbeBackend();
      stateRoute.answers.set(TOKEN_ID, state);

      await expect(handler.verifyToken(exchangedUserToken(1))).rejects.toThrow(
        new AuthenticationError(message),
      );
      expect(defaultHandler.verifyToken).not.toHaveBeenCalled();
    });

    it('are refused when their API token does not exist', async () => {
      const { handler } = await startProbeBackend();

      await expect(
        handler.verifyToken(exchangedUserToken(1, 'no-such-token')),
      ).rejects.toThrow(new AuthenticationError('Invalid API token'));
    });

    it('are refused without asking when the claim cannot name an API token', async () => {
      const { handler, stateRoute } = await startProbeBackend();

      for (const tokenId of ['a b', 42, '../../v1/tokens']) {
        const token = encodeJwt(
          { alg: 'ES256' },
          { sub: 'user:default/bob', api_token_id: tokenId },
        );
        await expect(handler.verifyToken(token)).rejects.toThrow(
          new AuthenticationError('Invalid API token'),
        );
      }
      expect(stateRoute.calls).toEqual([]);
    });

    it('are refused with 503 and nothing remembered while the state cannot be had', async () => {
      const { handler, stateRoute } = await startProbeBackend();
      stateRoute.answers.set(TOKEN_ID, { status: 500, message: 'boom' });

      await expect(handler.verifyToken(exchangedUserToken(1))).rejects.toThrow(
        ServiceUnavailableError,
      );
      stateRoute.answers.set(TOKEN_ID, { active: true, expiresAt: FUTURE });
      await expect(
        handler.verifyToken(exchangedUserToken(1)),
      ).resolves.toBeDefined();
    });

    it('stop working within the cache TTL of the revocation, and at the expiry at once', async () => {
      const clock = mockClock();
      const { handler, stateRoute } = await startProbeBackend();
      const expiresAt = new Date(Date.now() + 10_000).toISOString();
      stateRoute.answers.set(TOKEN_ID, { active: true, expiresAt });
      const token = exchangedUserToken(1);

      await handler.verifyToken(token);
      stateRoute.answers.set(TOKEN_ID, { active: false, expiresAt });
      clock.advance(3_900);
      await expect(handler.verifyToken(token)).resolves.toBeDefined();
      clock.advance(100);
      await expect(handler.verifyToken(token)).rejects.toThrow(
        new AuthenticationError('API token has been revoked'),
      );

      // Another token with the same expiry, checked once the revocation has
      // left the cache.
      stateRoute.answers.set(TOKEN_ID, { active: true, expiresAt });
      clock.advance(4_000);
      await expect(handler.verifyToken(token)).resolves.toBeDefined();
      // Cached a moment ago, but the expiry is checked on every use.
      clock.advance(2_500);
      await expect(handler.verifyToken(token)).rejects.toThrow(
        new AuthenticationError('API token has expired'),
      );
      expect(stateRoute.calls).toHaveLength(3);
    });
  });
});
