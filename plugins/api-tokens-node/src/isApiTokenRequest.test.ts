import { generateApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { isApiTokenRequest } from './isApiTokenRequest';
import { API_TOKEN_ID_CLAIM } from './userTokenClaims';

function jwt(claims: object) {
  const encode = (part: object) =>
    Buffer.from(JSON.stringify(part)).toString('base64url');
  return `${encode({ alg: 'ES256' })}.${encode(claims)}.signature`;
}

function requestWith(authorization?: string) {
  return { headers: authorization ? { authorization } : {} };
}

describe('isApiTokenRequest', () => {
  it('recognizes an API token as bearer', () => {
    expect(isApiTokenRequest(requestWith(`Bearer ${generateApiToken()}`))).toBe(
      true,
    );
  });

  it('recognizes a user token exchanged from an API token', () => {
    const token = jwt({
      sub: 'user:default/bob',
      [API_TOKEN_ID_CLAIM]: 'token-1',
    });
    expect(isApiTokenRequest(requestWith(`Bearer ${token}`))).toBe(true);
  });

  it('does not flag other credentials', () => {
    expect(isApiTokenRequest(requestWith())).toBe(false);
    expect(
      isApiTokenRequest(
        requestWith(`Bearer ${jwt({ sub: 'user:default/bob' })}`),
      ),
    ).toBe(false);
    expect(isApiTokenRequest(requestWith('Bearer static-token'))).toBe(false);
    expect(isApiTokenRequest(requestWith('Bearer a.%%%.c'))).toBe(false);
    expect(isApiTokenRequest(requestWith('Basic Ym9iOnNlY3JldA=='))).toBe(
      false,
    );
  });
});
