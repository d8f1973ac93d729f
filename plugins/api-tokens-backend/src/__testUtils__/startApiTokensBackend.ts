import { createBackend } from '@backstage/backend-defaults';
import {
  BackendFeature,
  coreServices,
  createServiceFactory,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { hasApiTokenPrefix } from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  NotificationService,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import { apiTokensPlugin } from '../plugin';
import { FullStackParts, fullStackFeatures } from './fullStack';
import { LogLine, RecordingLogger, RecordingScheduler } from './recording';
import { ALICE, CATALOG_USERS, testPermissionsFactory } from './testPolicy';

export * from './testPolicy';

/**
 * The credentials of the tests: the mock tokens of `mockCredentials`, no
 * credentials without a header, and an API token (`Bearer bsat_…`) taken as
 * the admin alice, as a token handler that does not mark API token requests
 * would. The router must refuse those on its own.
 */
const httpAuthFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): HttpAuthService {
    const mock = mockServices.httpAuth({
      pluginId: plugin.getId(),
      defaultCredentials: mockCredentials.none(),
    });
    const credentials = (async (req, options) => {
      const token = req.headers.authorization?.match(/^Bearer (\S+)$/)?.[1];
      if (token && hasApiTokenPrefix(token)) {
        const asAlice = {
          headers: { authorization: mockCredentials.user.header(ALICE) },
        } as unknown as typeof req;
        return mock.credentials(asAlice, options);
      }
      return mock.credentials(req, options);
    }) as HttpAuthService['credentials'];
    return {
      credentials,
      issueUserCookie: (res, options) => mock.issueUserCookie(res, options),
    };
  },
});

/** Authorization headers of the tests. */
export const headers = {
  user: (userRef: string) => ({
    Authorization: mockCredentials.user.header(userRef),
  }),
  /** A user token that the API token handler issued for an API token. */
  exchangedFromApiToken: (userRef: string) => ({
    Authorization: `Bearer ${mockCredentials.user.token(userRef, {
      actor: { subject: 'external:api-token' },
    })}`,
  }),
  service: (subject: string) => ({
    Authorization: mockCredentials.service.header({
      onBehalfOf: mockCredentials.service(subject),
      targetPluginId: 'api-tokens',
    }),
  }),
  apiToken: (secret: string) => ({ Authorization: `Bearer ${secret}` }),
};

/** How to start the test backend. */
export interface StartOptions {
  /** The plugin's database; a fresh in-memory SQLite one when not given. */
  knex?: Knex;
  /** App-config, on top of `app.baseUrl`. */
  config?: JsonObject;
  /**
   * The notification service the plugin gets; the default one (no
   * notifications backend installed) when not given.
   */
  notifications?: NotificationService;
  /**
   * `plugin` (the default): the plugin alone, with mock credentials
   * ({@link headers}) and a mock catalog of {@link CATALOG_USERS}.
   * `full`: the plugin with everything a deployment has around it (see
   * `fullStackFeatures`), with real credentials from `signIn` and
   * `pluginToken`.
   */
  stack?: 'plugin' | 'full';
  /** More features, e.g. stand-ins for other plugins. */
  features?: BackendFeature[];
}

/** A running test backend with the real plugin. */
export interface ApiTokensTestBackend {
  /** The backend's base URL, for supertest and fetch. */
  url: string;
  /** Every call made to any logger, auditor events included. */
  logs: LogLine[];
  /** The scheduler; its tasks run only when a test triggers them. */
  scheduler: RecordingScheduler;
  stop(): Promise<void>;
}

/** A running test backend with the whole API token stack. */
export type FullStackBackend = ApiTokensTestBackend & FullStackParts;

/**
 * The one HTTP harness of the route tests: starts a backend with the real
 * plugin (`startTestBackend`, or the whole stack, see `stack`), the test
 * policy ({@link decide}), a root logger that keeps every line at every
 * level, Backstage's auditor (whose events are log lines, see
 * `auditEvents`) and a scheduler that runs tasks only when triggered.
 */
export async function startApiTokensBackend(
  options: StartOptions & { stack: 'full' },
): Promise<FullStackBackend>;
export async function startApiTokensBackend(
  options?: StartOptions,
): Promise<ApiTokensTestBackend>;
export async function startApiTokensBackend(
  options: StartOptions = {},
): Promise<ApiTokensTestBackend | FullStackBackend> {
  const logs: LogLine[] = [];
  const scheduler = new RecordingScheduler();
  const config = {
    app: { baseUrl: 'http://localhost:3000' },
    ...options.config,
  };
  const features: BackendFeature[] = [
    apiTokensPlugin,
    createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => new RecordingLogger(logs),
    }),
    createServiceFactory({
      service: coreServices.scheduler,
      deps: {},
      factory: () => scheduler,
    }),
    testPermissionsFactory,
    ...(options.features ?? []),
  ];
  const { notifications } = options;
  if (notifications) {
    features.push(
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => notifications,
      }),
    );
  }

  if (options.stack === 'full') {
    const full = await fullStackFeatures({
      knex: options.knex,
      config,
      users: CATALOG_USERS,
    });
    // Not startTestBackend: it insists on its own root HTTP router (its
    // `server` getter throws otherwise), which has neither the defaults of
    // Backstage's root router (access log, …) nor a place for the failure
    // limiter and the expiration middleware this stack is about. So the
    // whole stack is built as `packages/backend` builds it.
    const backend = createBackend();
    for (const feature of [...features, ...full.features]) {
      backend.add(feature);
    }
    await backend.start();
    return { ...full.parts, logs, scheduler, stop: () => backend.stop() };
  }

  const backend = await startTestBackend({
    features: [
      ...features,
      mockServices.rootConfig.factory({ data: config }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      catalogServiceMock.factory({ entities: CATALOG_USERS }),
      httpAuthFactory,
    ],
  });
  return {
    url: `http://127.0.0.1:${backend.server.port()}`,
    logs,
    scheduler,
    stop: () => backend.stop(),
  };
}
