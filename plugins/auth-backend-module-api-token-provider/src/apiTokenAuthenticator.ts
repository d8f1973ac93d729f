import { AuthenticationError } from '@backstage/errors';
import {
  createProxyAuthenticator,
  getBearerTokenFromAuthorizationHeader,
} from '@backstage/plugin-auth-node';
import { API_TOKEN_EXPIRATION_HEADER } from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  ApiTokenProviderInfo,
  ApiTokensVerifyClient,
  ApiTokenVerification,
} from '@nholuongut/backstage-plugin-api-tokens-node';

/**
 * Reads the API token from `Authorization: Bearer <token>` and has the
 * api-tokens backend verify it. A malformed token is refused without asking
 * anyone; a refusal keeps the backend's message ("API token has expired", …);
 * a backend that cannot answer gives 503, so callers know to retry.
 */
export function createApiTokenAuthenticator(
  verifyClient: ApiTokensVerifyClient,
) {
  return createProxyAuthenticator<
    void,
    ApiTokenVerification,
    ApiTokenProviderInfo
  >({
    defaultProfileTransform: async () => ({ profile: {} }),
    initialize() {},
    async authenticate({ req }) {
      const token = getBearerTokenFromAuthorizationHeader(
        req.headers.authorization,
      );
      if (!token) {
        throw new AuthenticationError(
          'Missing API token; send it as Authorization: Bearer <token>',
        );
      }
      const verification = await verifyClient.verifyToken(token);
      // Like every response to a request made with an API token, the
      // exchange tells when the token expires; the body has it too, in
      // providerInfo.
      req.res?.setHeader(API_TOKEN_EXPIRATION_HEADER, verification.expiresAt);
      return { result: verification, providerInfo: verification };
    },
  });
}
