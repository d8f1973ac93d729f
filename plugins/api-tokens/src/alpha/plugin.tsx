import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { RiKey2Line } from '@remixicon/react';
import { adminRouteRef } from '../routes';
import { apiTokensApi } from './apis';
import {
  apiTokensAdminFaultsPage,
  apiTokensAdminLookupPage,
  apiTokensAdminPage,
  apiTokensAdminSettingsPage,
  apiTokensAdminUsersPage,
} from './pages';
import { apiTokensSettingsTab } from './settingsTab';

/**
 * The API tokens plugin for the new frontend system: the "API Tokens" tab of
 * the Settings page and the Administrator page with Users, System Settings,
 * Faults and Look up a token.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'api-tokens',
  title: 'API Tokens',
  icon: <RiKey2Line />,
  info: { packageJson: () => import('../../package.json') },
  routes: {
    admin: adminRouteRef,
  },
  extensions: [
    apiTokensApi,
    apiTokensSettingsTab,
    apiTokensAdminPage,
    apiTokensAdminUsersPage,
    apiTokensAdminSettingsPage,
    apiTokensAdminFaultsPage,
    apiTokensAdminLookupPage,
  ],
});
