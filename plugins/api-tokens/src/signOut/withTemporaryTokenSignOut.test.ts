import { mockApis } from '@backstage/test-utils';
import { FakeApiTokensBackend } from '../__testUtils__/fakeApiTokensBackend';
import { withTemporaryTokenSignOut } from './withTemporaryTokenSignOut';

const jane = 'user:default/jane';

describe('withTemporaryTokenSignOut', () => {
  let backend: FakeApiTokensBackend;
  let signedOut: jest.Mock;

  beforeEach(() => {
    window.localStorage.clear();
    backend = new FakeApiTokensBackend();
    signedOut = jest.fn().mockResolvedValue(undefined);
  });

  /** Jane's identity after sign-in, wrapped, and her stored token's id. */
  async function signedIn(options?: { revokeTimeoutMs?: number }) {
    const client = backend.client(jane);
    const { token } = await client.getSessionTemporaryToken();
    const identityApi = mockApis.identity({ userEntityRef: jane });
    identityApi.signOut = signedOut;
    return {
      identity: withTemporaryTokenSignOut(identityApi, client, options),
      tokenId: token.id,
    };
  }

  it('revokes the stored token and clears storage, then signs out', async () => {
    const { identity, tokenId } = await signedIn();
    // The DELETE has gone out by the time the app signs out.
    signedOut.mockImplementation(async () => {
      expect(backend.count('DELETE', `/v1/tokens/${tokenId}`)).toBe(1);
    });
    await identity.signOut();
    expect(signedOut).toHaveBeenCalledTimes(1);
    expect(backend.tokens.get(tokenId)?.token.state).toBe('revoked');
    expect(window.localStorage.length).toBe(0);
  });

  it('still signs out, with storage cleared, when the DELETE fails', async () => {
    const { identity, tokenId } = await signedIn();
    backend.failRevoke = 'error';
    await identity.signOut();
    expect(backend.count('DELETE', `/v1/tokens/${tokenId}`)).toBe(1);
    expect(window.localStorage.length).toBe(0);
    expect(signedOut).toHaveBeenCalledTimes(1);
  });

  it('does not wait for a DELETE that does not answer', async () => {
    const { identity } = await signedIn({ revokeTimeoutMs: 20 });
    backend.failRevoke = 'hang';
    await identity.signOut();
    expect(window.localStorage.length).toBe(0);
    expect(signedOut).toHaveBeenCalledTimes(1);
  });

  it('signs out without a DELETE when no token is stored', async () => {
    const identityApi = mockApis.identity({ userEntityRef: jane });
    identityApi.signOut = signedOut;
    await withTemporaryTokenSignOut(
      identityApi,
      backend.client(jane),
    ).signOut();
    expect(backend.requests).toEqual([]);
    expect(signedOut).toHaveBeenCalledTimes(1);
  });

  it('still signs out when the API throws right away', async () => {
    const identityApi = mockApis.identity({ userEntityRef: jane });
    identityApi.signOut = signedOut;
    const broken = {
      revokeSessionTemporaryToken: () => {
        throw new Error('not a promise');
      },
    };
    await withTemporaryTokenSignOut(identityApi, broken).signOut();
    expect(signedOut).toHaveBeenCalledTimes(1);
  });

  it('passes everything else through', async () => {
    const identity = withTemporaryTokenSignOut(
      mockApis.identity({ userEntityRef: jane, token: 'user-token' }),
      backend.client(jane),
    );
    await expect(identity.getBackstageIdentity()).resolves.toMatchObject({
      userEntityRef: jane,
    });
    await expect(identity.getCredentials()).resolves.toEqual({
      token: 'user-token',
    });
  });
});
