import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import {
  apiTokensCreatePermission,
  generateApiToken,
} from '@internal/plugin-api-tokens-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  API_TOKEN_ACTOR_SUBJECT,
  API_TOKEN_ID_CLAIM,
} from '@internal/plugin-api-tokens-node';
import { isApiTokenRequest, Request, RequestAccess } from './access';

function requestWith(authorization?: string): Request {
  return {
    headers: authorization ? { authorization } : {},
  } as unknown as Request;
}

describe('isApiTokenRequest', () => {
  const jane = mockCredentials.user('user:default/jane');

  it('recognizes an API token as the bearer token', () => {
    expect(
      isApiTokenRequest(requestWith(`Bearer ${generateApiToken()}`), jane),
    ).toBe(true);
    // Even a malformed one: the prefix says what it was meant to be.
    expect(isApiTokenRequest(requestWith('bearer bsat_x'), jane)).toBe(true);
  });

  it('recognizes credentials whose actor is the API token handler', () => {
    const exchanged = mockCredentials.user('user:default/jane', {
      actor: { subject: API_TOKEN_ACTOR_SUBJECT },
    });
    expect(isApiTokenRequest(requestWith('Bearer eyJ.a.b'), exchanged)).toBe(
      true,
    );
    expect(isApiTokenRequest(requestWith(), exchanged)).toBe(true);
  });

  it('recognizes a user token exchanged from an API token by its claim', () => {
    const claims = Buffer.from(
      JSON.stringify({
        sub: 'user:default/jane',
        [API_TOKEN_ID_CLAIM]: 'id-1',
      }),
    ).toString('base64url');
    expect(
      isApiTokenRequest(
        requestWith(`Bearer eyJhbGciOiJFUzI1NiJ9.${claims}.sig`),
        jane,
      ),
    ).toBe(true);
  });

  it('does not flag other credentials', () => {
    expect(isApiTokenRequest(requestWith(), jane)).toBe(false);
    expect(isApiTokenRequest(requestWith('Bearer eyJ.a.b'), jane)).toBe(false);
    expect(
      isApiTokenRequest(
        requestWith('Bearer eyJ.a.b'),
        mockCredentials.user('user:default/jane', {
          actor: { subject: 'plugin:scaffolder' },
        }),
      ),
    ).toBe(false);
  });
});

describe('RequestAccess', () => {
  it('refuses API token credentials for token management', async () => {
    const access = new RequestAccess(
      mockServices.httpAuth({
        defaultCredentials: mockCredentials.user('user:default/jane', {
          actor: { subject: API_TOKEN_ACTOR_SUBJECT },
        }),
      }),
      mockServices.permissions(),
    );
    await expect(access.signedInUser(requestWith())).rejects.toThrow(
      NotAllowedError,
    );
  });

  it('returns the signed-in user otherwise', async () => {
    const access = new RequestAccess(
      mockServices.httpAuth(),
      mockServices.permissions(),
    );
    const credentials = await access.signedInUser(
      requestWith(mockCredentials.user.header('user:default/jane')),
    );
    expect(credentials.principal.userEntityRef).toBe('user:default/jane');
  });

  it('throws NotAllowedError naming the permission when the policy denies', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async () => [{ result: AuthorizeResult.DENY }],
    });
    const access = new RequestAccess(mockServices.httpAuth(), permissions);
    const credentials = mockCredentials.user('user:default/jane');
    await expect(
      access.requirePermission(credentials, apiTokensCreatePermission),
    ).rejects.toThrow(/api-tokens\.token\.create/);
    expect(permissions.authorize).toHaveBeenCalledWith(
      [{ permission: apiTokensCreatePermission }],
      { credentials },
    );

    permissions.authorize.mockResolvedValue([
      { result: AuthorizeResult.ALLOW },
    ]);
    await expect(
      access.requirePermission(credentials, apiTokensCreatePermission),
    ).resolves.toBeUndefined();
  });
});
