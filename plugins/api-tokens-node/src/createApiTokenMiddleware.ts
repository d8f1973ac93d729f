import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ApiTokenFailureLimiter } from './ApiTokenFailureLimiter';
import { createApiTokenCookieGuard } from './createApiTokenCookieGuard';
import { createApiTokenScopeMiddleware } from './createApiTokenScopeMiddleware';
import { createApiTokenExpirationMiddleware } from './createApiTokenExpirationMiddleware';
import { ApiTokenMiddleware } from './types';

/**
 * The middleware that API tokens need on the root HTTP router, in front of
 * every plugin: it refuses API tokens (and tokens exchanged for one) on the
 * plugins' cookie endpoint, then applies the failure limiter
 * (`apiTokens.failureLimit`), adds the `Backstage-Api-Token-Expiration`
 * header and holds the scope of the request's API token for the scoped
 * policy. `apiTokensRootHttpRouterServiceFactory` installs it; a backend
 * whose root HTTP router is built otherwise installs it before the defaults:
 *
 * ```ts
 * configure({ app, config, logger, applyDefaults }) {
 *   app.use(createApiTokenMiddleware(config, { logger }));
 *   applyDefaults();
 * }
 * ```
 *
 * Throws, so that the backend does not start, when `apiTokens.failureLimit`
 * has a bad value; the message names the key.
 *
 * @public
 */
export function createApiTokenMiddleware(
  config: Config,
  options: { logger?: LoggerService } = {},
): ApiTokenMiddleware {
  const guardCookies = createApiTokenCookieGuard();
  const limit = ApiTokenFailureLimiter.fromConfig(config, options).middleware;
  const addExpiration = createApiTokenExpirationMiddleware();
  const holdScope = createApiTokenScopeMiddleware();
  return (req, res, next) => {
    guardCookies(req, res, () =>
      limit(req, res, error =>
        error
          ? next(error)
          : addExpiration(req, res, () => holdScope(req, res, next)),
      ),
    );
  };
}
