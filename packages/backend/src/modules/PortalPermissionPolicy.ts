import { UserInfoService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { apiTokensPermissions } from '@nholuongut/backstage-plugin-api-tokens-common';

const ADMIN_ONLY_PERMISSIONS = new Set([
  ...apiTokensPermissions.map(permission => permission.name),
  // Lets a test show that an API token is held to its owner's rights.
  'catalog.entity.delete',
]);

/**
 * The portal's permission policy: the API token admin permissions (and
 * deleting catalog entities) belong to members of `apiTokens.adminGroups`;
 * everything else is allowed.
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  static fromConfig(config: Config, userInfo: UserInfoService) {
    const adminGroups = config.getOptionalStringArray(
      'apiTokens.adminGroups',
    ) ?? ['group:default/admins'];
    return new PortalPermissionPolicy(new Set(adminGroups), userInfo);
  }

  private constructor(
    private readonly adminGroups: ReadonlySet<string>,
    private readonly userInfo: UserInfoService,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!ADMIN_ONLY_PERMISSIONS.has(request.permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    const isAdmin = ownershipEntityRefs.some(ref => this.adminGroups.has(ref));
    return { result: isAdmin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
  }
}
