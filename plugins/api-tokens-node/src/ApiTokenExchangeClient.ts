import { DiscoveryService } from '@backstage/backend-plugin-api';
import {
  currentInternalCallMarker,
  INTERNAL_CALL_HEADER,
} from './apiTokenRequestContext';
import { callApiTokenRoute } from './callApiTokenRoute';
import {
  isApiTokenId,
  isUserEntityRef,
  parseUserTokenClaims,
} from './userTokenClaims';

const EXCHANGE_TIMEOUT_MS = 10_000;

/** An API token exchanged for a Backstage user token of its owner. */
export interface ApiTokenExchange {
  /**
   * The Backstage user token of the token's owner: a JWT, signed (not with
   * `alg: none`), of a user, with an expiry.
   */
  userToken: string;
  /** When the user token expires, in epoch milliseconds. */
  userTokenExpiresAt: number;
  /** The id of the API token, never its secret. */
  tokenId: string;
  /** When the API token expires, as an ISO 8601 timestamp. */
  tokenExpiresAt: string;
}

/**
 * Exchanges an API token for a Backstage user token through the auth
 * backend's `api-token` provider: `POST /api/auth/api-token/refresh` with the
 * API token as bearer, the same call a CI job can make itself.
 */
export class ApiTokenExchangeClient {
  readonly #discovery: DiscoveryService;

  constructor(options: { discovery: DiscoveryService }) {
    this.#discovery = options.discovery;
  }

  /**
   * Throws `AuthenticationError` with the auth backend's message when it
   * refuses the token (a definitive answer), `ServiceUnavailableError` for
   * anything else that is not a user token: an answer without a token, with
   * an empty one, or one that is not a JWT of a user, is never passed on.
   */
  async exchange(token: string): Promise<ApiTokenExchange> {
    const startedAt = Date.now();
    // Tells the failure limiter that this call serves a request it has
    // already admitted and counts.
    const marker = currentInternalCallMarker();
    return callApiTokenRoute({
      unavailable: 'API token exchange is unavailable: the auth backend',
      request: async () => ({
        url: `${await this.#discovery.getBaseUrl('auth')}/api-token/refresh`,
        init: {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            ...(marker ? { [INTERNAL_CALL_HEADER]: marker } : {}),
          },
        },
      }),
      timeoutMs: EXCHANGE_TIMEOUT_MS,
      parse: body => parseExchange(body, startedAt),
      malformedHint:
        '; is auth.providers.api-token served by the api-token provider module?',
    });
  }
}

function parseExchange(
  body: unknown,
  startedAt: number,
): ApiTokenExchange | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const { backstageIdentity, providerInfo } = body as Record<string, unknown>;
  if (
    typeof backstageIdentity !== 'object' ||
    backstageIdentity === null ||
    typeof providerInfo !== 'object' ||
    providerInfo === null
  ) {
    return undefined;
  }
  const { token, expiresInSeconds } = backstageIdentity as Record<
    string,
    unknown
  >;
  const { tokenId, ownerRef, expiresAt } = providerInfo as Record<
    string,
    unknown
  >;
  const claims = parseUserTokenClaims(token);
  if (
    !claims ||
    !isApiTokenId(tokenId) ||
    !isUserEntityRef(ownerRef) ||
    typeof expiresAt !== 'string' ||
    Number.isNaN(Date.parse(expiresAt)) ||
    // The user token must be the one of this API token and of its owner.
    claims.apiTokenId !== tokenId ||
    claims.sub.toLowerCase() !== ownerRef.toLowerCase()
  ) {
    return undefined;
  }
  // expiresInSeconds is counted from the start of the request, so it errs
  // on the early side.
  const userTokenExpiresAt = Math.min(
    claims.exp * 1000,
    typeof expiresInSeconds === 'number'
      ? startedAt + expiresInSeconds * 1000
      : Number.POSITIVE_INFINITY,
  );
  return {
    userToken: token as string,
    userTokenExpiresAt,
    tokenId,
    tokenExpiresAt: expiresAt,
  };
}
