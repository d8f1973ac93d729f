import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { apiTokensTranslationRef } from '../translation';

/**
 * The "API tokens" tab of User entity pages, at `…/api-tokens`:
 * `entity-content:api-tokens/user-tokens`. It shows the user's tokens to
 * admins and to the user themself.
 */
export const apiTokensEntityContent = EntityContentBlueprint.make({
  name: 'user-tokens',
  params: {
    path: 'api-tokens',
    title: apiTokensTranslationRef('entityTab.title'),
    filter: { kind: 'user' },
    loader: () =>
      import('../components/EntityApiTokensContent').then(m => (
        <m.EntityApiTokensContent />
      )),
  },
});
