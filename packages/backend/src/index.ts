import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  ApiTokenFailureLimiter,
  createApiTokenExpirationMiddleware,
} from '@internal/plugin-api-tokens-node';

const backend = createBackend();

// Responses to requests made with an API token say when it expires, and
// addresses that keep guessing tokens get 429.
backend.add(
  rootHttpRouterServiceFactory({
    configure({ app, config, applyDefaults }) {
      app.use(ApiTokenFailureLimiter.fromConfig(config).middleware);
      app.use(createApiTokenExpirationMiddleware());
      applyDefaults();
    },
  }),
);
// Lets `Authorization: Bearer <api token>` work on every plugin.
backend.add(import('@internal/plugin-api-tokens-node'));

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('./modules/devSignIn'));
backend.add(import('@internal/plugin-auth-backend-module-api-token-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@internal/plugin-api-tokens-backend'));

backend.start();
