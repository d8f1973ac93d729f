import { useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import {
  configApiRef,
  IdentityApi,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import { Button } from '@backstage/ui';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';

const SELECTED_USER_KEY = 'devSignIn.user';

/** Forgets the picked user on sign-out, so the picker shows again. */
function forgetUserOnSignOut(identityApi: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identityApi.getProfileInfo(),
    getBackstageIdentity: () => identityApi.getBackstageIdentity(),
    getCredentials: () => identityApi.getCredentials(),
    signOut: async () => {
      sessionStorage.removeItem(SELECTED_USER_KEY);
      await identityApi.signOut();
    },
  };
}

/**
 * The development portal's sign-in page: pick one of the example users, then
 * sign in through the `dev` proxy provider, which trusts the `x-dev-user`
 * header. The backend only offers that provider in development.
 */
export function DevSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  const users = configApi.getOptionalStringArray('devSignIn.users') ?? [];
  const [selectedUser, setSelectedUser] = useState(() =>
    sessionStorage.getItem(SELECTED_USER_KEY),
  );

  if (selectedUser) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="dev"
        headers={{ 'x-dev-user': selectedUser }}
        onSignInSuccess={identityApi =>
          props.onSignInSuccess(forgetUserOnSignOut(identityApi))
        }
      />
    );
  }

  const signInAs = (user: string) => {
    sessionStorage.setItem(SELECTED_USER_KEY, user);
    setSelectedUser(user);
  };

  return (
    <Page themeId="home">
      <Header title="Backstage API Tokens" subtitle="Development sign-in" />
      <Content>
        <Grid container justifyContent="center">
          <Grid item xs={12} sm={8} md={4}>
            <InfoCard title="Sign in as an example user">
              <Typography variant="body2" paragraph>
                The development portal trusts whichever user you pick. It is
                disabled in production.
              </Typography>
              <Grid container spacing={2}>
                {users.map(user => (
                  <Grid item key={user}>
                    <Button variant="primary" onPress={() => signInAs(user)}>
                      Sign in as {user}
                    </Button>
                  </Grid>
                ))}
              </Grid>
            </InfoCard>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
