import {
  InfoCard,
  Link,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
  UserEntity,
} from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import MaterialLink from '@material-ui/core/Link';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import { useState } from 'react';
import { useCatalogUser } from '../../hooks';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { UserTokensPanel } from '../UserTokensPanel';

/** Props of {@link AdminUserContent}. */
export interface AdminUserContentProps {
  /** A user's entity name (`jane`) or full ref (`user:default/jane`). */
  userRef: string;
}

function parseUserRef(userRef: string): CompoundEntityRef | undefined {
  try {
    const ref = parseEntityRef(userRef, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
    return ref.kind.toLocaleLowerCase('en-US') === 'user' ? ref : undefined;
  } catch {
    return undefined;
  }
}

function UserPage(props: { userRef: string }) {
  const { userRef } = props;
  const user = useCatalogUser(userRef);
  const [tab, setTab] = useState(0);

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

  return (
    <>
      <Box marginBottom={2}>
        <Link to="..">
          <Box display="inline-flex" alignItems="center">
            <ArrowBackIcon fontSize="small" />
            All users
          </Box>
        </Link>
      </Box>
      {user.error && (
        <ApiErrorPanel error={user.error} title="Could not load the user" />
      )}
      {!user.error && !entity && (
        <WarningPanel
          defaultExpanded
          title={`${userRef} is not in the catalog`}
          message="The user may have left. Their tokens no longer work, but you can still see and revoke them."
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
          aria-label="User pages"
        >
          <Tab
            label="Tokens"
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
    </>
  );
}

/**
 * A user's admin page: who they are (display name, email) and a "Tokens"
 * tab with their API tokens.
 */
export function AdminUserContent(props: AdminUserContentProps) {
  const ref = parseUserRef(props.userRef);
  if (!ref) {
    return (
      <WarningPanel
        defaultExpanded
        title={`"${props.userRef}" is not a user`}
        message="Open a user from the list of users, or use a reference like user:default/jane."
      />
    );
  }
  return <UserPage userRef={stringifyEntityRef(ref)} />;
}
