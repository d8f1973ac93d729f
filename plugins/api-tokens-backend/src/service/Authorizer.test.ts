import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  apiTokensCreatePermission,
  generateApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  API_TOKEN_ACTOR_SUBJECT,
  API_TOKEN_ID_CLAIM,
} from '@nholuongut/backstage-plugin-api-tokens-node';
import { Authorizer } from './Authorizer';
import { Caller, Request } from './Caller';

const JANE = 'user:default/jane';

function caller(
  authorization?: string,
  credentials = mockCredentials.user(JANE),
): Caller {
  return {
    credentials,
    request: {
      headers: authorization ? { authorization } : {},
    } as unknown as Request,
  };
}

describe('Authorizer', () => {
  const allowAll = new Authorizer(mockServices.permissions());

  describe('requireSignedInUser', () => {
    it('returns the signed-in user', () => {
      expect(allowAll.requireSignedInUser(caller('Bearer eyJ.a.b'))).toBe(JANE);
      const scaffolder = mockCredentials.user(JANE, {
        actor: { subject: 'plugin:scaffolder' },
      });
      expect(allowAll.requireSignedInUser(caller(undefined, scaffolder))).toBe(
        JANE,
      );
    });

    it('refuses credentials that came from an API token, in any form', () => {
      const claims = Buffer.from(
        JSON.stringify({ sub: JANE, [API_TOKEN_ID_CLAIM]: 'id-1' }),
      ).toString('base64url');
      const exchanged = mockCredentials.user(JANE, {
        actor: { subject: API_TOKEN_ACTOR_SUBJECT },
      });
      for (const leaked of [
        caller(`Bearer ${generateApiToken()}`),
        // Even a malformed one: the prefix says what it was meant to be.
        caller('bearer bsat_x'),
        caller(`Bearer eyJhbGciOiJFUzI1NiJ9.${claims}.sig`),
        caller(undefined, exchanged),
      ]) {
        expect(() => allowAll.requireSignedInUser(leaked)).toThrow(
          NotAllowedError,
        );
      }
    });
  });

  it('requires a permission, naming it when the policy denies', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async () => [{ result: AuthorizeResult.DENY }],
    });
    const authorizer = new Authorizer(permissions);
    const jane = caller();
    await expect(
      authorizer.requirePermission(jane, apiTokensCreatePermission),
    ).rejects.toThrow(/api-tokens\.token\.create/);
    expect(permissions.authorize).toHaveBeenCalledWith(
      [{ permission: apiTokensCreatePermission }],
      { credentials: jane.credentials },
    );

    permissions.authorize.mockResolvedValue([
      { result: AuthorizeResult.ALLOW },
    ]);
    await expect(
      authorizer.requirePermission(jane, apiTokensCreatePermission),
    ).resolves.toBe(JANE);
  });

  it('lets only the auth plugin verify tokens', () => {
    expect(() =>
      allowAll.requireAuthPlugin(mockCredentials.service('plugin:auth')),
    ).not.toThrow();
    expect(() =>
      allowAll.requireAuthPlugin(mockCredentials.service('plugin:catalog')),
    ).toThrow('Only the auth plugin may verify API tokens');
  });
});
