import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { apiTokensApiFactory } from './api/apiTokensApiFactory';
import { adminRouteRef } from './routes';

/**
 * The API tokens plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const apiTokensPlugin = createPlugin({
  id: 'api-tokens',
  apis: [apiTokensApiFactory],
  routes: {
    admin: adminRouteRef,
  },
});

/**
 * Administrator (legacy frontend system): Users, System Settings, Faults
 * and Look up a token tabs under a header. Mount it at `/api-tokens/admin`.
 *
 * @public
 */
export const ApiTokensAdminPage: () => JSX.Element = apiTokensPlugin.provide(
  createRoutableExtension({
    name: 'ApiTokensAdminPage',
    component: () =>
      import('./components/ApiTokensAdminPage').then(m => m.ApiTokensAdminPage),
    mountPoint: adminRouteRef,
  }),
);

/**
 * The "API tokens" tab (or card) of a User entity page, for apps on the
 * legacy frontend system: put it in the user page's `EntityLayout`. It
 * shows the user's tokens to admins and to the user themself.
 *
 * @public
 */
export const EntityApiTokensContent: () => JSX.Element =
  apiTokensPlugin.provide(
    createComponentExtension({
      name: 'EntityApiTokensContent',
      component: {
        lazy: () =>
          import('./components/EntityApiTokensContent').then(
            m => m.EntityApiTokensContent,
          ),
      },
    }),
  );
