import {
  AuthService,
  DiscoveryService,
  LoggerService,
  RootInstanceMetadataService,
} from '@backstage/backend-plugin-api';
import { InputError, toError } from '@backstage/errors';
import { ApiTokenScope } from '@nholuongut/backstage-plugin-api-tokens-common';
import { Permission } from '@backstage/plugin-permission-common';

/** A permission as an installed plugin publishes it. */
export type PublishedPermission = Permission & { pluginId: string };

/** How long the installed plugins and their permissions are remembered. */
const CACHE_MS = 60_000;
const METADATA_PATH = '/.well-known/backstage/permissions/metadata';

/**
 * The backend plugins installed in this backend and the permissions they
 * publish (`/.well-known/backstage/permissions/metadata`): what a scope may
 * name, and what a scope preview asks the policy about.
 */
export class InstalledPermissions {
  private readonly instanceMetadata: Pick<
    RootInstanceMetadataService,
    'getInstalledPlugins'
  >;
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;
  private readonly logger: LoggerService;
  private loaded?: {
    at: number;
    value: Promise<{ plugins: string[]; permissions: PublishedPermission[] }>;
  };

  constructor(options: {
    instanceMetadata: Pick<RootInstanceMetadataService, 'getInstalledPlugins'>;
    discovery: DiscoveryService;
    auth: AuthService;
    logger: LoggerService;
  }) {
    this.instanceMetadata = options.instanceMetadata;
    this.discovery = options.discovery;
    this.auth = options.auth;
    this.logger = options.logger;
  }

  /** The installed plugin ids, sorted, and their permissions, by name. */
  async list(): Promise<{
    plugins: string[];
    permissions: PublishedPermission[];
  }> {
    if (!this.loaded || Date.now() - this.loaded.at > CACHE_MS) {
      const value = this.load();
      this.loaded = { at: Date.now(), value };
      value.catch(() => {
        if (this.loaded?.value === value) {
          this.loaded = undefined;
        }
      });
    }
    return this.loaded.value;
  }

  /**
   * Checks that a scope names only installed plugins and published
   * permissions, and returns it without duplicates, sorted. Throws an
   * `InputError` that names the unknown entries.
   */
  async parseScope(
    scope: ApiTokenScope | null | undefined,
  ): Promise<ApiTokenScope | null> {
    if (!scope) {
      return null;
    }
    const { plugins, permissions } = await this.list();
    const parsed: ApiTokenScope = {};
    if (scope.plugins) {
      parsed.plugins = known('scope.plugins', 'plugin', scope.plugins, plugins);
    }
    if (scope.permissions) {
      parsed.permissions = known(
        'scope.permissions',
        'permission',
        scope.permissions,
        permissions.map(permission => permission.name),
      );
    }
    if (scope.readOnly) {
      parsed.readOnly = true;
    }
    return parsed;
  }

  private async load() {
    const installed = await this.instanceMetadata.getInstalledPlugins();
    const plugins = installed.map(plugin => plugin.pluginId).sort();
    const published = await Promise.all(
      plugins.map(pluginId => this.readPermissions(pluginId)),
    );
    const byName = new Map<string, PublishedPermission>();
    for (const permission of published.flat()) {
      byName.set(permission.name, permission);
    }
    return {
      plugins,
      permissions: [...byName.values()].sort((a, b) =>
        a.name.localeCompare(b.name, 'en'),
      ),
    };
  }

  /**
   * The permissions a plugin publishes. A plugin that serves no metadata
   * (it registers no permissions), or answers otherwise, publishes none
   * here: its permissions cannot be named in a scope, which only narrows.
   */
  private async readPermissions(
    pluginId: string,
  ): Promise<PublishedPermission[]> {
    try {
      const { token } = await this.auth.getPluginRequestToken({
        onBehalfOf: await this.auth.getOwnServiceCredentials(),
        targetPluginId: pluginId,
      });
      const url = `${await this.discovery.getBaseUrl(
        pluginId,
      )}${METADATA_PATH}`;
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(5_000),
      });
      if (response.status === 404) {
        return [];
      }
      if (!response.ok) {
        throw new Error(`${url} answered ${response.status}`);
      }
      const body = (await response.json()) as { permissions?: Permission[] };
      return (body.permissions ?? []).map(permission => ({
        ...permission,
        pluginId,
      }));
    } catch (error) {
      this.logger.warn(
        `Could not read the permissions of plugin ${pluginId}; scopes cannot name them`,
        toError(error),
      );
      return [];
    }
  }
}

function known(
  field: string,
  what: string,
  requested: string[],
  available: string[],
): string[] {
  const availableSet = new Set(available);
  const unknown = [...new Set(requested)].filter(
    name => !availableSet.has(name),
  );
  if (unknown.length > 0) {
    const listed = unknown.slice(0, 10).map(name => JSON.stringify(name));
    const more = unknown.length > 10 ? ` and ${unknown.length - 10} more` : '';
    throw new InputError(
      `${field}: unknown ${what}${
        unknown.length === 1 ? '' : 's'
      } ${listed.join(', ')}${more}; this portal has ${
        available.length
      } ${what}s, see the scope preview`,
    );
  }
  return [...new Set(requested)].sort();
}
