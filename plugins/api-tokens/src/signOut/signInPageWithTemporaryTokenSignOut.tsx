import {
  IdentityApi,
  SignInPageProps,
  useApiHolder,
} from '@backstage/core-plugin-api';
import { ComponentType } from 'react';
import { apiTokensApiRef } from '../api';
import {
  TemporaryTokenSignOutOptions,
  withTemporaryTokenSignOut,
} from './withTemporaryTokenSignOut';

/**
 * Wraps a sign-in page so that the identity it hands to the app goes through
 * {@link withTemporaryTokenSignOut}: signing out then clears and revokes the
 * user's temporary API token. The one line an app adds, for either frontend
 * system.
 *
 * The API tokens API is looked up at sign-out, so a sign-in page rendered
 * before that API is available still signs in; without it, sign-out is
 * unchanged.
 *
 * @public
 */
export function signInPageWithTemporaryTokenSignOut<
  TProps extends SignInPageProps,
>(
  SignInPage: ComponentType<TProps>,
  options?: TemporaryTokenSignOutOptions,
): ComponentType<TProps> {
  function SignInPageWithTemporaryTokenSignOut(props: TProps) {
    const apis = useApiHolder();
    const { onSignInSuccess } = props;
    const signedIn = (identityApi: IdentityApi) =>
      onSignInSuccess(
        withTemporaryTokenSignOut(
          identityApi,
          {
            revokeSessionTemporaryToken: async () =>
              apis.get(apiTokensApiRef)?.revokeSessionTemporaryToken(),
          },
          options,
        ),
      );
    return <SignInPage {...props} onSignInSuccess={signedIn} />;
  }
  return SignInPageWithTemporaryTokenSignOut;
}
