import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Allows creating a permanent API token on behalf of any user.
 *
 * @public
 */
export const apiTokensCreatePermission = createPermission({
  name: 'api-tokens.token.create',
  attributes: { action: 'create' },
});

/**
 * Allows listing the API tokens of any user.
 *
 * @public
 */
export const apiTokensReadPermission = createPermission({
  name: 'api-tokens.token.read',
  attributes: { action: 'read' },
});

/**
 * Allows revoking any user's API token. Owners may always revoke their own.
 *
 * @public
 */
export const apiTokensRevokePermission = createPermission({
  name: 'api-tokens.token.revoke',
  attributes: { action: 'delete' },
});

/**
 * Allows rotating any user's permanent API token: a new token with the same
 * grant replaces it, and the old one keeps working for an overlap.
 *
 * @public
 */
export const apiTokensRotatePermission = createPermission({
  name: 'api-tokens.token.rotate',
  attributes: { action: 'create' },
});

/**
 * Allows reading the API token system settings.
 *
 * @public
 */
export const apiTokensSettingsReadPermission = createPermission({
  name: 'api-tokens.settings.read',
  attributes: { action: 'read' },
});

/**
 * Allows changing the API token system settings.
 *
 * @public
 */
export const apiTokensSettingsUpdatePermission = createPermission({
  name: 'api-tokens.settings.update',
  attributes: { action: 'update' },
});

/**
 * Allows reading the expiry faults of every user's tokens.
 *
 * @public
 */
export const apiTokensFaultsReadPermission = createPermission({
  name: 'api-tokens.faults.read',
  attributes: { action: 'read' },
});

/**
 * Allows running the expiry check on demand, which raises faults and sends
 * notices and emails.
 *
 * @public
 */
export const apiTokensFaultsRunPermission = createPermission({
  name: 'api-tokens.faults.run',
  attributes: { action: 'update' },
});

/**
 * Allows acknowledging an open fault, which stops its emails and owner
 * notices.
 *
 * @public
 */
export const apiTokensFaultsUpdatePermission = createPermission({
  name: 'api-tokens.faults.update',
  attributes: { action: 'update' },
});

/**
 * Every permission of the API tokens plugin; all of them are admin-only.
 *
 * @public
 */
export const apiTokensPermissions = [
  apiTokensCreatePermission,
  apiTokensReadPermission,
  apiTokensRevokePermission,
  apiTokensRotatePermission,
  apiTokensSettingsReadPermission,
  apiTokensSettingsUpdatePermission,
  apiTokensFaultsReadPermission,
  apiTokensFaultsRunPermission,
  apiTokensFaultsUpdatePermission,
];
