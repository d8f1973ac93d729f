import { Content } from '@backstage/core-components';
import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
import {
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import { RiShieldUserLine } from '@remixicon/react';
import { adminRouteRef } from '../routes';
import { apiTokensTranslationRef } from '../translation';

/**
 * Administrator, at `/api-tokens/admin`: `page:api-tokens/admin`. Its title
 * and icon make it a nav item; the app's sidebar shows that item to admins
 * only.
 */
export const apiTokensAdminPage = PageBlueprint.make({
  name: 'admin',
  params: {
    path: '/api-tokens/admin',
    routeRef: adminRouteRef,
    title: apiTokensTranslationRef('pages.admin'),
    icon: <RiShieldUserLine />,
  },
});

const attachTo = { id: 'page:api-tokens/admin', input: 'pages' };

/**
 * A sub-page's content. ReactRouterV6PageRouter, because its routes and links
 * use React Router v6, which the new frontend system otherwise warns about.
 */
function subPage(content: JSX.Element): JSX.Element {
  return (
    <ReactRouterV6PageRouter>
      <Content>{content}</Content>
    </ReactRouterV6PageRouter>
  );
}

/** Administrator → Users: `sub-page:api-tokens/admin-users`. */
export const apiTokensAdminUsersPage = SubPageBlueprint.make({
  name: 'admin-users',
  attachTo,
  params: {
    path: 'users',
    title: apiTokensTranslationRef('pages.users'),
    loader: () =>
      import('../components/AdminUsersContent').then(m =>
        subPage(<m.AdminUsersContent />),
      ),
  },
});

/** Administrator → Tokens: `sub-page:api-tokens/admin-tokens`. */
export const apiTokensAdminTokensPage = SubPageBlueprint.make({
  name: 'admin-tokens',
  attachTo,
  params: {
    path: 'tokens',
    title: apiTokensTranslationRef('pages.tokens'),
    loader: () =>
      import('../components/TokenInventoryContent').then(m =>
        subPage(<m.TokenInventoryContent />),
      ),
  },
});

/** Administrator → System Settings: `sub-page:api-tokens/admin-settings`. */
export const apiTokensAdminSettingsPage = SubPageBlueprint.make({
  name: 'admin-settings',
  attachTo,
  params: {
    path: 'settings',
    title: apiTokensTranslationRef('pages.systemSettings'),
    loader: () =>
      import('../components/AdminSettingsContent').then(m =>
        subPage(<m.AdminSettingsContent />),
      ),
  },
});

/** Administrator → Faults: `sub-page:api-tokens/admin-faults`. */
export const apiTokensAdminFaultsPage = SubPageBlueprint.make({
  name: 'admin-faults',
  attachTo,
  params: {
    path: 'faults',
    title: apiTokensTranslationRef('pages.faults'),
    loader: () =>
      import('../components/AdminFaultsContent').then(m =>
        subPage(<m.AdminFaultsContent />),
      ),
  },
});

/** Administrator → Look up a token: `sub-page:api-tokens/admin-lookup`. */
export const apiTokensAdminLookupPage = SubPageBlueprint.make({
  name: 'admin-lookup',
  attachTo,
  params: {
    path: 'lookup',
    title: apiTokensTranslationRef('pages.lookup'),
    loader: () =>
      import('../components/AdminLookupContent').then(m =>
        subPage(<m.AdminLookupContent />),
      ),
  },
});
