import { stringifyEntityRef } from '@backstage/catalog-model';
import { EmptyState, Progress } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { apiTokensReadPermission } from '@nholuongut/backstage-plugin-api-tokens-common';
import { useAsyncData } from '../../hooks';
import { apiTokensTranslationRef } from '../../translation';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { UserTokensPanel } from '../UserTokensPanel';

/**
 * The "API tokens" tab of a User entity page: that user's tokens, for
 * admins (with Add and Revoke, as their permissions allow) and for the user
 * themself; everyone else is told who may see them.
 */
export function EntityApiTokensContent() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const identityApi = useApi(identityApiRef);
  const canRead = usePermission({ permission: apiTokensReadPermission });
  const identity = useAsyncData(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );

  if (entity.kind.toLocaleLowerCase('en-US') !== 'user') {
    return (
      <EmptyState
        missing="info"
        title={t('entityTab.title')}
        description={t('entityTab.notAUser', { kind: entity.kind })}
      />
    );
  }
  if (identity.error) {
    return (
      <ApiErrorPanel error={identity.error} title={t('entityTab.title')} />
    );
  }
  if (canRead.loading || identity.loading) {
    return <Progress />;
  }
  const userRef = stringifyEntityRef(entity);
  if (!canRead.allowed && identity.value?.userEntityRef !== userRef) {
    return (
      <EmptyState
        missing="info"
        title={t('entityTab.title')}
        description={t('entityTab.notAllowed')}
      />
    );
  }
  const userName =
    (entity.spec?.profile as { displayName?: string } | undefined)
      ?.displayName ??
    entity.metadata.title ??
    entity.metadata.name;
  return <UserTokensPanel userRef={userRef} userName={userName} />;
}
