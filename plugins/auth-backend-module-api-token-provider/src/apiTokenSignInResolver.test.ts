import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import { AuthResolverContext } from '@backstage/plugin-auth-node';
import { createApiTokenSignInResolver } from './apiTokenSignInResolver';

const bob: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'bob', namespace: 'default' },
  spec: {},
};

const verification = {
  tokenId: 'token-1',
  ownerRef: 'user:default/bob',
  expiresAt: '2027-03-01T12:00:00.000Z',
};

function jwt(header: object, payload: object, signature = 'c2ln') {
  const encode = (part: object) =>
    Buffer.from(JSON.stringify(part)).toString('base64url');
  return `${encode(header)}.${encode(payload)}.${signature}`;
}

const header = { typ: 'vnd.backstage.user', alg: 'ES256', kid: 'k' };
const claims = {
  sub: 'user:default/bob',
  exp: 4_102_444_800,
  api_token_id: 'token-1',
};

/** A resolver context whose `issueToken` gives `token`. */
function contextIssuing(token: unknown) {
  return {
    findCatalogUser: jest.fn(async () => ({ entity: bob })),
    resolveOwnershipEntityRefs: jest.fn(async () => ({
      ownershipEntityRefs: ['user:default/bob'],
    })),
    issueToken: jest.fn(async () => ({ token })),
  } as unknown as AuthResolverContext;
}

describe('createApiTokenSignInResolver', () => {
  let recorded: Array<[string, string]>;
  let recordDerivedToken: (tokenId: string, token: string) => Promise<void>;
  beforeEach(() => {
    recorded = [];
    recordDerivedToken = async (tokenId, token) => {
      recorded.push([tokenId, token]);
    };
  });

  const resolve = (token: unknown) =>
    createApiTokenSignInResolver({
      logger: mockServices.logger.mock(),
      verifyClient: {
        recordDerivedToken: (tokenId, userToken) =>
          recordDerivedToken(tokenId, userToken),
      },
    })({ result: verification, profile: {} }, contextIssuing(token));

  it('hands out a signed user token of the owner that names the API token, once recorded', async () => {
    const token = jwt(header, claims);
    await expect(resolve(token)).resolves.toEqual({ token });
    expect(recorded).toEqual([['token-1', token]]);
  });

  it('hands out nothing when the token cannot be recorded', async () => {
    recordDerivedToken = async () => {
      throw new ServiceUnavailableError('not recorded');
    };
    await expect(resolve(jwt(header, claims))).rejects.toThrow('not recorded');
  });

  it.each([
    ['an empty token', ''],
    ['no token', undefined],
    ['a token that is not a JWT', 'not-a-jwt'],
    ['a JWT with alg none', jwt({ ...header, alg: 'none' }, claims)],
    ['an unsigned JWT', jwt(header, claims, '')],
    [
      'a JWT of another user',
      jwt(header, { ...claims, sub: 'user:default/eve' }),
    ],
    ['a JWT without exp', jwt(header, { ...claims, exp: undefined })],
    [
      'a JWT without the API token id',
      jwt(header, { ...claims, api_token_id: undefined }),
    ],
  ])('refuses to hand out %s, with 503', async (_case, token) => {
    await expect(resolve(token)).rejects.toThrow(
      new ServiceUnavailableError(
        'Sign-in with the API token is unavailable: no usable token was issued',
      ),
    );
    expect(recorded).toEqual([]);
  });
});
