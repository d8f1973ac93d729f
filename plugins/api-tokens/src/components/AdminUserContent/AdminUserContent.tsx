import {
  InfoCard,
  Link,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { UserEntity } from '@backstage/catalog-model';
import {
  BreadcrumbEntry,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import MaterialLink from '@material-ui/core/Link';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import { parseUserRef } from '@nholuongut/backstage-plugin-api-tokens-common';
import { useState } from 'react';
import { useResolvedPath } from 'react-router-dom';
import { useCatalogUser } from '../../hooks';
import { apiTokensTranslationRef } from '../../translation';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { UserTokensPanel } from '../UserTokensPanel';

/** Props of {@link AdminUserContent}. */
export interface AdminUserContentProps {
  /** A user's entity name (`jane`) or full ref (`user:default/jane`). */
  userRef: string;
}

function UserPage(props: { userRef: string }) {
  const { userRef } = props;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const user = useCatalogUser(userRef);
  const [tab, setTab] = useState(0);
  const { pathname } = useResolvedPath('.');

  if (user.loading) {
    return <Progress />;
  }
  const entity = user.value as UserEntity | undefined;
  const displayName =
    entity?.spec?.profile?.displayName ??
    entity?.metadata.title ??
    entity?.metadata.name ??
    userRef;
  const email = entity?.spec?.profile?.email;

  // In the new frontend system the page header's breadcrumb ends with the
  // user ("Administrator › Users › Jane Doe"); the legacy page has none.
  return (
    <BreadcrumbEntry entry={{ label: displayName, href: pathname }}>
      <Box marginBottom={2}>
        <Link to="..">
          <Box display="inline-flex" alignItems="center">
            <ArrowBackIcon fontSize="small" />
            {t('user.allUsers')}
          </Box>
        </Link>
      </Box>
      {user.error && (
        <ApiErrorPanel error={user.error} title={t('user.loadError')} />
      )}
      {!user.error && !entity && (
        <WarningPanel
          defaultExpanded
          title={t('user.notInCatalog', { userRef })}
          message={t('user.notInCatalogText')}
        />
      )}
      <InfoCard>
        <Typography variant="h4" component="h2">
          {displayName}
        </Typography>
        {email && (
          <Typography variant="body1">
            <MaterialLink href={`mailto:${email}`}>{email}</MaterialLink>
          </Typography>
        )}
        <Typography variant="body2" color="textSecondary">
          {userRef}
        </Typography>
      </InfoCard>
      <Box marginTop={2}>
        <Tabs
          value={tab}
          onChange={(_event, value: number) => setTab(value)}
          indicatorColor="primary"
          aria-label={t('user.tabs')}
        >
          <Tab
            label={t('user.tokensTab')}
            id="api-tokens-user-tab-tokens"
            aria-controls="api-tokens-user-panel-tokens"
          />
        </Tabs>
        <Box
          role="tabpanel"
          id="api-tokens-user-panel-tokens"
          aria-labelledby="api-tokens-user-tab-tokens"
          paddingTop={2}
        >
          {tab === 0 && (
            <UserTokensPanel userRef={userRef} userName={displayName} />
          )}
        </Box>
      </Box>
    </BreadcrumbEntry>
  );
}

/**
 * A user's admin page: who they are (display name, email) and a "Tokens"
 * tab with their API tokens.
 */
export function AdminUserContent(props: AdminUserContentProps) {
  const { t } = useTranslationRef(apiTokensTranslationRef);
  let userRef: string;
  try {
    userRef = parseUserRef(props.userRef);
  } catch {
    return (
      <WarningPanel
        defaultExpanded
        title={t('user.notAUser', { userRef: props.userRef })}
        message={t('user.notAUserText')}
      />
    );
  }
  return <UserPage userRef={userRef} />;
}
