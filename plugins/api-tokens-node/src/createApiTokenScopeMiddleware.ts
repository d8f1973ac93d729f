import { ServerResponse } from 'node:http';
import {
  API_TOKEN_SCOPE_HEADER,
  describeApiTokenScope,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  ApiTokenScopeState,
  runWithApiTokenScopeState,
} from './apiTokenRequestContext';
import { readBearerToken } from './readBearerToken';
import { ApiTokenMiddleware } from './types';

/**
 * Gives every request with a bearer token a place for the scope of the API
 * token behind it, which the token-handler decorator fills in and the scoped
 * permission policy reads (see `createApiTokenScopedPolicy`). Any bearer
 * token, not only `bsat_…`: tokens exchanged for an API token, and the
 * limited tokens that plugins forward on behalf of its owner, carry its
 * scope too. The decorator refuses scoped tokens when this is missing.
 *
 * Responses to requests made with a scoped token carry the scope in the
 * `Backstage-Api-Token-Scope` header.
 */
export function createApiTokenScopeMiddleware(): ApiTokenMiddleware {
  return (req, res, next) => {
    const token = readBearerToken(req.headers.authorization);
    if (token === undefined) {
      next();
      return;
    }
    const state: ApiTokenScopeState = { method: req.method ?? 'GET', token };
    const writeHead = res.writeHead;
    res.writeHead = function writeHeadWithScope(
      this: ServerResponse,
      ...args: unknown[]
    ) {
      if (state.scope && !this.headersSent) {
        this.setHeader(
          API_TOKEN_SCOPE_HEADER,
          describeApiTokenScope(state.scope),
        );
      }
      return writeHead.apply(this, args as Parameters<typeof writeHead>);
    } as typeof res.writeHead;
    runWithApiTokenScopeState(state, next);
  };
}
