import { ApiTokenScope } from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  authServiceFactory,
  PluginTokenHandler,
  pluginTokenHandlerDecoratorServiceRef,
} from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  BackendFeature,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import express from 'express';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { apiTokenHandlerDecoratorServiceFactory } from '../apiTokenHandlerDecoratorServiceFactory';
import {
  INTERNAL_CALL_HEADER,
  isInternalCallMarker,
} from '../apiTokenRequestContext';
import { apiTokensRootHttpRouterServiceFactory } from '../apiTokensRootHttpRouterServiceFactory';

/** The expiry of every token the refresh route stand-in accepts. */
export const TOKEN_EXPIRES_AT = '2027-03-01T12:00:00.000Z';
/** The id of every token the refresh route stand-in accepts. */
export const TOKEN_ID = 'token-1';

/** Encodes a JWT from its parts; the signature is not a real one. */
export function encodeJwt(
  header: object,
  payload: object,
  signature = 'c2lnbmF0dXJl',
): string {
  const encode = (part: object) =>
    Buffer.from(JSON.stringify(part)).toString('base64url');
  return `${encode(header)}.${encode(payload)}.${signature}`;
}

/**
 * The user token that the refresh route stand-in issues for its `n`-th
 * exchange: shaped like the auth backend's, of bob, naming `tokenId`.
 */
export function exchangedUserToken(n: number, tokenId = TOKEN_ID): string {
  return encodeJwt(
    { typ: 'vnd.backstage.user', alg: 'ES256', kid: 'key-1' },
    {
      sub: 'user:default/bob',
      ent: ['user:default/bob'],
      // Fixed, so that tests can compare tokens; the exchange's
      // expiresInSeconds bounds how long the decorator uses it.
      exp: 4_102_444_800,
      api_token_id: tokenId,
      n,
    },
  );
}

export type RefreshAnswer =
  | 'accept'
  | { status: number; message: string }
  | { hangUp: true }
  /** This body, with status 200. */
  | { body: unknown };

/**
 * Stands in for the auth backend with the api-token provider module:
 * `POST /api/auth/api-token/refresh` answers whatever the test sets in
 * `answer`, counting the exchanges.
 */
function createRefreshRouteStandIn() {
  const standIn = {
    exchangedTokens: new Array<string>(),
    /**
     * Per exchange, whether it carried the marker of a call in flight, by
     * which the failure limiter knows the backend's own calls.
     */
    internalCalls: new Array<boolean>(),
    answer: 'accept' as RefreshAnswer,
    /** How long each exchange takes, so that concurrent ones overlap. */
    delayMs: 0,
    plugin: createBackendPlugin({
      pluginId: 'auth',
      register(reg) {
        reg.registerInit({
          deps: { httpRouter: coreServices.httpRouter },
          async init({ httpRouter }) {
            const router = express.Router();
            router.post('/api-token/refresh', async (req, res) => {
              if (standIn.delayMs > 0) {
                await new Promise(resolve =>
                  setTimeout(resolve, standIn.delayMs),
                );
              }
              standIn.exchangedTokens.push(
                req.headers.authorization?.replace(/^Bearer /, '') ?? '',
              );
              standIn.internalCalls.push(
                isInternalCallMarker(req.headers[INTERNAL_CALL_HEADER]),
              );
              const answer = standIn.answer;
              if (answer === 'accept') {
                res.json({
                  profile: {},
                  providerInfo: {
                    tokenId: TOKEN_ID,
                    ownerRef: 'user:default/bob',
                    expiresAt: TOKEN_EXPIRES_AT,
                  },
                  backstageIdentity: {
                    token: exchangedUserToken(standIn.exchangedTokens.length),
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
              } else if ('body' in answer) {
                res.json(answer.body);
              } else {
                res.status(answer.status).json({
                  error: { name: 'Error', message: answer.message },
                  response: { statusCode: answer.status },
                });
              }
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

export type StateAnswer =
  | { active: boolean; expiresAt: string; scope?: ApiTokenScope | null }
  | { status: number; name?: string; message: string };

/**
 * Stands in for the api-tokens backend's state route,
 * `GET /api/api-tokens/internal/tokens/{id}/state`: answers from `answers`
 * by token id (404 NotFoundError for others; {@link TOKEN_ID} is active
 * until {@link TOKEN_EXPIRES_AT}, without a scope, unless the test says
 * otherwise), recording each call's token id and authorization. The
 * derived-token route (`/internal/derived/{digest}/state`) answers from
 * `derived`, by digest, and 404 for others.
 */
function createStateRouteStandIn() {
  const standIn = {
    answers: new Map<string, StateAnswer>([
      [TOKEN_ID, { active: true, expiresAt: TOKEN_EXPIRES_AT }],
    ]),
    derived: new Map<string, string>(),
    derivedCalls: new Array<string>(),
    calls: new Array<{ tokenId: string; authorization?: string }>(),
    plugin: createBackendPlugin({
      pluginId: 'api-tokens',
      register(reg) {
        reg.registerInit({
          deps: { httpRouter: coreServices.httpRouter },
          async init({ httpRouter }) {
            const router = express.Router();
            router.get('/internal/tokens/:id/state', (req, res) => {
              standIn.calls.push({
                tokenId: req.params.id,
                authorization: req.headers.authorization,
              });
              const answer = standIn.answers.get(req.params.id) ?? {
                status: 404,
                name: 'NotFoundError',
                message: `No API token with id ${req.params.id}`,
              };
              if ('active' in answer) {
                res.json({ scope: null, ...answer });
              } else {
                res.status(answer.status).json({
                  error: {
                    name: answer.name ?? 'Error',
                    message: answer.message,
                  },
                });
              }
            });
            router.get('/internal/derived/:digest/state', (req, res) => {
              standIn.derivedCalls.push(req.params.digest);
              const tokenId = standIn.derived.get(req.params.digest);
              if (tokenId === undefined) {
                res.status(404).json({
                  error: { name: 'NotFoundError', message: 'No such token' },
                });
                return;
              }
              res.json({ tokenId });
            });
            httpRouter.use(router);
            httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
          },
        });
      },
    }),
  };
  return standIn;
}

/**
 * A plugin that answers, at `GET /api/principal`, the principal that
 * Backstage's own HTTP auth service makes of a request.
 */
const principalProbePlugin = createBackendPlugin({
  pluginId: 'principal',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        httpRouter.use((req, res, next) => {
          httpAuth
            .credentials(req)
            .then(credentials => res.json(credentials.principal), next);
        });
      },
    });
  },
});

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
 * and `POST /echo`, which authenticate with it.
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

          const authenticate: express.RequestHandler = (req, _res, next) => {
            const token = req.headers.authorization?.replace(/^Bearer /, '');
            handler.verifyToken(token ?? '').then(() => next(), next);
          };
          const router = express.Router();
          router.get('/whoami', (req, res, next) => {
            const token = req.headers.authorization?.replace(/^Bearer /, '');
            handler
              .verifyToken(token ?? '')
              .then(result => res.json(result), next);
          });
          // Like the credentials barrier in front of a plugin's own routes:
          // authentication first, then the plugin parses the body.
          router.post('/echo', authenticate, express.json(), (req, res) => {
            res.json(req.body);
          });
          httpRouter.use(router);
          httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        },
      });
    },
  });
}

const backendsToStop = new Array<{ stop(): Promise<void> }>();

afterAll(async () => {
  await Promise.all(backendsToStop.splice(0).map(backend => backend.stop()));
});

/**
 * A backend served by `apiTokensRootHttpRouterServiceFactory`, with a
 * `configure` of its own as an adopter's, on a free port of its choice.
 * `startTestBackend` cannot host it, since it insists on its own root HTTP
 * router, so this is a backend as `createBackend` makes it, with the test
 * backend's mocks for what the probes do not need for real.
 */
async function startBackendWithApiTokensRootHttpRouter(
  features: BackendFeature[],
  config: JsonObject,
): Promise<Server> {
  let server: Server | undefined;
  const backend = createBackend();
  for (const feature of [
    ...features,
    apiTokensRootHttpRouterServiceFactory({
      configure(context) {
        server = context.server;
        context.applyDefaults();
      },
    }),
    mockServices.rootConfig.factory({
      data: { ...config, backend: { listen: { host: '127.0.0.1', port: 0 } } },
    }),
    mockServices.rootLogger.factory(),
    mockServices.auth.factory(),
    mockServices.httpAuth.factory(),
    createServiceFactory({
      service: coreServices.discovery,
      deps: {},
      factory() {
        const getBaseUrl = async (pluginId: string) =>
          `http://127.0.0.1:${
            (server!.address() as AddressInfo).port
          }/api/${pluginId}`;
        return { getBaseUrl, getExternalBaseUrl: getBaseUrl };
      },
    }),
  ]) {
    backend.add(feature);
  }
  backendsToStop.push(backend);
  await backend.start();
  return server!;
}

/**
 * Starts a backend with the token-handler decorator, stand-ins for the
 * refresh and state routes it calls, and two probe plugins that authenticate
 * with the decorated handler: a test backend, or with
 * `apiTokensRootHttpRouter` one served by
 * `apiTokensRootHttpRouterServiceFactory`.
 */
export async function startProbeBackend(options?: {
  config?: JsonObject;
  apiTokensRootHttpRouter?: boolean;
  /**
   * Backstage's real auth and HTTP auth services, and the plugin
   * `principal` that reports what they make of a request.
   */
  realAuth?: boolean;
}) {
  const refreshRoute = createRefreshRouteStandIn();
  const stateRoute = createStateRouteStandIn();
  const probes = new Map<string, Probe>();
  const features: BackendFeature[] = [
    apiTokenHandlerDecoratorServiceFactory,
    refreshRoute.plugin,
    stateRoute.plugin,
    createProbePlugin('probe-a', probes),
    createProbePlugin('probe-b', probes),
  ];
  if (options?.realAuth) {
    if (options.apiTokensRootHttpRouter) {
      throw new Error('realAuth needs the test backend');
    }
    features.push(
      authServiceFactory,
      httpAuthServiceFactory,
      principalProbePlugin,
    );
  }
  const config = options?.config ?? {};
  const server = options?.apiTokensRootHttpRouter
    ? await startBackendWithApiTokensRootHttpRouter(features, config)
    : (
        await startTestBackend({
          features: [
            ...features,
            mockServices.rootConfig.factory({ data: config }),
          ],
        })
      ).server;
  return {
    server,
    refreshRoute,
    stateRoute,
    handler: probes.get('probe-a')!.handler,
    defaultHandler: probes.get('probe-a')!.defaultHandler,
    otherPluginHandler: probes.get('probe-b')!.handler,
  };
}
