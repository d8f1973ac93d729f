import { ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { errorMessage } from '../../lib/errorMessage';
import { apiTokensTranslationRef } from '../../translation';

/**
 * A failed call, titled with the server's own message rather than the
 * generic "Request failed with 403 Forbidden".
 */
export function ApiErrorPanel(props: { error: Error; title?: string }) {
  const { error, title } = props;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const message = errorMessage(error);
  return (
    <ResponseErrorPanel
      error={error}
      title={title ? t('common.errorWithMessage', { title, message }) : message}
    />
  );
}
