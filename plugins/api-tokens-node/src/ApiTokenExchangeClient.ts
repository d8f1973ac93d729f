import { DiscoveryService } from '@backstage/backend-plugin-api';
import { callApiTokenRoute } from './callApiTokenRoute';

const EXCHANGE_TIMEOUT_MS = 10_000;

/** An API token exchanged for a Backstage user token of its owner. */
export interface ApiTokenExchange {
  /** The Backstage user token (a JWT) of the token's owner. */
  userToken: string;
  /** When the user token expires, in epoch milliseconds. */
  userTokenExpiresAt: number;
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
   * anything else that is not a user token.
   */
  async exchange(token: string): Promise<ApiTokenExchange> {
    const startedAt = Date.now();
    return callApiTokenRoute({
      unavailable: 'API token exchange is unavailable: the auth backend',
      request: async () => ({
        url: `${await this.#discovery.getBaseUrl('auth')}/api-token/refresh`,
        init: {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
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
  const { expiresAt } = providerInfo as Record<string, unknown>;
  if (
    typeof token !== 'string' ||
    typeof expiresAt !== 'string' ||
    Number.isNaN(Date.parse(expiresAt))
  ) {
    return undefined;
  }
  return {
    userToken: token,
    // Counted from the start of the request, so it errs on the early side.
    userTokenExpiresAt:
      typeof expiresInSeconds === 'number'
        ? startedAt + expiresInSeconds * 1000
        : Number.POSITIVE_INFINITY,
    tokenExpiresAt: expiresAt,
  };
}
