import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import authPlugin from '@backstage/plugin-auth-backend';
import {
  API_TOKEN_EXPIRATION_HEADER,
  generateApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import apiTokenHandlerDecorator, {
  API_TOKEN_ID_CLAIM,
  ApiTokenVerification,
  isApiTokenRequest,
} from '@nholuongut/backstage-plugin-api-tokens-node';
import request from 'supertest';
import { authModuleApiTokenProvider } from './module';

type VerifyAnswer =
  | { status: 200; body: ApiTokenVerification }
  | { status: number; message: string }
  | { hangUp: true };

/** What the state route stand-in answers for a token id. */
type StateAnswer = { active: boolean; expiresAt: string };

/**
 * Stands in for the api-tokens backend's internal routes, which are written
 * elsewhere: `POST /api/api-tokens/internal/verify` answers from `answers`
 * (by token) and refuses callers other than the auth plugin;
 * `GET /api/api-tokens/internal/tokens/{id}/state` answers from `states` (by
 * token id, 404 for others) to any backend plugin;
 * `POST /api/api-tokens/internal/tokens/{id}/derived` records the token
 * ids of exchanges and their caller in `derived`.
 */
function createVerifyRouteStandIn() {
  const standIn = {
    answers: new Map<string, VerifyAnswer>(),
    states: new Map<string, StateAnswer>(),
    calls: new Array<{ token: unknown; caller: string }>(),
    derived: new Array<{ tokenId: string; caller: string }>(),
    plugin: createBackendPlugin({
      pluginId: 'api-tokens',
      register(reg) {
        reg.registerInit({
          deps: {
            httpRouter: coreServices.httpRouter,
            httpAuth: coreServices.httpAuth,
          },
          async init({ httpRouter, httpAuth }) {
            httpRouter.use((req, res, next) => {
              const derivedOf = /^\/internal\/tokens\/([^/]+)\/derived$/.exec(
                req.path,
              );
              if (req.method === 'POST' && derivedOf) {
                httpAuth
                  .credentials(req, { allow: ['service'] })
                  .then(credentials => {
                    standIn.derived.push({
                      tokenId: derivedOf[1],
                      caller: credentials.principal.subject,
                    });
                    res.status(204).end();
                  })
                  .catch(next);
                return;
              }
              const stateOf = /^\/internal\/tokens\/([^/]+)\/state$/.exec(
                req.path,
              );
              if (req.method === 'GET' && stateOf) {
                httpAuth
                  .credentials(req, { allow: ['service'] })
                  .then(() => {
                    const state = standIn.states.get(stateOf[1]);
                    if (state) {
                      res.json(state);
                    } else {
                      res.status(404).json({
                        error: {
                          name: 'NotFoundError',
                          message: 'No such API token',
                        },
                      });
                    }
                  })
                  .catch(next);
                return;
              }
              if (req.method !== 'POST' || req.path !== '/internal/verify') {
                next();
                return;
              }
              (async () => {
                const credentials = await httpAuth.credentials(req, {
                  allow: ['service'],
                });
                let text = '';
                for await (const chunk of req) {
                  text += chunk;
                }
                const { token } = JSON.parse(text);
                standIn.calls.push({
                  token,
                  caller: credentials.principal.subject,
                });
                if (credentials.principal.subject !== 'plugin:auth') {
                  res.status(403).json({ error: { name: 'NotAllowedError' } });
                  return;
                }
                const answer: VerifyAnswer = standIn.answers.get(token) ?? {
                  status: 401,
                  message: 'Invalid API token',
                };
                if ('hangUp' in answer) {
                  req.socket.destroy();
                } else if ('body' in answer) {
                  res.json(answer.body);
                } else {
                  res.status(answer.status).json({
                    error: {
                      name: 'AuthenticationError',
                      message: answer.message,
                    },
                  });
                }
              })().catch(next);
            });
          },
        });
      },
    }),
  };
  return standIn;
}

/**
 * Stands in for the catalog: serves the users in `users` at
 * `GET /api/catalog/entities/by-name/user/default/<name>`, or fails with
 * `failWith`.
 */
function createCatalogStandIn() {
  const standIn = {
    users: new Map<string, Entity>(),
    failWith: undefined as number | undefined,
    plugin: createBackendPlugin({
      pluginId: 'catalog',
      register(reg) {
        reg.registerInit({
          deps: { httpRouter: coreServices.httpRouter },
          async init({ httpRouter }) {
            httpRouter.use((req, res) => {
              if (standIn.failWith) {
                res.status(standIn.failWith).json({
                  error: { name: 'Error', message: 'catalog is down' },
                });
                return;
              }
              const match =
                /^\/entities\/by-name\/user\/default\/([^/]+)$/.exec(req.path);
              const user = match && standIn.users.get(match[1]);
              if (!user) {
                res.status(404).json({
                  error: { name: 'NotFoundError', message: 'No such entity' },
                });
                return;
              }
              res.json(user);
            });
          },
        });
      },
    }),
  };
  return standIn;
}

/** A plugin that answers who its caller is, as any plugin sees it. */
const whoamiPlugin = createBackendPlugin({
  pluginId: 'whoami',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
      },
      async init({ httpRouter, httpAuth, userInfo }) {
        httpRouter.use((req, res, next) => {
          (async () => {
            const credentials = await httpAuth.credentials(req, {
              allow: ['user'],
            });
            const { ownershipEntityRefs } = await userInfo.getUserInfo(
              credentials,
            );
            res.json({
              principal: credentials.principal,
              ownershipEntityRefs,
              isApiTokenRequest: isApiTokenRequest(req),
            });
          })().catch(next);
        });
      },
    });
  },
});

const bob: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'bob', namespace: 'default' },
  spec: { memberOf: ['team-a'] },
  relations: [{ type: 'memberOf', targetRef: 'group:default/team-a' }],
};

const EXPIRES_AT = '2027-03-01T12:00:00.000Z';

function decodeClaims(jwt: string) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

describe('authModuleApiTokenProvider', () => {
  let backend: TestBackend;
  const verifyRoute = createVerifyRouteStandIn();
  const catalog = createCatalogStandIn();

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        authPlugin,
        authModuleApiTokenProvider,
        // The real auth services, so that tokens are real JWTs and the
        // token-handler decorator takes part.
        authServiceFactory,
        httpAuthServiceFactory,
        userInfoServiceFactory,
        apiTokenHandlerDecorator,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: { providers: { 'api-token': {} } },
          },
        }),
        verifyRoute.plugin,
        catalog.plugin,
        whoamiPlugin,
      ],
    });
  });

  beforeEach(() => {
    verifyRoute.answers.clear();
    verifyRoute.states.clear();
    verifyRoute.calls.length = 0;
    catalog.users.clear();
    catalog.users.set('bob', bob);
    catalog.failWith = undefined;
  });

  /** A token the verify route accepts, owned by bob, and active. */
  function validToken(tokenId = 'token-1') {
    const token = generateApiToken();
    verifyRoute.answers.set(token, {
      status: 200,
      body: { tokenId, ownerRef: 'user:default/bob', expiresAt: EXPIRES_AT },
    });
    verifyRoute.states.set(tokenId, { active: true, expiresAt: EXPIRES_AT });
    return token;
  }

  function refresh(token?: string) {
    const req = request(backend.server).post('/api/auth/api-token/refresh');
    return token ? req.set('authorization', `Bearer ${token}`) : req;
  }

  it('exchanges an API token for a user token of its owner', async () => {
    const token = validToken('token-7');

    const response = await refresh(token);

    expect(response.status).toBe(200);
    expect(response.body.providerInfo).toEqual({
      tokenId: 'token-7',
      ownerRef: 'user:default/bob',
      expiresAt: EXPIRES_AT,
    });
    expect(response.body.backstageIdentity).toMatchObject({
      expiresInSeconds: expect.any(Number),
      identity: {
        type: 'user',
        userEntityRef: 'user:default/bob',
        ownershipEntityRefs: ['user:default/bob', 'group:default/team-a'],
      },
    });
    expect(decodeClaims(response.body.backstageIdentity.token)).toMatchObject({
      sub: 'user:default/bob',
      [API_TOKEN_ID_CLAIM]: 'token-7',
    });
    expect(response.headers[API_TOKEN_EXPIRATION_HEADER.toLowerCase()]).toBe(
      EXPIRES_AT,
    );
    expect(verifyRoute.calls).toEqual([{ token, caller: 'plugin:auth' }]);
    // Recorded before it was handed out, so forwarded forms of it carry
    // the API token's state and scope.
    expect(verifyRoute.derived).toEqual([
      { tokenId: 'token-7', caller: 'plugin:auth' },
    ]);
  });

  it('issues a token that acts as the owner on other plugins', async () => {
    const { body } = await refresh(validToken());

    const response = await request(backend.server)
      .get('/api/whoami')
      .set('authorization', `Bearer ${body.backstageIdentity.token}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      principal: { type: 'user', userEntityRef: 'user:default/bob' },
      // Read back from the auth backend's user info store.
      ownershipEntityRefs: ['user:default/bob', 'group:default/team-a'],
      isApiTokenRequest: true,
    });
  });

  it('lets the API token act as its owner directly, through the decorator', async () => {
    const response = await request(backend.server)
      .get('/api/whoami')
      .set('authorization', `Bearer ${validToken()}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      principal: {
        type: 'user',
        userEntityRef: 'user:default/bob',
        actor: { type: 'service', subject: 'external:api-token' },
      },
      ownershipEntityRefs: ['user:default/bob', 'group:default/team-a'],
      isApiTokenRequest: true,
    });
  });

  it('refuses a malformed token without calling the verify route', async () => {
    const token = validToken();
    const badChecksum = `${token.slice(0, -1)}${
      token.endsWith('0') ? '1' : '0'
    }`;

    const response = await refresh(badChecksum);

    expect(response.status).toBe(401);
    expect(response.body.error.message).toBe('Invalid API token');
    expect(verifyRoute.calls).toEqual([]);
  });

  it('refuses a request without a token', async () => {
    const response = await refresh();

    expect(response.status).toBe(401);
    expect(response.body.error.message).toMatch(/Missing API token/);
  });

  it.each([
    'API token has expired',
    'API token has been revoked',
    'Invalid API token',
  ])('passes the refusal "%s" through', async message => {
    const token = generateApiToken();
    verifyRoute.answers.set(token, { status: 401, message });

    const response = await refresh(token);

    expect(response.status).toBe(401);
    expect(response.body.error).toMatchObject({
      name: 'AuthenticationError',
      message,
    });
  });

  it('refuses the token of a user who is no longer in the catalog', async () => {
    catalog.users.clear();

    const response = await refresh(validToken());

    expect(response.status).toBe(401);
    expect(response.body.error.message).toBe(
      'The owner of this API token is not in the catalog',
    );
  });

  it.each([
    ['the verify route fails', { status: 500, message: 'database is down' }],
    ['the verify route is busy', { status: 503, message: 'try again' }],
    ['the verify route hangs up', { hangUp: true as const }],
  ])('answers 503 when %s', async (_case, answer: VerifyAnswer) => {
    const token = generateApiToken();
    verifyRoute.answers.set(token, answer);

    const response = await refresh(token);

    expect(response.status).toBe(503);
    expect(response.body.error.name).toBe('ServiceUnavailableError');
  });

  it.each([500, 503])(
    'answers 503 when the catalog answers %s',
    async status => {
      catalog.failWith = status;

      const response = await refresh(validToken());

      expect(response.status).toBe(503);
      expect(response.body.error.name).toBe('ServiceUnavailableError');
    },
  );

  describe('unusable verify answers', () => {
    const body = {
      tokenId: 'token-1',
      ownerRef: 'user:default/bob',
      expiresAt: EXPIRES_AT,
    };

    it.each([
      ['no ownerRef', { ...body, ownerRef: undefined }],
      ['an empty ownerRef', { ...body, ownerRef: '' }],
      ['a group as ownerRef', { ...body, ownerRef: 'group:default/team-a' }],
      ['no expiresAt', { ...body, expiresAt: undefined }],
      ['an empty expiresAt', { ...body, expiresAt: '' }],
      ['no tokenId', { ...body, tokenId: undefined }],
      ['an empty body', {}],
    ])(
      'refuses an answer with %s with 503, to the exchange and to direct use, never signing anyone in',
      async (_case, answer) => {
        const token = generateApiToken();
        verifyRoute.answers.set(token, {
          status: 200,
          body: answer as ApiTokenVerification,
        });

        const exchanged = await refresh(token);
        expect(exchanged.status).toBe(503);
        expect(exchanged.body).not.toHaveProperty('backstageIdentity');

        const direct = await request(backend.server)
          .get('/api/whoami')
          .set('authorization', `Bearer ${token}`);
        expect(direct.status).toBe(503);
        expect(direct.body).not.toHaveProperty('principal');
      },
    );
  });

  describe('an exchanged token after its API token', () => {
    function whoamiWith(jwt: string) {
      return request(backend.server)
        .get('/api/whoami')
        .set('authorization', `Bearer ${jwt}`);
    }

    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('is revoked, within the cache TTL', async () => {
      const realNow = Date.now.bind(Date);
      let offset = 0;
      jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
      const { body } = await refresh(validToken('token-revoked'));
      const jwt = body.backstageIdentity.token;
      expect((await whoamiWith(jwt)).status).toBe(200);

      verifyRoute.states.set('token-revoked', {
        active: false,
        expiresAt: EXPIRES_AT,
      });
      offset += 4_000;
      const response = await whoamiWith(jwt);
      expect(response.status).toBe(401);
      expect(response.body.error.message).toBe('API token has been revoked');
    });

    it('has expired, although the Backstage token has not', async () => {
      const { body } = await refresh(validToken('token-expired'));
      const jwt = body.backstageIdentity.token;
      const expiresAt = new Date(Date.now() - 1_000).toISOString();
      verifyRoute.states.set('token-expired', { active: false, expiresAt });

      const response = await whoamiWith(jwt);
      expect(response.status).toBe(401);
      expect(response.body.error.message).toBe('API token has expired');
      // auth-backend sets exp itself, an hour from now by default; the
      // token handler is what bounds the token by the API token's expiry.
      expect(decodeClaims(jwt).exp * 1000).toBeGreaterThan(Date.now());
    });

    it('is no longer known', async () => {
      const { body } = await refresh(validToken('token-gone'));
      verifyRoute.states.delete('token-gone');

      const response = await whoamiWith(body.backstageIdentity.token);
      expect(response.status).toBe(401);
      expect(response.body.error.message).toBe('Invalid API token');
    });
  });

  describe('faults', () => {
    function whoami(token: string) {
      return request(backend.server)
        .get('/api/whoami')
        .set('authorization', `Bearer ${token}`);
    }

    afterEach(() => {
      jest.restoreAllMocks();
    });

    it.each([500, 503])(
      'answers 503, not 500, to the exchange and to direct use while the catalog answers %s, and works again as soon as it is back',
      async status => {
        const token = validToken();
        catalog.failWith = status;

        for (const response of [await refresh(token), await whoami(token)]) {
          expect(response.status).toBe(503);
          expect(response.body.error.name).toBe('ServiceUnavailableError');
          expect(response.body.error.message).toMatch(
            /the catalog could not be reached/,
          );
        }

        // Nothing of the outage was remembered: no cached denial.
        catalog.failWith = undefined;
        expect((await whoami(token)).status).toBe(200);
        expect((await refresh(token)).status).toBe(200);
      },
    );

    it('refuses direct use of the token of an owner who left the catalog, saying why', async () => {
      catalog.users.clear();

      const response = await whoami(validToken());

      expect(response.status).toBe(401);
      expect(response.body.error).toMatchObject({
        name: 'AuthenticationError',
        message: 'The owner of this API token is not in the catalog',
      });
    });

    it('stops a token in use once its owner leaves the catalog, within the cache TTL', async () => {
      const realNow = Date.now.bind(Date);
      let offset = 0;
      jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
      const token = validToken();
      expect((await whoami(token)).status).toBe(200);

      catalog.users.clear();
      // The default TTL of the decorator's cache is 4 seconds.
      offset += 4_000;

      const response = await whoami(token);
      expect(response.status).toBe(401);
      expect(response.body.error.message).toBe(
        'The owner of this API token is not in the catalog',
      );
    });
  });
});
