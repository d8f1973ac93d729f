import { Config } from '@backstage/config';
import { ApiTokenFailureLimiter } from './ApiTokenFailureLimiter';
import { createApiTokenExpirationMiddleware } from './createApiTokenExpirationMiddleware';
import { ApiTokenMiddleware } from './types';

/**
 * The middleware that API tokens need on the root HTTP router, in front of
 * every plugin: the failure limiter (`apiTokens.failureLimit`), then the
 * `Backstage-Api-Token-Expiration` header.
 * `apiTokensRootHttpRouterServiceFactory` installs it; a backend whose root
 * HTTP router is built otherwise installs it before the defaults:
 *
 * ```ts
 * configure({ app, config, applyDefaults }) {
 *   app.use(createApiTokenMiddleware(config));
 *   applyDefaults();
 * }
 * ```
 *
 * @public
 */
export function createApiTokenMiddleware(config: Config): ApiTokenMiddleware {
  const limit = ApiTokenFailureLimiter.fromConfig(config).middleware;
  const addExpiration = createApiTokenExpirationMiddleware();
  return (req, res, next) => {
    limit(req, res, () => addExpiration(req, res, next));
  };
}
