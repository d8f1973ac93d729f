import { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A connect/Express middleware, as the root HTTP router's `app.use` takes it.
 *
 * @public
 */
export type ApiTokenMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: Error) => void,
) => void;

/**
 * What the api-tokens backend answers for a valid API token.
 *
 * @public
 */
export interface ApiTokenVerification {
  /** The id of the token, never its secret. */
  tokenId: string;
  /** The user the token acts as, e.g. `user:default/jane`. */
  ownerRef: string;
  /** When the token expires, as an ISO 8601 timestamp. */
  expiresAt: string;
}

/**
 * The `providerInfo` of a successful `POST /api/auth/api-token/refresh`: which
 * API token was exchanged and when it expires, next to the Backstage user
 * token in `backstageIdentity`.
 *
 * @public
 */
export type ApiTokenProviderInfo = ApiTokenVerification;
