import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { hasApiTokenPrefix } from '@internal/plugin-api-tokens-common';
import { Knex } from 'knex';
import { Server } from 'node:http';
import { apiTokensPlugin } from '../plugin';

export const ALICE = 'user:default/alice';
export const BOB = 'user:default/bob';
export const CAROL = 'user:default/carol';
/** Not an admin, but the policy lets him read anyone's tokens. */
export const DAN = 'user:default/dan';
/** A user whose tokens only the paging test creates. */
export const ERIN = 'user:default/erin';

/** Where the plugin's routes live in the test backend. */
export const BASE = '/api/api-tokens';

function user(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { email: `${name}@example.com` }, memberOf: [] },
  };
}

/** The catalog of the tests. */
export const CATALOG_USERS = ['alice', 'bob', 'carol', 'dan', 'erin'].map(user);

/**
 * The permission policy of the tests, like the portal's: every api-tokens
 * permission for alice (the admin), only reading tokens for dan, none of them
 * for anyone else; everything else allowed.
 */
export function decide(
  permissionName: string,
  credentials: BackstageCredentials,
): AuthorizeResult.ALLOW | AuthorizeResult.DENY {
  if (!permissionName.startsWith('api-tokens.')) {
    return AuthorizeResult.ALLOW;
  }
  const principal = credentials.principal as { userEntityRef?: string };
  if (principal.userEntityRef === ALICE) {
    return AuthorizeResult.ALLOW;
  }
  if (
    principal.userEntityRef === DAN &&
    permissionName === 'api-tokens.token.read'
  ) {
    return AuthorizeResult.ALLOW;
  }
  return AuthorizeResult.DENY;
}

/** The permissions service of the tests, which applies {@link decide}. */
export const testPermissionsFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory(): PermissionsService {
    return {
      async authorize(requests, options) {
        return requests.map(request => ({
          result: decide(request.permission.name, options.credentials),
        }));
      },
      async authorizeConditional(requests, options) {
        return requests.map(request => ({
          result: decide(request.permission.name, options.credentials),
        }));
      },
    };
  },
});

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

/** One line that the plugin logged, or one auditor event. */
export interface LogRecord {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: Record<string, unknown>;
}

function serializableMeta(meta?: Error | JsonObject): Record<string, unknown> {
  if (meta instanceof Error) {
    return {
      error: { name: meta.name, message: meta.message, stack: meta.stack },
    };
  }
  return meta ?? {};
}

/** A root logger that keeps every line, at every level. */
class RecordingLogger implements LoggerService {
  constructor(
    private readonly records: LogRecord[],
    private readonly fields: JsonObject = {},
  ) {}

  error(message: string, meta?: Error | JsonObject) {
    this.record('error', message, meta);
  }
  warn(message: string, meta?: Error | JsonObject) {
    this.record('warn', message, meta);
  }
  info(message: string, meta?: Error | JsonObject) {
    this.record('info', message, meta);
  }
  debug(message: string, meta?: Error | JsonObject) {
    this.record('debug', message, meta);
  }
  child(meta: JsonObject): LoggerService {
    return new RecordingLogger(this.records, { ...this.fields, ...meta });
  }

  private record(
    level: LogRecord['level'],
    message: string,
    meta?: Error | JsonObject,
  ) {
    this.records.push({
      level,
      message,
      meta: { ...this.fields, ...serializableMeta(meta) },
    });
  }
}

/** A log record as text, errors included, for scanning. */
export function logRecordText(record: LogRecord): string {
  return JSON.stringify(record, (_key, value) =>
    value instanceof Error
      ? { name: value.name, message: value.message, stack: value.stack }
      : value,
  );
}

/** The auditor events among the log records. */
export function auditEvents(records: LogRecord[]) {
  return records
    .filter(record => record.meta.isAuditEvent)
    .map(record => ({
      id: record.message,
      status: record.meta.status as string,
      actorId: (record.meta.actor as { actorId?: string } | undefined)?.actorId,
      meta: (record.meta.meta ?? {}) as Record<string, unknown>,
      record,
    }));
}

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

/** A running test backend with the plugin. */
export interface ApiTokensTestBackend {
  backend: { stop(): Promise<void> };
  server: Server;
  /** Everything logged so far, auditor events included. */
  logs: LogRecord[];
}

/**
 * Starts a backend with the real plugin, a catalog with the test users, the
 * test policy and a logger that records everything.
 */
export async function startApiTokensBackend(
  options: { config?: JsonObject; knex?: Knex } = {},
): Promise<ApiTokensTestBackend> {
  const logs: LogRecord[] = [];
  const backend = await startTestBackend({
    features: [
      apiTokensPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          ...options.config,
        },
      }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => new RecordingLogger(logs),
      }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      catalogServiceMock.factory({ entities: CATALOG_USERS }),
      testPermissionsFactory,
      httpAuthFactory,
    ],
  });
  return { backend, server: backend.server, logs };
}
