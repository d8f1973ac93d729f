import { IncomingMessage, ServerResponse } from 'node:http';
import {
  API_TOKEN_EXPIRATION_HEADER,
  API_TOKEN_PREFIX,
  hasApiTokenPrefix,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  ApiTokenRequestState,
  INTERNAL_CALL_HEADER,
  isInternalCallMarker,
  runWithApiTokenRequestState,
} from './apiTokenRequestContext';
import { readBearerToken } from './readBearerToken';
import { ApiTokenMiddleware } from './types';

/**
 * Creates a middleware that adds the `Backstage-Api-Token-Expiration` header,
 * the token's expiry as an ISO 8601 timestamp, to every response to a request
 * authenticated with an API token. `apiTokensRootHttpRouterServiceFactory`
 * installs it, and `createApiTokenMiddleware` combines it with the failure
 * limiter for a root HTTP router configured by hand.
 *
 * It does no I/O and no hashing: the token-handler decorator, which verifies
 * the token, records the expiry from its cache on the request, and the
 * middleware sets the header when the response head is written. It only works
 * together with `apiTokenHandlerDecoratorServiceFactory`.
 *
 * Given `clientAddress` (`createApiTokenMiddleware` passes the failure
 * limiter's, which honours `apiTokens.failureLimit.trustProxy`), it also
 * tells the decorator the request's client address and user agent, which
 * the decorator reports to the api-tokens backend for usage forensics.
 *
 * @public
 */
export function createApiTokenExpirationMiddleware(
  options: {
    clientAddress?: (req: IncomingMessage) => string | undefined;
  } = {},
): ApiTokenMiddleware {
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
    const token = readBearerToken(authorization);
    if (token === undefined || !hasApiTokenPrefix(token)) {
      next();
      return;
    }

    const state: ApiTokenRequestState = {
      token,
      client: clientOf(req, options.clientAddress),
    };
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

/**
 * The client of a request, unless it is the backend's own exchange of a
 * request it serves (whose address is the backend's).
 */
function clientOf(
  req: IncomingMessage,
  clientAddress?: (req: IncomingMessage) => string | undefined,
): ApiTokenRequestState['client'] {
  if (
    !clientAddress ||
    isInternalCallMarker(req.headers[INTERNAL_CALL_HEADER])
  ) {
    return undefined;
  }
  const address = clientAddress(req);
  if (address === undefined) {
    return undefined;
  }
  return { address, userAgent: req.headers['user-agent'] ?? '' };
}
