import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  apiTokensFaultsReadPermission,
  apiTokensReadPermission,
} from '@nholuongut/backstage-plugin-api-tokens-common';

// The users and the permission policy of the tests, for route tests and
// service tests alike.

export const ALICE = 'user:default/alice';
export const BOB = 'user:default/bob';
export const CAROL = 'user:default/carol';
/**
 * Not an admin, but the policy lets him read anyone's tokens and every
 * fault; he may not run the expiry check.
 */
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

/** The permissions the policy allows dan. */
const DAN_MAY = [
  apiTokensReadPermission.name,
  apiTokensFaultsReadPermission.name,
];

/** The catalog of the tests. */
export const CATALOG_USERS = ['alice', 'bob', 'carol', 'dan', 'erin'].map(user);

/**
 * The permission policy of the tests, like the portal's: every api-tokens
 * permission for alice (the admin), only reading tokens and faults for dan,
 * none of them for anyone else; everything else allowed.
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
  if (principal.userEntityRef === DAN && DAN_MAY.includes(permissionName)) {
    return AuthorizeResult.ALLOW;
  }
  return AuthorizeResult.DENY;
}

/** The permissions service of the tests, which applies {@link decide}. */
export const testPermissions: PermissionsService = {
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

/** {@link testPermissions} as a service factory. */
export const testPermissionsFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => testPermissions,
});
