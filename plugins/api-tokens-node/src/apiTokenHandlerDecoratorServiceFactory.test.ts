import {
  PluginTokenHandler,
  pluginTokenHandlerDecoratorServiceRef,
} from '@backstage/backend-defaults/auth';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AuthenticationError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  API_TOKEN_EXPIRATION_HEADER,
  generateApiToken,
} from '@internal/plugin-api-tokens-common';
import express from 'express';
import request from 'supertest';
import { apiTokenHandlerDecoratorServiceFactory } from './apiTokenHandlerDecoratorServiceFactory';
import { createApiTokenExpirationMiddleware } from './createApiTokenExpirationMiddleware';

const TOKEN_EXPIRES_AT = '2027-03-01T12:00:00.000Z';

type RefreshAnswer =
  | 'accept'
  | { status: number; message: string }
  | { hangUp: true };

/**
 * Stands in for the auth backend with the api-token provider module:
 * `POST /api/auth/api-token/refresh` answers whatever the test sets in
 * `answer`, counting the exchanges.
 */
function createRefreshRouteStandIn() {
  const standIn = {
    exchangedTokens: new Array<string>(),
    answer: 'accept' as RefreshAnswer,
    delayMs: 0,
    plugin: createBackendPlugin({
      pluginId: 'auth',
      register(reg) {
        reg.registerInit({
          deps: { httpRouter: coreServices.httpRouter },
          async init({ httpRouter }) {
            const router = express.Router();
            router.post('/api-token/refresh', (req, res) => {
              standIn.exchangedTokens.push(
                req.headers.authorization?.replace(/^Bearer /, '') ?? '',
              );
              const number = standIn.exchangedTokens.length;
              const answer = standIn.answer;
              setTimeout(() => {
                if (answer === 'accept') {
                  res.json({
                    profile: {},
                    providerInfo: {
                      tokenId: 'token-1',
                      ownerRef: 'user:default/bob',
                      expiresAt: TOKEN_EXPIRES_AT,
                    },
                    backstageIdentity: {
                      token: `user-token-${number}`,
                      expiresInSeconds: 3600,
                      identity: {
                        type: 'user',
                        userEntityRef: 'user:default/bob',
                        ownershipEntityRefs: ['user:default/bob'],
                      },
                    },
                  });
                } else if ('hangUp' in answer) {
                  req.socket.destroy();
                } else {
                  res.status(answer.status).json({
                    error: { name: 'Error', message: answer.message },
                    response: { statusCode: answer.status },
                  });
                }
              }, standIn.delayMs);
            });
            httpRouter.use(router);
            httpRouter.addAuthPolicy({
              path: '/api-token/refresh',
              allow: 'unauthenticated',
            });
          },
        });
      },
    }),
  };
  return standIn;
}

/** A handler that stands for Backstage's own plugin token handler. */
function createDefaultHandler() {
  return {
    verifyToken: jest.fn(async (_token: string) => ({
      subject: 'plugin:catalog',
    })),
    issueToken: jest.fn(async () => ({ token: 'plugin-token' })),
  };
}

interface Probe {
  handler: PluginTokenHandler;
  defaultHandler: ReturnType<typeof createDefaultHandler>;
}

/**
 * A plugin that decorates a stand-in default handler with the decorator it
 * is given, like the default auth service does, and serves `GET /whoami`
 * behind the expiration middleware.
 */
function createProbePlugin(pluginId: string, probes: Map<string, Probe>) {
  return createBackendPlugin({
    pluginId,
    register(reg) {
      reg.registerInit({
        deps: {
          decorate: pluginTokenHandlerDecoratorServiceRef,
          httpRouter: coreServices.httpRouter,
        },
        async init({ decorate, httpRouter }) {
          const defaultHandler = createDefaultHandler();
          const handler = decorate(defaultHandler);
          probes.set(pluginId, { handler, defaultHandler });

          // The middleware belongs on the root router, in front of every
          // plugin's auth; mounting it before a route that authenticates by
          // itself gives the same order.
          const router = express.Router();
          router.use(createApiTokenExpirationMiddleware());
          router.get('/whoami', (req, res, next) => {
            const token = req.headers.authorization?.replace(/^Bearer /, '');
            handler
              .verifyToken(token ?? '')
              .then(result => res.json(result), next);
          });
          // Like the credentials barrier in front of a plugin's own routes:
          // authentication first, then the plugin parses the body.
          router.post(
            '/echo',
            (req, _res, next) => {
              const token = req.headers.authorization?.replace(/^Bearer /, '');
              handler.verifyToken(token ?? '').then(() => next(), next);
            },
            express.json(),
            (req, res) => {
              res.json(req.body);
            },
          );
          httpRouter.use(router);
          httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        },
      });
    },
  });
}

async function startBackend(config?: { ttl: string }) {
  const refreshRoute = createRefreshRouteStandIn();
  const probes = new Map<string, Probe>();
  const backend = await startTestBackend({
    features: [
      apiTokenHandlerDecoratorServiceFactory,
      mockServices.rootConfig.factory({
        data: config ? { apiTokens: { cache: { ttl: config.ttl } } } : {},
      }),
      refreshRoute.plugin,
      createProbePlugin('probe-a', probes),
      createProbePlugin('probe-b', probes),
    ],
  });
  return {
    backend,
    refreshRoute,
    handler: probes.get('probe-a')!.handler,
    defaultHandler: probes.get('probe-a')!.defaultHandler,
    otherPluginHandler: probes.get('probe-b')!.handler,
  };
}

/** Moves `Date.now()` forward without touching timers. */
function mockClock() {
  const realNow = Date.now.bind(Date);
  let offset = 0;
  jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
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
    const { handler, refreshRoute } = await startBackend();
    const token = generateApiToken();

    await expect(handler.verifyToken(token)).resolves.toEqual({
      subject: 'external:api-token',
      limitedUserToken: 'user-token-1',
    });
    expect(refreshRoute.exchangedTokens).toEqual([token]);
  });

  it('hands every other token to the default handler untouched', async () => {
    const { handler, defaultHandler, refreshRoute } = await startBackend();

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
    const { handler, refreshRoute } = await startBackend();
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
    const { handler, refreshRoute } = await startBackend();
    refreshRoute.delayMs = 50;
    const token = generateApiToken();

    const results = await Promise.all(
      Array.from({ length: 100 }, () => handler.verifyToken(token)),
    );

    expect(new Set(results.map(r => r?.limitedUserToken))).toEqual(
      new Set(['user-token-1']),
    );
    expect(refreshRoute.exchangedTokens).toHaveLength(1);
  });

  it('shares the cache between plugins', async () => {
    const { handler, otherPluginHandler, refreshRoute } = await startBackend();
    const token = generateApiToken();

    await handler.verifyToken(token);
    await expect(otherPluginHandler.verifyToken(token)).resolves.toEqual({
      subject: 'external:api-token',
      limitedUserToken: 'user-token-1',
    });
    expect(refreshRoute.exchangedTokens).toHaveLength(1);
  });

  it('exchanges again after the TTL, so a revoked token stops working', async () => {
    const clock = mockClock();
    const { handler, refreshRoute } = await startBackend();
    const token = generateApiToken();

    await handler.verifyToken(token);
    refreshRoute.answer = {
      status: 401,
      message: 'API token has been revoked',
    };
    clock.advance(3_900);
    await expect(handler.verifyToken(token)).resolves.toMatchObject({
      limitedUserToken: 'user-token-1',
    });

    clock.advance(100);
    await expect(handler.verifyToken(token)).rejects.toThrow(
      new AuthenticationError('API token has been revoked'),
    );
    expect(refreshRoute.exchangedTokens).toHaveLength(2);
  });

  it('takes the TTL from apiTokens.cache.ttl', async () => {
    const clock = mockClock();
    const { handler, refreshRoute } = await startBackend({ ttl: '1s' });
    const token = generateApiToken();

    await handler.verifyToken(token);
    clock.advance(1_000);
    await expect(handler.verifyToken(token)).resolves.toMatchObject({
      limitedUserToken: 'user-token-2',
    });
    expect(refreshRoute.exchangedTokens).toHaveLength(2);
  });

  it('remembers a refusal for 2 seconds', async () => {
    const clock = mockClock();
    const { handler, refreshRoute } = await startBackend();
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
      limitedUserToken: 'user-token-2',
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
      const { handler, refreshRoute } = await startBackend();
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
        limitedUserToken: 'user-token-3',
      });
    },
  );

  describe('with the expiration middleware', () => {
    it('sets the expiry header on responses to requests made with an API token', async () => {
      const { backend } = await startBackend();
      const token = generateApiToken();

      for (let i = 0; i < 2; i++) {
        const response = await request(backend.server)
          .get('/api/probe-a/whoami')
          .set('authorization', `Bearer ${token}`);
        expect(response.status).toBe(200);
        expect(
          response.headers[API_TOKEN_EXPIRATION_HEADER.toLowerCase()],
        ).toBe(TOKEN_EXPIRES_AT);
      }
    });

    it('sets the header when the plugin reads a body after authentication', async () => {
      const { backend } = await startBackend();
      const body = { data: 'x'.repeat(100_000) };

      const response = await request(backend.server)
        .post('/api/probe-a/echo')
        .set('authorization', `Bearer ${generateApiToken()}`)
        .send(body);

      expect(response.status).toBe(200);
      expect(response.body).toEqual(body);
      expect(response.headers[API_TOKEN_EXPIRATION_HEADER.toLowerCase()]).toBe(
        TOKEN_EXPIRES_AT,
      );
    });

    it('sets no header when the token is refused or is not an API token', async () => {
      const { backend, refreshRoute } = await startBackend();
      refreshRoute.answer = { status: 401, message: 'API token has expired' };

      const refused = await request(backend.server)
        .get('/api/probe-a/whoami')
        .set('authorization', `Bearer ${generateApiToken()}`);
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toBe('API token has expired');
      expect(refused.headers).not.toHaveProperty(
        API_TOKEN_EXPIRATION_HEADER.toLowerCase(),
      );

      const other = await request(backend.server)
        .get('/api/probe-a/whoami')
        .set('authorization', 'Bearer static-token-1');
      expect(other.status).toBe(200);
      expect(other.headers).not.toHaveProperty(
        API_TOKEN_EXPIRATION_HEADER.toLowerCase(),
      );
    });
  });
});
