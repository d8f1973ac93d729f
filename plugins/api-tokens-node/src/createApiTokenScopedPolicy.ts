import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { scopeAllowsPermission } from '@nholuongut/backstage-plugin-api-tokens-common';
import { currentApiTokenScope } from './apiTokenRequestContext';

/**
 * Wraps a permission policy so that requests made with a scoped API token
 * (directly, with a token exchanged for it, or forwarded by a plugin on
 * behalf of its owner) are denied every permission outside the token's
 * scope. Inside the scope the wrapped policy decides, so a token never
 * exceeds its owner. This mirrors what Backstage's `ServerPermissionClient`
 * does with the access restrictions of service principals. Install it where
 * the permission backend's policy is set:
 *
 * ```ts
 * policy.setPolicy(createApiTokenScopedPolicy(new MyPolicy()));
 * ```
 *
 * It reads the scope that the token-handler decorator holds for the request
 * (see `apiTokenHandlerDecoratorServiceFactory`).
 *
 * @public
 */
export function createApiTokenScopedPolicy(
  policy: PermissionPolicy,
): PermissionPolicy {
  return {
    async handle(
      request: PolicyQuery,
      user?: PolicyQueryUser,
    ): Promise<PolicyDecision> {
      const scope = currentApiTokenScope();
      if (
        user !== undefined &&
        scope !== undefined &&
        !scopeAllowsPermission(scope, request.permission)
      ) {
        return { result: AuthorizeResult.DENY };
      }
      return policy.handle(request, user);
    },
  };
}
