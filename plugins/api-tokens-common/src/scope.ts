import { ApiTokenScope } from './types';

/**
 * The plugins every token may reach whatever its scope, because they grant
 * nothing and only answer about the token's own identity and power: the
 * permission backend (`POST /api/permission/authorize`, also what the
 * scope preview asks) and the auth backend (`/v1/userinfo`, which the
 * permission backend asks on behalf of the token's owner).
 *
 * @public
 */
export const ALWAYS_REACHABLE_PLUGIN_IDS: readonly string[] = [
  'auth',
  'permission',
];

/**
 * What the scope rules need to know of a permission, the shape that
 * `@backstage/plugin-permission-common` permissions have.
 *
 * @public
 */
export interface ScopedPermission {
  name: string;
  attributes?: { action?: 'create' | 'read' | 'update' | 'delete' };
}

const WRITE_ACTIONS = new Set(['create', 'update', 'delete']);

/**
 * Whether a permission only reads: its action is `read`, or it has no
 * action and its name does not end in a create, update or delete verb.
 *
 * @public
 */
export function isReadPermission(permission: ScopedPermission): boolean {
  const action = permission.attributes?.action;
  if (action !== undefined) {
    return action === 'read';
  }
  const verb = permission.name.slice(permission.name.lastIndexOf('.') + 1);
  return !WRITE_ACTIONS.has(verb);
}

/**
 * Whether a token's scope leaves a permission to the owner's policy. The
 * scope only removes: a permission it leaves is then decided by the owner's
 * policy, like `accessRestrictions` for service principals. A null scope
 * leaves every permission.
 *
 * @public
 */
export function scopeAllowsPermission(
  scope: ApiTokenScope | null,
  permission: ScopedPermission,
): boolean {
  if (!scope) {
    return true;
  }
  if (scope.permissions && !scope.permissions.includes(permission.name)) {
    return false;
  }
  return !scope.readOnly || isReadPermission(permission);
}

/**
 * Whether a request made with a token may reach a plugin at all. Some are
 * always reachable (see {@link ALWAYS_REACHABLE_PLUGIN_IDS}).
 *
 * @public
 */
export function scopeAllowsPlugin(
  scope: ApiTokenScope | null,
  pluginId: string,
): boolean {
  return (
    !scope?.plugins ||
    ALWAYS_REACHABLE_PLUGIN_IDS.includes(pluginId) ||
    scope.plugins.includes(pluginId)
  );
}

/**
 * Describes a scope in a sentence for messages and audit logs, e.g.
 * `plugins: catalog, search; read only`.
 *
 * @public
 */
export function describeApiTokenScope(scope: ApiTokenScope | null): string {
  if (!scope) {
    return "the owner's full access";
  }
  const parts = [];
  if (scope.plugins) {
    parts.push(`plugins: ${scope.plugins.join(', ') || 'none'}`);
  }
  if (scope.permissions) {
    parts.push(`permissions: ${scope.permissions.join(', ') || 'none'}`);
  }
  if (scope.readOnly) {
    parts.push('read only');
  }
  return parts.join('; ') || 'no limits';
}
