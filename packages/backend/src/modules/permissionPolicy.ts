import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { createApiTokenScopedPolicy } from '@nholuongut/backstage-plugin-api-tokens-node';
import { PortalPermissionPolicy } from './PortalPermissionPolicy';

/**
 * Installs the portal's permission policy into the permission backend,
 * wrapped so that scoped API tokens are denied what their scope excludes.
 */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'portal-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, userInfo, policy }) {
        policy.setPolicy(
          createApiTokenScopedPolicy(
            PortalPermissionPolicy.fromConfig(config, userInfo),
          ),
        );
      },
    });
  },
});
