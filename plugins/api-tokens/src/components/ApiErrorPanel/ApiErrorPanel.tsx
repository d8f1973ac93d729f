import { ResponseErrorPanel } from '@backstage/core-components';
import { errorMessage } from '../../lib/errorMessage';

/**
 * A failed call, titled with the server's own message rather than the
 * generic "Request failed with 403 Forbidden".
 */
export function ApiErrorPanel(props: { error: Error; title?: string }) {
  const { error, title } = props;
  const message = errorMessage(error);
  return (
    <ResponseErrorPanel
      error={error}
      title={title ? `${title}: ${message}` : message}
    />
  );
}
