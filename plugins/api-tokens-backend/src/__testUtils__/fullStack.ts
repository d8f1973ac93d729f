import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { discoveryServiceFactory } from '@backstage/backend-defaults/discovery';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  AuthService,
  BackendFeature,
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthenticationError } from '@backstage/errors';
import authPlugin from '@backstage/plugin-auth-backend';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { JsonObject } from '@backstage/types';
import apiTokenHandlerDecorator, {
  createApiTokenMiddleware,
  isApiTokenRequest,
} from '@nholuongut/backstage-plugin-api-tokens-node';
import authModuleApiTokenProvider from '@nholuongut/backstage-plugin-auth-backend-module-api-token-provider';
import knexFactory, { Knex } from 'knex';
import { AddressInfo, createServer } from 'node:net';

// The parts of the full stack that `startApiTokensBackend({ stack: 'full' })`
// adds to the plugin: what a deployment like `packages/backend` has around it.

/**
 * Stands in for the catalog backend over HTTP, which both the auth backend
 * (signing in a token's owner) and the api-tokens backend (checking that a
 * user exists) call: serves the users in `users` at
 * `/entities/by-name/user/default/<name>`, or fails with `failWith`.
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
                /^\/entities\/by-name\/user\/default\/([^/]+)$/i.exec(req.path);
              const user = match && standIn.users.get(match[1].toLowerCase());
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

/**
 * A plugin that answers who its caller is, as any plugin sees it. Its auth
 * service goes to `pluginAuth`.
 */
const createWhoamiPlugin = (pluginAuth: Map<string, AuthService>) =>
  createBackendPlugin({
    pluginId: 'whoami',
    register(reg) {
      reg.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          auth: coreServices.auth,
        },
        async init({ httpRouter, httpAuth, auth }) {
          pluginAuth.set('whoami', auth);
          httpRouter.use((req, res, next) => {
            httpAuth
              .credentials(req, { allow: ['user'] })
              .then(credentials => {
                res.json({
                  userEntityRef: credentials.principal.userEntityRef,
                  isApiTokenRequest: isApiTokenRequest(req),
                });
              })
              .catch(next);
          });
        },
      });
    },
  });

/** The header that names the user the `test` sign-in provider signs in. */
const TEST_USER_HEADER = 'x-test-user';

/**
 * A proxy sign-in provider `test` that signs in the catalog user named by
 * the `x-test-user` header: how the tests get real Backstage user tokens.
 * The auth plugin's auth service goes to `pluginAuth`.
 */
const createTestSignInModule = (pluginAuth: Map<string, AuthService>) =>
  createBackendModule({
    pluginId: 'auth',
    moduleId: 'test-sign-in',
    register(reg) {
      reg.registerInit({
        deps: {
          providers: authProvidersExtensionPoint,
          auth: coreServices.auth,
        },
        async init({ providers, auth }) {
          pluginAuth.set('auth', auth);
          providers.registerProvider({
            providerId: 'test',
            factory: createProxyAuthProviderFactory({
              authenticator: createProxyAuthenticator({
                defaultProfileTransform: async () => ({ profile: {} }),
                initialize: () => undefined,
                async authenticate({ req }) {
                  const userName = req.header(TEST_USER_HEADER);
                  if (!userName) {
                    throw new AuthenticationError(
                      `${TEST_USER_HEADER} missing`,
                    );
                  }
                  return { result: { userName } };
                },
              }),
              signInResolver: async ({ result }, ctx) =>
                ctx.signInWithCatalogUser({
                  entityRef: {
                    name: (result as { userName: string }).userName,
                  },
                }),
            }),
          });
        },
      });
    },
  });

/**
 * The tests call from loopback, and many send bad tokens on purpose. Unless
 * a test configures the failure limit itself (as the abuse-limit tests do,
 * through a trusted proxy), loopback is exempt, so that those tests get the
 * answers they check rather than 429.
 */
function withLoopbackExemptByDefault(config: JsonObject): JsonObject {
  const apiTokens = (config.apiTokens ?? {}) as JsonObject;
  if (apiTokens.failureLimit !== undefined) {
    return config;
  }
  return {
    ...config,
    apiTokens: { ...apiTokens, failureLimit: { exempt: ['loopback'] } },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

/** What the tests get of the full stack, besides the backend itself. */
export interface FullStackParts {
  /** The backend's base URL, `http://127.0.0.1:<port>`. */
  url: string;
  /** The stand-in catalog; tests remove users or make it fail. */
  catalog: ReturnType<typeof createCatalogStandIn>;
  /** The databases of the other plugins (auth), for scanning. */
  otherDatabases: Map<string, Knex>;
  /** A real Backstage user token for a catalog user, from the auth backend. */
  signIn(userName: string): Promise<string>;
  /** A token with which `auth` or `whoami` calls the api-tokens backend. */
  pluginToken(pluginId: 'auth' | 'whoami'): Promise<string>;
}

/**
 * Everything a deployment of API tokens has around the plugin: the real
 * auth backend with the `api-token` provider module, Backstage's real auth,
 * HTTP auth and user info services with the token-handler decorator, the
 * root HTTP router with its defaults plus the API token middleware (cookie
 * guard, failure limiter, expiration header; as `packages/backend` installs
 * it) on a real port, a stand-in catalog over HTTP, and a plugin `whoami`
 * that stands for any other plugin. The api-tokens plugin gets `knex`,
 * every other plugin an in-memory SQLite database of its own.
 */
export async function fullStackFeatures(options: {
  knex?: Knex;
  config: JsonObject;
  users: Entity[];
}): Promise<{ features: BackendFeature[]; parts: FullStackParts }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const catalog = createCatalogStandIn();
  for (const user of options.users) {
    catalog.users.set(user.metadata.name, user);
  }
  const otherDatabases = new Map<string, Knex>();
  const pluginAuth = new Map<string, AuthService>();

  const features = [
    authPlugin,
    authModuleApiTokenProvider,
    createTestSignInModule(pluginAuth),
    catalog.plugin,
    createWhoamiPlugin(pluginAuth),
    authServiceFactory,
    httpAuthServiceFactory,
    userInfoServiceFactory,
    apiTokenHandlerDecorator,
    discoveryServiceFactory,
    rootHttpRouterServiceFactory({
      configure({ app, config, logger, applyDefaults }) {
        app.use(createApiTokenMiddleware(config, { logger }));
        applyDefaults();
      },
    }),
    mockServices.rootConfig.factory({
      data: {
        ...withLoopbackExemptByDefault(options.config),
        backend: {
          // e.g. `cache`: replicas share a redis.
          ...(options.config.backend as JsonObject | undefined),
          baseUrl: url,
          listen: { host: '127.0.0.1', port },
        },
        auth: { providers: { 'api-token': {}, test: {} } },
      },
    }),
    createServiceFactory({
      service: coreServices.database,
      deps: {
        plugin: coreServices.pluginMetadata,
        lifecycle: coreServices.lifecycle,
      },
      async factory({ plugin, lifecycle }) {
        const pluginId = plugin.getId();
        if (pluginId === 'api-tokens' && options.knex) {
          return mockServices.database({ knex: options.knex });
        }
        const knex = knexFactory({
          client: 'better-sqlite3',
          connection: ':memory:',
          useNullAsDefault: true,
        });
        if (pluginId !== 'api-tokens') {
          otherDatabases.set(pluginId, knex);
        }
        lifecycle.addShutdownHook(() => knex.destroy());
        return mockServices.database({ knex });
      },
    }),
  ];

  const parts: FullStackParts = {
    url,
    catalog,
    otherDatabases,
    async signIn(userName) {
      const response = await fetch(`${url}/api/auth/test/refresh`, {
        method: 'POST',
        headers: { [TEST_USER_HEADER]: userName },
      });
      if (!response.ok) {
        throw new Error(
          `Could not sign in ${userName}: ${
            response.status
          } ${await response.text()}`,
        );
      }
      const body = await response.json();
      return body.backstageIdentity.token;
    },
    async pluginToken(pluginId) {
      const auth = pluginAuth.get(pluginId)!;
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'api-tokens',
      });
      return token;
    },
  };
  return { features, parts };
}
