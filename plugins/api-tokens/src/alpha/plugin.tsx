import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { RiKey2Line } from '@remixicon/react';
import { adminRouteRef } from '../routes';
import { apiTokensApi } from './apis';
import { apiTokensEntityContent } from './entityContent';
import {
  apiTokensAdminFaultsPage,
  apiTokensAdminLookupPage,
  apiTokensAdminPage,
  apiTokensAdminSettingsPage,
  apiTokensAdminTokensPage,
  apiTokensAdminUsersPage,
} from './pages';
import { apiTokensSettingsTab } from './settingsTab';

/**
 * The API tokens plugin for the new frontend system: the "API Tokens" tab of
 * the Settings page, the Administrator page with Users, Tokens, System
 * Settings, Faults and Look up a token, and the "API tokens" tab of User
 * entity pages.
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
    apiTokensAdminTokensPage,
    apiTokensAdminSettingsPage,
    apiTokensAdminFaultsPage,
    apiTokensAdminLookupPage,
    apiTokensEntityContent,
  ],
});
