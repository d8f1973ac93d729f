import { createPlugin } from '@backstage/core-plugin-api';

/**
 * The API tokens plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const apiTokensPlugin = createPlugin({
  id: 'api-tokens',
});
