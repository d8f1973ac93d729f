import { IdentityApi, SignInPageProps } from '@backstage/core-plugin-api';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApiTokensApi } from '../__testUtils__/fixtures';
import { renderWithApis } from '../__testUtils__/renderWithApis';
import { signInPageWithTemporaryTokenSignOut } from './signInPageWithTemporaryTokenSignOut';

describe('signInPageWithTemporaryTokenSignOut', () => {
  const signOut = jest.fn().mockResolvedValue(undefined);

  // A sign-in page that signs in with one click.
  function SignInPage(props: SignInPageProps) {
    const identityApi = mockApis.identity();
    identityApi.signOut = signOut;
    return (
      <button onClick={() => props.onSignInSuccess(identityApi)}>
        Sign in
      </button>
    );
  }
  const WrappedSignInPage = signInPageWithTemporaryTokenSignOut(SignInPage);

  let signedIn: IdentityApi | undefined;
  const onSignInSuccess = (identityApi: IdentityApi) => {
    signedIn = identityApi;
  };

  beforeEach(() => {
    signedIn = undefined;
    signOut.mockClear();
  });

  it("hands the app an identity whose sign-out revokes the user's temporary token", async () => {
    const api = mockApiTokensApi({
      revokeSessionTemporaryToken: jest.fn().mockResolvedValue(undefined),
    });
    await renderWithApis(
      <WrappedSignInPage onSignInSuccess={onSignInSuccess} />,
      { api },
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(api.revokeSessionTemporaryToken).not.toHaveBeenCalled();

    await signedIn!.signOut();
    expect(api.revokeSessionTemporaryToken).toHaveBeenCalledTimes(1);
    expect(signOut).toHaveBeenCalledTimes(1);
  });

  it('signs in and out as before in an app without the API tokens API', async () => {
    render(
      <TestApiProvider apis={[]}>
        <WrappedSignInPage onSignInSuccess={onSignInSuccess} />
      </TestApiProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await signedIn!.signOut();
    expect(signOut).toHaveBeenCalledTimes(1);
  });
});
