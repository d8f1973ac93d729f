import { DiscoveryService } from '@backstage/backend-plugin-api';
import { callApiTokenRoute } from './callApiTokenRoute';

const STATE_TIMEOUT_MS = 5_000;

/** Whether an API token may still be used, and until when. */
export interface ApiTokenState {
  /** Neither revoked nor expired, when the backend answered. */
  active: boolean;
  /** When the token expires, as an ISO 8601 timestamp. */
  expiresAt: string;
}

/**
 * Asks the api-tokens backend for the state of an API token by id:
 * `GET /api/api-tokens/internal/tokens/{id}/state`, which any backend
 * plugin may call with its own service token. The token-handler decorator
 * uses it for Backstage tokens exchanged from an API token, which name the
 * token in their `api_token_id` claim.
 */
export class ApiTokenStateClient {
  readonly #discovery: DiscoveryService;
  readonly #serviceToken: () => Promise<string>;

  constructor(options: {
    discovery: DiscoveryService;
    /** A service token of the calling plugin for the api-tokens backend. */
    serviceToken: () => Promise<string>;
  }) {
    this.#discovery = options.discovery;
    this.#serviceToken = options.serviceToken;
  }

  /**
   * Throws `AuthenticationError('Invalid API token')` when there is no such
   * token, `ServiceUnavailableError` when the backend gives no usable
   * answer.
   */
  async getState(tokenId: string): Promise<ApiTokenState> {
    return callApiTokenRoute({
      unavailable: 'API token state is unavailable: the api-tokens backend',
      request: async () => ({
        url: `${await this.#discovery.getBaseUrl(
          'api-tokens',
        )}/internal/tokens/${encodeURIComponent(tokenId)}/state`,
        init: {
          headers: { authorization: `Bearer ${await this.#serviceToken()}` },
        },
      }),
      timeoutMs: STATE_TIMEOUT_MS,
      parse: parseState,
      notFound: 'Invalid API token',
    });
  }
}

function parseState(body: unknown): ApiTokenState | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const { active, expiresAt } = body as Record<string, unknown>;
  if (
    typeof active !== 'boolean' ||
    typeof expiresAt !== 'string' ||
    Number.isNaN(Date.parse(expiresAt))
  ) {
    return undefined;
  }
  return { active, expiresAt };
}
