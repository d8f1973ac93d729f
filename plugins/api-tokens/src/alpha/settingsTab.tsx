import { Content } from '@backstage/core-components';
import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
import { SubPageBlueprint } from '@backstage/frontend-plugin-api';
import { apiTokensTranslationRef } from '../translation';

/**
 * The "API Tokens" tab of the Settings page, at `/settings/api-tokens`:
 * `sub-page:api-tokens/settings`.
 */
export const apiTokensSettingsTab = SubPageBlueprint.make({
  name: 'settings',
  attachTo: { id: 'page:user-settings', input: 'pages' },
  params: {
    path: 'api-tokens',
    title: apiTokensTranslationRef('pages.settingsTab'),
    loader: () =>
      import('../components/ApiTokensSettingsContent').then(m => (
        // Its links use React Router v6.
        <ReactRouterV6PageRouter>
          <Content>
            <m.ApiTokensSettingsContent />
          </Content>
        </ReactRouterV6PageRouter>
      )),
  },
});
