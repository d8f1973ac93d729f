import { EmptyState } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { apiTokensTranslationRef } from '../../translation';

/**
 * Shown instead of an admin page to people the permission policy refuses.
 */
export function NotAllowedPanel() {
  const { t } = useTranslationRef(apiTokensTranslationRef);
  return (
    <EmptyState
      missing="content"
      title={t('notAllowed.title')}
      description={t('notAllowed.description')}
    />
  );
}
