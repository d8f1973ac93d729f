import { DiscoveryService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PublishedPermission } from './InstalledPermissions';

const PROBE_TIMEOUT_MS = 10_000;

/**
 * Asks the permission backend (`POST /api/permission/authorize`) what a
 * request made with an API token would be allowed, the way any client of the
 * token would ask: the answer comes from the portal's own policy, with the
 * token's scope applied by the token handler and the scoped policy.
 */
export class PermissionProbe {
  constructor(private readonly discovery: DiscoveryService) {}

  async authorize(
    secret: string,
    permissions: PublishedPermission[],
  ): Promise<AuthorizeResult[]> {
    const url = `${await this.discovery.getBaseUrl('permission')}/authorize`;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secret}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        items: permissions.map(({ pluginId: _pluginId, ...permission }, i) => ({
          id: String(i),
          permission,
        })),
      }),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new ServiceUnavailableError(
        `The permission backend answered ${response.status} to the scope preview`,
      );
    }
    const { items } = (await response.json()) as {
      items: Array<{ id: string; result: AuthorizeResult }>;
    };
    const byId = new Map(items.map(item => [item.id, item.result]));
    return permissions.map((permission, i) => {
      const result = byId.get(String(i));
      if (result === undefined) {
        throw new ServiceUnavailableError(
          `The permission backend gave no decision for ${permission.name}`,
        );
      }
      return result;
    });
  }
}
