import {
  AuthenticationError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { generateApiToken } from '@internal/plugin-api-tokens-common';
import {
  exchangedUserToken,
  RefreshAnswer,
  startProbeBackend,
} from './__testUtils__/startProbeBackend';

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
});
