import { EmptyState } from '@backstage/core-components';

/** The message of {@link NotAllowedPanel}. */
export const NOT_ALLOWED_MESSAGE = 'You are not allowed to manage API tokens';

/**
 * Shown instead of an admin page to people the permission policy refuses.
 */
export function NotAllowedPanel() {
  return (
    <EmptyState
      missing="content"
      title={NOT_ALLOWED_MESSAGE}
      description="This page is for administrators of API tokens. Ask an administrator of this portal if you need access."
    />
  );
}
