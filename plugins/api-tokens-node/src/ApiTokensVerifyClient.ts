import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { isWellFormedApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { callApiTokenRoute } from './callApiTokenRoute';
import { ApiTokenVerification } from './types';
import {
  isApiTokenId,
  isUserEntityRef,
  parseUserTokenClaims,
  userIdentityProofDigest,
} from './userTokenClaims';

const VERIFY_TIMEOUT_MS = 5_000;

/**
 * Options for {@link ApiTokensVerifyClient}.
 *
 * @public
 */
export interface ApiTokensVerifyClientOptions {
  auth: AuthService;
  discovery: DiscoveryService;
}

/**
 * Calls the api-tokens backend's internal verify route,
 * `POST /api/api-tokens/internal/verify`. The route only answers the `auth`
 * plugin, so this client is meant for auth backend modules.
 *
 * @public
 */
export class ApiTokensVerifyClient {
  readonly #auth: AuthService;
  readonly #discovery: DiscoveryService;

  static create(options: ApiTokensVerifyClientOptions): ApiTokensVerifyClient {
    return new ApiTokensVerifyClient(options);
  }

  private constructor(options: ApiTokensVerifyClientOptions) {
    this.#auth = options.auth;
    this.#discovery = options.discovery;
  }

  /**
   * Verifies an API token.
   *
   * Throws `AuthenticationError` when the token is malformed (without any
   * request) or when the api-tokens backend refuses it, with its message
   * ("API token has expired", "API token has been revoked", "Invalid API
   * token"). Throws `ServiceUnavailableError` when the answer is not
   * definitive: the backend cannot be reached, fails, or is not installed.
   */
  async verifyToken(token: string): Promise<ApiTokenVerification> {
    if (!isWellFormedApiToken(token)) {
      throw new AuthenticationError('Invalid API token');
    }

    return callApiTokenRoute({
      unavailable:
        'API token verification is unavailable: the api-tokens backend',
      request: () => this.#post('/internal/verify', { token }),
      timeoutMs: VERIFY_TIMEOUT_MS,
      parse: parseVerification,
    });
  }

  /**
   * Records a Backstage user token just issued for an API token, so that
   * every plugin can tell the limited tokens forwarded on behalf of its
   * owner from others, and apply the API token's scope and state to them.
   * A user token that cannot be recorded must not be handed out.
   *
   * Throws `ServiceUnavailableError` when the user token has no identity
   * proof or the api-tokens backend does not record it.
   */
  async recordDerivedToken(tokenId: string, userToken: string): Promise<void> {
    const claims = parseUserTokenClaims(userToken);
    if (!claims?.uip) {
      throw new ServiceUnavailableError(
        'The issued Backstage token has no user identity proof (uip claim)',
      );
    }
    const body = {
      digest: userIdentityProofDigest(claims.uip),
      expiresAt: new Date(claims.exp * 1000).toISOString(),
    };
    await callApiTokenRoute({
      unavailable:
        'Recording the exchanged token is unavailable: the api-tokens backend',
      request: () =>
        this.#post(
          `/internal/tokens/${encodeURIComponent(tokenId)}/derived`,
          body,
        ),
      timeoutMs: VERIFY_TIMEOUT_MS,
      parse: () => true,
    });
  }

  async #post(path: string, body: object) {
    const { token: serviceToken } = await this.#auth.getPluginRequestToken({
      onBehalfOf: await this.#auth.getOwnServiceCredentials(),
      targetPluginId: 'api-tokens',
    });
    const baseUrl = await this.#discovery.getBaseUrl('api-tokens');
    return {
      url: `${baseUrl}${path}`,
      init: {
        method: 'POST',
        headers: {
          authorization: `Bearer ${serviceToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      },
    };
  }
}

/**
 * The answer, when it names a token, a user as its owner and a valid
 * expiry; anything less must not sign anyone in.
 */
function parseVerification(body: unknown): ApiTokenVerification | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const { tokenId, ownerRef, expiresAt } = body as Record<string, unknown>;
  if (
    !isApiTokenId(tokenId) ||
    !isUserEntityRef(ownerRef) ||
    typeof expiresAt !== 'string' ||
    Number.isNaN(Date.parse(expiresAt))
  ) {
    return undefined;
  }
  return { tokenId, ownerRef, expiresAt };
}
