import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

// Lets `Authorization: Bearer <api token>` work on every plugin.
backend.add(import('@nholuongut/backstage-plugin-api-tokens-node'));
// The root HTTP router with the API token middleware: responses to requests
// made with an API token say when it expires, and addresses that keep
// guessing tokens get 429.
backend.add(
  import('@nholuongut/backstage-plugin-api-tokens-node/rootHttpRouter'),
);

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('./modules/devSignIn'));
backend.add(
  import('@nholuongut/backstage-plugin-auth-backend-module-api-token-provider'),
);

backend.add(import('@backstage/plugin-catalog-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@nholuongut/backstage-plugin-api-tokens-backend'));

backend.start();
