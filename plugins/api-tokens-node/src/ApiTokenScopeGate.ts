import { DiscoveryService } from '@backstage/backend-plugin-api';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import {
  ALWAYS_REACHABLE_PLUGIN_IDS,
  ApiTokenScope,
  describeApiTokenScope,
  scopeAllowsPlugin,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { apiTokenScopeStateFor } from './apiTokenRequestContext';

const READ_METHODS = new Set(['GET', 'HEAD']);
const METADATA_PATH = '/.well-known/backstage/permissions/metadata';

/**
 * The plugin and method limits of token scopes, for one plugin: what the
 * token-handler decorator applies before a plugin's handler runs. Permission
 * limits are the scoped policy's (`createApiTokenScopedPolicy`); this holds
 * the scope for it in the request's context.
 */
export class ApiTokenScopeGate {
  readonly #pluginId: string;
  readonly #discovery: DiscoveryService;
  readonly #serviceToken: () => Promise<string>;
  #publishesPermissions?: Promise<boolean>;

  constructor(options: {
    pluginId: string;
    discovery: DiscoveryService;
    /** A service token of this plugin for itself. */
    serviceToken: () => Promise<string>;
  }) {
    this.#pluginId = options.pluginId;
    this.#discovery = options.discovery;
    this.#serviceToken = options.serviceToken;
  }

  /**
   * Admits a request made with an API token, or a token exchanged for one,
   * to this plugin, or throws `NotAllowedError` (403) naming the plugin and
   * the scope; then holds the scope for the request.
   */
  async admit(token: string, scope: ApiTokenScope | null): Promise<void> {
    if (scope === null) {
      this.hold(token, scope);
      return;
    }
    const state = this.#requireState(token);
    if (!scopeAllowsPlugin(scope, this.#pluginId)) {
      throw new NotAllowedError(
        `This API token may not call the '${
          this.#pluginId
        }' plugin; its scope allows ${describeApiTokenScope(scope)}`,
      );
    }
    if (
      scope.readOnly &&
      !READ_METHODS.has(state.method.toUpperCase()) &&
      !ALWAYS_REACHABLE_PLUGIN_IDS.includes(this.#pluginId) &&
      !(await this.#pluginPublishesPermissions())
    ) {
      throw new NotAllowedError(
        `This API token is read-only: the '${
          this.#pluginId
        }' plugin checks no permissions, so only GET and HEAD requests are allowed; its scope allows ${describeApiTokenScope(
          scope,
        )}`,
      );
    }
    state.scope = scope;
  }

  /**
   * Holds the scope of the API token behind a request for the scoped
   * policy, without plugin or method limits: for calls that a plugin makes
   * on behalf of the token's owner.
   */
  hold(token: string, scope: ApiTokenScope | null): void {
    if (scope === null) {
      const state = apiTokenScopeStateFor(token);
      if (state) {
        state.scope = null;
      }
      return;
    }
    this.#requireState(token).scope = scope;
  }

  #requireState(token: string) {
    const state = apiTokenScopeStateFor(token);
    if (!state) {
      // Without the request's context the scoped policy could not see the
      // scope, and would allow what it excludes.
      throw new ServiceUnavailableError(
        'Scoped API tokens need the api-tokens middleware on the root HTTP router (apiTokensRootHttpRouterServiceFactory or createApiTokenMiddleware)',
      );
    }
    return state;
  }

  /**
   * Whether this plugin publishes permissions, which then decide what a
   * read-only token may do there; asked once.
   */
  #pluginPublishesPermissions(): Promise<boolean> {
    if (!this.#publishesPermissions) {
      const asked = this.#askPublishesPermissions();
      this.#publishesPermissions = asked;
      asked.catch(() => {
        this.#publishesPermissions = undefined;
      });
    }
    return this.#publishesPermissions;
  }

  async #askPublishesPermissions(): Promise<boolean> {
    let response: Response;
    try {
      response = await fetch(
        `${await this.#discovery.getBaseUrl(this.#pluginId)}${METADATA_PATH}`,
        {
          headers: { authorization: `Bearer ${await this.#serviceToken()}` },
          signal: AbortSignal.timeout(5_000),
        },
      );
    } catch (error) {
      throw new ServiceUnavailableError(
        `Could not read the permissions of the '${this.#pluginId}' plugin`,
        error,
      );
    }
    if (response.status === 404) {
      return false;
    }
    if (!response.ok) {
      throw new ServiceUnavailableError(
        `Could not read the permissions of the '${this.#pluginId}' plugin: ${
          response.status
        }`,
      );
    }
    const body = (await response.json()) as { permissions?: unknown[] };
    return (body.permissions?.length ?? 0) > 0;
  }
}
