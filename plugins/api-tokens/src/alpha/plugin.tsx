import { createFrontendPlugin } from '@backstage/frontend-plugin-api';

/**
 * The API tokens plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'api-tokens',
  extensions: [],
});
