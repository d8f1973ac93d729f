import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ApiTokensClient, apiTokensApiRef } from './api';
import { adminRouteRef } from './routes';

/**
 * The API tokens plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const apiTokensPlugin = createPlugin({
  id: 'api-tokens',
  apis: [
    createApiFactory({
      api: apiTokensApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ApiTokensClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    admin: adminRouteRef,
  },
});

/**
 * Administrator (legacy frontend system): Users, System Settings and Faults
 * tabs under a header. Mount it at `/api-tokens/admin`.
 *
 * @public
 */
export const ApiTokensAdminPage = apiTokensPlugin.provide(
  createRoutableExtension({
    name: 'ApiTokensAdminPage',
    component: () =>
      import('./components/ApiTokensAdminPage').then(m => m.ApiTokensAdminPage),
    mountPoint: adminRouteRef,
  }),
);
