import { DiscoveryService } from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import { ApiTokenScope } from '@nholuongut/backstage-plugin-api-tokens-common';
import { callApiTokenRoute } from './callApiTokenRoute';
import { isApiTokenId } from './userTokenClaims';

const STATE_TIMEOUT_MS = 5_000;
/** The refusal a derived-state lookup ends in for a token not exchanged. */
const NOT_DERIVED = 'Not exchanged for an API token';

/** Whether an API token may still be used, until when, and what it may do. */
export interface ApiTokenState {
  /** Neither revoked nor expired, when the backend answered. */
  active: boolean;
  /** When the token expires, as an ISO 8601 timestamp. */
  expiresAt: string;
  /** What the token may do; null for its owner's full power. */
  scope: ApiTokenScope | null;
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
      request: () =>
        this.#request(`/internal/tokens/${encodeURIComponent(tokenId)}/state`),
      timeoutMs: STATE_TIMEOUT_MS,
      parse: parseState,
      notFound: 'Invalid API token',
    });
  }

  /**
   * The id of the API token that a Backstage user token was exchanged for,
   * by the digest of its identity proof (see `readLimitedUserTokenDigest`),
   * or null when it was not exchanged for one.
   */
  async findDerivedTokenId(digest: string): Promise<string | null> {
    try {
      return await callApiTokenRoute({
        unavailable:
          'API token derivation is unavailable: the api-tokens backend',
        request: () => this.#request(`/internal/derived/${digest}/state`),
        timeoutMs: STATE_TIMEOUT_MS,
        parse: body => {
          const tokenId = (body as Record<string, unknown> | null)?.tokenId;
          return isApiTokenId(tokenId) ? tokenId : undefined;
        },
        notFound: NOT_DERIVED,
      });
    } catch (error) {
      if (AuthenticationError.is(error) && error.message === NOT_DERIVED) {
        return null;
      }
      throw error;
    }
  }

  async #request(path: string) {
    return {
      url: `${await this.#discovery.getBaseUrl('api-tokens')}${path}`,
      init: {
        headers: { authorization: `Bearer ${await this.#serviceToken()}` },
      },
    };
  }
}

function parseState(body: unknown): ApiTokenState | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const { active, expiresAt, scope } = body as Record<string, unknown>;
  if (
    typeof active !== 'boolean' ||
    typeof expiresAt !== 'string' ||
    Number.isNaN(Date.parse(expiresAt)) ||
    (scope !== undefined && scope !== null && !isScope(scope))
  ) {
    return undefined;
  }
  // A backend from before scopes answers none: the token has no scope.
  return { active, expiresAt, scope: scope ?? null };
}

const isStringArray = (value: unknown) =>
  Array.isArray(value) && value.every(item => typeof item === 'string');

function isScope(value: unknown): value is ApiTokenScope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const { plugins, permissions, readOnly } = value as Record<string, unknown>;
  return (
    (plugins === undefined || isStringArray(plugins)) &&
    (permissions === undefined || isStringArray(permissions)) &&
    (readOnly === undefined || typeof readOnly === 'boolean')
  );
}
