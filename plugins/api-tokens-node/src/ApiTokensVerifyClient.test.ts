import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  AuthenticationError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { generateApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import express from 'express';
import { ApiTokensVerifyClient } from './ApiTokensVerifyClient';

type VerifyAnswer = { status: number; body?: unknown } | { hangUp: true };

/**
 * Stands in for the api-tokens backend's verify route, which is written
 * elsewhere: answers whatever the test sets in `answer` and records the
 * callers.
 */
function createVerifyRouteStandIn() {
  const calls: Array<{ token: unknown; caller: string }> = [];
  const standIn = {
    calls,
    answer: { status: 200 } as VerifyAnswer,
    plugin: createBackendPlugin({
      pluginId: 'api-tokens',
      register(reg) {
        reg.registerInit({
          deps: {
            httpRouter: coreServices.httpRouter,
            httpAuth: coreServices.httpAuth,
          },
          async init({ httpRouter, httpAuth }) {
            const router = express.Router();
            router.use(express.json());
            router.post('/internal/verify', (req, res, next) => {
              verify(req, res).catch(next);
            });
            async function verify(req: express.Request, res: express.Response) {
              const credentials = await httpAuth.credentials(req, {
                allow: ['service'],
              });
              if (credentials.principal.subject !== 'plugin:auth') {
                throw new NotAllowedError('Only the auth plugin may verify');
              }
              calls.push({
                token: req.body.token,
                caller: credentials.principal.subject,
              });
              const answer = standIn.answer;
              if ('hangUp' in answer) {
                req.socket.destroy();
                return;
              }
              res.status(answer.status).json(
                answer.body ?? {
                  tokenId: 'token-1',
                  ownerRef: 'user:default/bob',
                  expiresAt: '2027-01-01T00:00:00.000Z',
                },
              );
            }
            httpRouter.use(router);
          },
        });
      },
    }),
  };
  return standIn;
}

/** The client as the auth plugin holds it. */
async function startAuthWithClient(options: { withVerifyRoute: boolean }) {
  const verifyRoute = createVerifyRouteStandIn();
  let client: ApiTokensVerifyClient | undefined;
  await startTestBackend({
    features: [
      createBackendPlugin({
        pluginId: 'auth',
        register(reg) {
          reg.registerInit({
            deps: {
              auth: coreServices.auth,
              discovery: coreServices.discovery,
            },
            async init({ auth, discovery }) {
              client = ApiTokensVerifyClient.create({ auth, discovery });
            },
          });
        },
      }),
      ...(options.withVerifyRoute ? [verifyRoute.plugin] : []),
    ],
  });
  return { client: client!, verifyRoute };
}

describe('ApiTokensVerifyClient', () => {
  const token = generateApiToken();

  it('verifies a token as the auth plugin', async () => {
    const { client, verifyRoute } = await startAuthWithClient({
      withVerifyRoute: true,
    });

    await expect(client.verifyToken(token)).resolves.toEqual({
      tokenId: 'token-1',
      ownerRef: 'user:default/bob',
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
    expect(verifyRoute.calls).toEqual([{ token, caller: 'plugin:auth' }]);
  });

  it('refuses a malformed token without calling the backend', async () => {
    const { client, verifyRoute } = await startAuthWithClient({
      withVerifyRoute: true,
    });
    const badChecksum = `${token.slice(0, -1)}${
      token.endsWith('0') ? '1' : '0'
    }`;

    for (const malformed of [badChecksum, 'bsat_short', 'not-a-token']) {
      await expect(client.verifyToken(malformed)).rejects.toThrow(
        new AuthenticationError('Invalid API token'),
      );
    }
    expect(verifyRoute.calls).toEqual([]);
  });

  it.each([
    'API token has expired',
    'API token has been revoked',
    'Invalid API token',
  ])('passes the refusal "%s" through', async message => {
    const { client, verifyRoute } = await startAuthWithClient({
      withVerifyRoute: true,
    });
    verifyRoute.answer = {
      status: 401,
      body: { error: { name: 'AuthenticationError', message } },
    };

    const error = await client.verifyToken(token).catch(e => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe(message);
  });

  it.each([500, 503, 400])(
    'reports an answer of %s as unavailable',
    async status => {
      const { client, verifyRoute } = await startAuthWithClient({
        withVerifyRoute: true,
      });
      verifyRoute.answer = {
        status,
        body: { error: { name: 'Error', message: 'database is down' } },
      };

      const error = await client.verifyToken(token).catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toContain(`answered ${status}, database is down`);
    },
  );

  it('reports a dropped connection as unavailable', async () => {
    const { client, verifyRoute } = await startAuthWithClient({
      withVerifyRoute: true,
    });
    verifyRoute.answer = { hangUp: true };

    await expect(client.verifyToken(token)).rejects.toThrow(
      ServiceUnavailableError,
    );
  });

  const valid = {
    tokenId: 'token-1',
    ownerRef: 'user:default/bob',
    expiresAt: '2027-01-01T00:00:00.000Z',
  };

  it.each([
    ['an empty body', {}],
    ['an owner that is a number', { ...valid, ownerRef: 42 }],
    ['no owner', { ...valid, ownerRef: undefined }],
    ['an empty owner', { ...valid, ownerRef: '' }],
    ['an owner that is not a user', { ...valid, ownerRef: 'group:default/a' }],
    ['an owner without kind', { ...valid, ownerRef: 'bob' }],
    ['no expiry', { ...valid, expiresAt: undefined }],
    ['an expiry that is no date', { ...valid, expiresAt: 'tomorrow' }],
    ['no token id', { ...valid, tokenId: undefined }],
    ['an empty token id', { ...valid, tokenId: '' }],
  ])(
    'reports an answer with %s as unavailable',
    async (_case, body: object) => {
      const { client, verifyRoute } = await startAuthWithClient({
        withVerifyRoute: true,
      });
      verifyRoute.answer = { status: 200, body };

      await expect(client.verifyToken(token)).rejects.toThrow(
        /malformed answer/,
      );
    },
  );

  it('reports a backend without the api-tokens plugin as unavailable', async () => {
    const { client } = await startAuthWithClient({ withVerifyRoute: false });

    await expect(client.verifyToken(token)).rejects.toThrow(
      ServiceUnavailableError,
    );
  });
});
