import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { ApiTokensVerifyClient } from '@nholuongut/backstage-plugin-api-tokens-node';
import { createApiTokenAuthenticator } from './apiTokenAuthenticator';
import { createApiTokenSignInResolver } from './apiTokenSignInResolver';

/**
 * Registers the `api-token` sign-in provider with the auth backend:
 * `POST /api/auth/api-token/refresh` with `Authorization: Bearer <API token>`
 * returns a Backstage user token of the token's owner. Needs
 * `auth.providers.api-token: {}` in the configuration.
 *
 * @public
 */
export const authModuleApiTokenProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'api-token-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
      },
      async init({ providers, auth, discovery, logger }) {
        const verifyClient = ApiTokensVerifyClient.create({ auth, discovery });
        providers.registerProvider({
          providerId: 'api-token',
          factory: createProxyAuthProviderFactory({
            authenticator: createApiTokenAuthenticator(verifyClient),
            signInResolver: createApiTokenSignInResolver({
              logger,
              verifyClient,
            }),
          }),
        });
      },
    });
  },
});
