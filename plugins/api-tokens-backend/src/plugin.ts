import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { apiTokensPermissions } from '@internal/plugin-api-tokens-common';

/**
 * The API tokens backend plugin.
 *
 * @public
 */
export const apiTokensPlugin = createBackendPlugin({
  pluginId: 'api-tokens',
  register(env) {
    env.registerInit({
      deps: { permissionsRegistry: coreServices.permissionsRegistry },
      async init({ permissionsRegistry }) {
        permissionsRegistry.addPermissions(apiTokensPermissions);
      },
    });
  },
});
