import {
  PluginTokenHandler,
  pluginTokenHandlerDecoratorServiceRef,
} from '@backstage/backend-defaults/auth';
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
import { apiTokensRootHttpRouterServiceFactory } from '../apiTokensRootHttpRouterServiceFactory';

/** The expiry of every token the refresh route stand-in accepts. */
export const TOKEN_EXPIRES_AT = '2027-03-01T12:00:00.000Z';

export type RefreshAnswer =
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
              const answer = standIn.answer;
              if (answer === 'accept') {
                res.json({
                  profile: {},
                  providerInfo: {
                    tokenId: 'token-1',
                    ownerRef: 'user:default/bob',
                    expiresAt: TOKEN_EXPIRES_AT,
                  },
                  backstageIdentity: {
                    token: `user-token-${standIn.exchangedTokens.length}`,
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
 * Starts a backend with the token-handler decorator, a stand-in for the
 * refresh route it calls, and two probe plugins that authenticate with the
 * decorated handler: a test backend, or with `apiTokensRootHttpRouter` one
 * served by `apiTokensRootHttpRouterServiceFactory`.
 */
export async function startProbeBackend(options?: {
  config?: JsonObject;
  apiTokensRootHttpRouter?: boolean;
}) {
  const refreshRoute = createRefreshRouteStandIn();
  const probes = new Map<string, Probe>();
  const features: BackendFeature[] = [
    apiTokenHandlerDecoratorServiceFactory,
    refreshRoute.plugin,
    createProbePlugin('probe-a', probes),
    createProbePlugin('probe-b', probes),
  ];
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
    handler: probes.get('probe-a')!.handler,
    defaultHandler: probes.get('probe-a')!.defaultHandler,
    otherPluginHandler: probes.get('probe-b')!.handler,
  };
}
