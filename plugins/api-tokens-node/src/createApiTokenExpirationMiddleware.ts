import { IncomingMessage, ServerResponse } from 'node:http';
import {
  API_TOKEN_EXPIRATION_HEADER,
  API_TOKEN_PREFIX,
  hasApiTokenPrefix,
} from '@internal/plugin-api-tokens-common';
import {
  ApiTokenRequestState,
  runWithApiTokenRequestState,
} from './apiTokenRequestContext';

// The same pattern as Backstage's HTTP auth service, so that we look at
// exactly the requests it authenticates with the token.
const BEARER_TOKEN = /^Bearer[ ]+(\S+)$/i;

/**
 * A connect/Express middleware.
 *
 * @public
 */
export type ApiTokenExpirationMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
) => void;

/**
 * Creates a middleware that adds the `Backstage-Api-Token-Expiration` header,
 * the token's expiry as an ISO 8601 timestamp, to every response to a request
 * authenticated with an API token. Install it on the root HTTP router, before
 * the defaults, so that it sees every plugin's requests:
 *
 * ```ts
 * backend.add(
 *   rootHttpRouterServiceFactory({
 *     configure({ app, applyDefaults }) {
 *       app.use(createApiTokenExpirationMiddleware());
 *       applyDefaults();
 *     },
 *   }),
 * );
 * ```
 *
 * It does no I/O and no hashing: the token-handler decorator, which verifies
 * the token, records the expiry from its cache on the request, and the
 * middleware sets the header when the response head is written. It only works
 * together with `apiTokenHandlerDecoratorServiceFactory`.
 *
 * @public
 */
export function createApiTokenExpirationMiddleware(): ApiTokenExpirationMiddleware {
  return (req, res, next) => {
    const authorization = req.headers.authorization;
    // Cheap exit for the requests that carry no API token.
    if (
      authorization === undefined ||
      !authorization.includes(API_TOKEN_PREFIX)
    ) {
      next();
      return;
    }
    const token = BEARER_TOKEN.exec(authorization)?.[1];
    if (token === undefined || !hasApiTokenPrefix(token)) {
      next();
      return;
    }

    const state: ApiTokenRequestState = { token };
    const writeHead = res.writeHead;
    // Node calls writeHead for every response, also implicitly from write()
    // and end(), so this runs exactly when the head can still change.
    res.writeHead = function writeHeadWithExpiration(
      this: ServerResponse,
      ...args: unknown[]
    ) {
      if (
        state.tokenExpiresAt !== undefined &&
        !this.headersSent &&
        !this.hasHeader(API_TOKEN_EXPIRATION_HEADER)
      ) {
        this.setHeader(API_TOKEN_EXPIRATION_HEADER, state.tokenExpiresAt);
      }
      return writeHead.apply(this, args as Parameters<typeof writeHead>);
    } as typeof res.writeHead;

    runWithApiTokenRequestState(state, next);
  };
}
