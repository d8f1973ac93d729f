import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The header that names the example user to sign in as. */
export const DEV_USER_HEADER = 'x-dev-user';

type DevSignInResult = { userName: string };

/**
 * The local sign-in of the example portal: a proxy provider `dev` that signs
 * in whichever catalog user the `x-dev-user` header names. It trusts the
 * caller completely, so it is configured per environment
 * (`auth.providers.dev.development`) like Backstage's OAuth providers: with the
 * production config (`auth.environment: production`) it is not offered, and
 * configuring it for production stops the backend.
 */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'dev-sign-in',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        providers: authProvidersExtensionPoint,
      },
      async init({ config, providers }) {
        const environment =
          config.getOptionalString('auth.environment') ?? 'development';
        if (!config.has(`auth.providers.dev.${environment}`)) {
          return;
        }
        if (environment === 'production') {
          throw new Error(
            'The dev sign-in provider signs in anyone without a password; ' +
              'remove auth.providers.dev.production from the configuration',
          );
        }
        providers.registerProvider({
          providerId: 'dev',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async (result: DevSignInResult) => ({
                profile: { displayName: result.userName },
              }),
              initialize: () => undefined,
              async authenticate({
                req,
              }): Promise<{ result: DevSignInResult }> {
                const userName = req.header(DEV_USER_HEADER)?.trim();
                if (!userName) {
                  throw new AuthenticationError(
                    `The ${DEV_USER_HEADER} header must name the user to sign in as`,
                  );
                }
                return { result: { userName } };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({
                entityRef: { name: result.userName },
              }),
          }),
        });
      },
    });
  },
});
