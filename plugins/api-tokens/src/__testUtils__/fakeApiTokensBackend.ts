import { mockApis } from '@backstage/test-utils';
import {
  ApiToken,
  ApiTokenScope,
  ApiTokenScopePreview,
  scopeAllowsPermission,
  scopeAllowsPlugin,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { DateTime } from 'luxon';
import { ApiTokensClient } from '../api';
import { makeToken } from './fixtures';

const BASE_URL = 'http://localhost:7007/api/api-tokens';

/** A request the fake backend answered, e.g. `POST /v1/tokens/temporary`. */
export interface FakeRequest {
  method: string;
  path: string;
  userRef: string;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function error(status: number, name: string, message: string): Response {
  return json(
    { error: { name, message }, response: { statusCode: status } },
    status,
  );
}

type PublishedPermission = Omit<
  ApiTokenScopePreview['permissions'][number],
  'result'
>;

/** The permissions the fake portal's plugins publish. */
export const fakePublishedPermissions: PublishedPermission[] = [
  {
    name: 'api-tokens.token.create',
    pluginId: 'api-tokens',
    type: 'basic',
    action: 'create',
  },
  ...(['read', 'create', 'update', 'delete'] as const).map(action => ({
    name: `catalog.entity.${action === 'update' ? 'refresh' : action}`,
    pluginId: 'catalog',
    type: 'resource' as const,
    resourceType: 'catalog-entity',
    action,
  })),
  {
    name: 'catalog.location.create',
    pluginId: 'catalog',
    type: 'basic',
    action: 'create',
  },
  {
    name: 'scaffolder.task.read',
    pluginId: 'scaffolder',
    type: 'resource',
    resourceType: 'scaffolder-task',
    action: 'read',
  },
];

/** The backend plugins of the fake portal. */
export const fakeInstalledPlugins = [
  'api-tokens',
  'catalog',
  'permission',
  'scaffolder',
  'search',
];

/**
 * The fake portal's policy: admins may do everything; others may not manage
 * tokens or delete entities, and read only their own scaffolder tasks.
 */
function fakePolicy(
  userRef: string,
  permission: PublishedPermission,
): ApiTokenScopePreview['permissions'][number]['result'] {
  if (userRef === 'user:default/alice') return 'ALLOW';
  if (
    permission.pluginId === 'api-tokens' ||
    permission.name === 'catalog.entity.delete'
  ) {
    return 'DENY';
  }
  return permission.name === 'scaffolder.task.read' ? 'CONDITIONAL' : 'ALLOW';
}

/**
 * The routes of the API tokens backend that the Settings tab, sign-out and
 * the admin's token dialogs use, in memory, behind real `ApiTokensClient`s:
 * as many clients (page loads, tabs) over one browser storage as a test
 * needs. Alice (`user:default/alice`) is the admin of its policy.
 */
export class FakeApiTokensBackend {
  readonly requests: FakeRequest[] = [];
  /** Every token and its secret, as the backend's database would hold them. */
  readonly tokens = new Map<string, { token: ApiToken; secret: string }>();
  /** When set, `DELETE /v1/tokens/{id}` answers this instead of revoking. */
  failRevoke?: 'error' | 'hang';
  /** When set, a scope preview answers once this settles for its scope. */
  previewGate?: (scope: ApiTokenScope | null) => Promise<void>;
  /** The scopes previewed, in the order asked. */
  readonly previewedScopes: Array<ApiTokenScope | null> = [];

  /** A new client, as a page load of `userRef` in the browser makes it. */
  client(userRef: string, storage?: Storage) {
    return new ApiTokensClient({
      discoveryApi: { getBaseUrl: async () => BASE_URL },
      fetchApi: {
        fetch: (input, init) => this.handle(userRef, String(input), init),
      },
      identityApi: mockApis.identity({ userEntityRef: userRef }),
      ...(storage && { storage }),
    });
  }

  /** How many requests had this method and path. */
  count(method: string, path: string): number {
    return this.requests.filter(r => r.method === method && r.path === path)
      .length;
  }

  private async handle(
    userRef: string,
    url: string,
    init: RequestInit = {},
  ): Promise<Response> {
    const method = init.method ?? 'GET';
    const path = new URL(url).pathname.slice(new URL(BASE_URL).pathname.length);
    this.requests.push({ method, path, userRef });

    const body = init.body ? JSON.parse(String(init.body)) : undefined;

    if (method === 'POST' && path === '/v1/tokens/temporary') {
      const refused = this.refuseScope(body?.scope);
      if (refused) return refused;
      return json(
        this.issue({
          kind: 'temporary',
          name: body?.name ?? 'Temporary token',
          ownerRef: userRef,
          createdBy: userRef,
          lifetime: { hours: 8 },
          scope: body?.scope ?? null,
        }),
        201,
      );
    }
    const userTokens = path.match(/^\/v1\/users\/([^/]+)\/tokens$/);
    if (method === 'POST' && userTokens) {
      const refused = this.refuseScope(body?.scope);
      if (refused) return refused;
      return json(
        this.issue({
          kind: 'permanent',
          name: body.name,
          ownerRef: decodeURIComponent(userTokens[1]),
          createdBy: userRef,
          lifetime: { days: 365 },
          scope: body.scope ?? null,
        }),
        201,
      );
    }
    if (method === 'GET' && userTokens) {
      const ownerRef = decodeURIComponent(userTokens[1]);
      const items = [...this.tokens.values()]
        .map(t => t.token)
        .filter(t => t.ownerRef === ownerRef);
      return json({ items });
    }
    const preview = path.match(/^\/v1\/users\/([^/]+)\/tokens\/preview$/);
    if (method === 'POST' && preview) {
      const scope: ApiTokenScope | null = body.scope ?? null;
      this.previewedScopes.push(scope);
      await this.previewGate?.(scope);
      const refused = this.refuseScope(scope);
      if (refused) return refused;
      const ownerRef = decodeURIComponent(preview[1]);
      const answer: ApiTokenScopePreview = {
        plugins: fakeInstalledPlugins,
        permissions: fakePublishedPermissions.map(permission => ({
          ...permission,
          result:
            scopeAllowsPlugin(scope, permission.pluginId) &&
            scopeAllowsPermission(scope, {
              name: permission.name,
              attributes: { action: permission.action },
            })
              ? fakePolicy(ownerRef, permission)
              : 'DENY',
        })),
      };
      return json(answer);
    }
    if (method === 'GET' && path === '/v1/limits') {
      return json({
        permanentTokenMaxExpiresAt: DateTime.now()
          .plus({ days: 365 })
          .toUTC()
          .toISO()!,
        temporaryTokenLifetimeSeconds: 8 * 3600,
      });
    }
    if (method === 'GET' && path === '/v1/self') {
      const bearer = new Headers(init.headers).get('authorization');
      const found = [...this.tokens.values()].find(
        t => `Bearer ${t.secret}` === bearer,
      );
      if (!found || found.token.state !== 'active') {
        return error(401, 'AuthenticationError', 'Invalid API token');
      }
      return json(found.token);
    }
    if (method === 'GET' && path === '/v1/tokens') {
      const items = [...this.tokens.values()]
        .map(t => t.token)
        .filter(t => t.ownerRef === userRef);
      return json({ items });
    }
    if (method === 'GET' && path === '/v1/tokens/faults') {
      return json({ items: [] });
    }
    const revoked = path.match(/^\/v1\/tokens\/([^/]+)$/);
    if (method === 'DELETE' && revoked) {
      if (this.failRevoke === 'hang') {
        return new Promise(() => {});
      }
      if (this.failRevoke === 'error') {
        return error(503, 'ServiceUnavailableError', 'Try again later');
      }
      const found = this.tokens.get(decodeURIComponent(revoked[1]));
      if (!found || found.token.ownerRef !== userRef) {
        return error(404, 'NotFoundError', 'No such token');
      }
      found.token = {
        ...found.token,
        state: 'revoked',
        revokedAt: DateTime.now().toISO()!,
        revokedBy: userRef,
      };
      return new Response(null, { status: 204 });
    }
    return error(404, 'NotFoundError', `No route ${method} ${path}`);
  }

  private issue(options: {
    kind: ApiToken['kind'];
    name: string;
    ownerRef: string;
    createdBy: string;
    lifetime: { hours?: number; days?: number };
    scope: ApiTokenScope | null;
  }) {
    const serial = String(this.tokens.size + 1).padStart(4, '0');
    const id = `${options.kind === 'temporary' ? 'temp' : 'perm'}-${serial}`;
    const secret = `bsat_${'0'.repeat(34)}${serial}`;
    const token = makeToken({
      id,
      name: options.name,
      kind: options.kind,
      ownerRef: options.ownerRef,
      createdBy: options.createdBy,
      createdAt: DateTime.now().toISO()!,
      expiresAt: DateTime.now().plus(options.lifetime).toISO()!,
      hint: secret.slice(-4),
      scope: options.scope,
    });
    this.tokens.set(id, { token, secret });
    return { token, secret };
  }

  // The backend's 400 for plugins and permissions no installed plugin has.
  private refuseScope(scope?: ApiTokenScope | null): Response | undefined {
    const published = fakePublishedPermissions.map(p => p.name);
    const unknown = [
      ...(scope?.plugins ?? []).filter(
        id => !fakeInstalledPlugins.includes(id),
      ),
      ...(scope?.permissions ?? []).filter(name => !published.includes(name)),
    ];
    return unknown.length > 0
      ? error(400, 'InputError', `Unknown in scope: ${unknown.join(', ')}`)
      : undefined;
  }
}
