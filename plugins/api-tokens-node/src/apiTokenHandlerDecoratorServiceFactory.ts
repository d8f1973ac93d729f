import {
  PluginTokenHandler,
  pluginTokenHandlerDecoratorServiceRef,
} from '@backstage/backend-defaults/auth';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { AuthenticationError, toError } from '@backstage/errors';
import {
  hasApiTokenPrefix,
  isWellFormedApiToken,
} from '@internal/plugin-api-tokens-common';
import { ApiTokenCache, ApiTokenCacheLoad } from './ApiTokenCache';
import { ApiTokenExchangeClient } from './ApiTokenExchangeClient';
import { recordApiTokenExpiration } from './apiTokenRequestContext';

/**
 * The subject of the actor of requests made with an API token: the permission
 * framework sees the token's owner as the user and this as the actor.
 *
 * @public
 */
export const API_TOKEN_ACTOR_SUBJECT = 'external:api-token';

/** What an API token was exchanged for, as cached. */
interface ExchangedApiToken {
  // Handed to the default auth service as is, so a cached verification
  // allocates nothing.
  verifyResult: { subject: string; limitedUserToken: string };
  tokenExpiresAt: string;
}

/**
 * Use the user token a little less long than it lives, so that it does not
 * expire between our check and the default auth service's.
 */
const USER_TOKEN_MARGIN_MS = 60_000;

/**
 * Makes `Authorization: Bearer bsat_…` work on every plugin, as the token's
 * owner: it decorates each plugin's token handler so that an API token is
 * exchanged, through the auth backend's `api-token` provider, for a Backstage
 * user token of its owner. Every other token goes to the default handler
 * untouched.
 *
 * The exchange is cached per backend instance, across plugins, for
 * `apiTokens.cache.ttl` (default 4 s, at most 30 s), which bounds how long a
 * revoked token keeps working.
 *
 * `pluginTokenHandlerDecoratorServiceRef` is a singleton: a backend can have
 * only one token-handler decorator.
 *
 * @public
 */
export const apiTokenHandlerDecoratorServiceFactory = createServiceFactory({
  service: pluginTokenHandlerDecoratorServiceRef,
  deps: {
    rootConfig: coreServices.rootConfig,
    discovery: coreServices.discovery,
    logger: coreServices.logger,
  },
  createRootContext({ rootConfig }) {
    return ApiTokenCache.fromConfig<ExchangedApiToken>(rootConfig);
  },
  factory({ discovery, logger }, cache) {
    const exchangeClient = new ApiTokenExchangeClient({ discovery });

    async function exchange(
      token: string,
    ): Promise<ApiTokenCacheLoad<ExchangedApiToken>> {
      try {
        const exchanged = await exchangeClient.exchange(token);
        return {
          value: {
            verifyResult: {
              subject: API_TOKEN_ACTOR_SUBJECT,
              limitedUserToken: exchanged.userToken,
            },
            tokenExpiresAt: exchanged.tokenExpiresAt,
          },
          expiresAt: Math.min(
            exchanged.userTokenExpiresAt - USER_TOKEN_MARGIN_MS,
            Date.parse(exchanged.tokenExpiresAt),
          ),
        };
      } catch (error) {
        if (!AuthenticationError.is(error)) {
          logger.warn('API token exchange failed', toError(error));
        }
        throw error;
      }
    }

    return (defaultImplementation: PluginTokenHandler): PluginTokenHandler => ({
      async verifyToken(token: string) {
        // This runs for every token on every plugin: anything that is not an
        // API token costs one prefix check.
        if (!hasApiTokenPrefix(token)) {
          return defaultImplementation.verifyToken(token);
        }
        const digest = ApiTokenCache.digest(token);
        let exchanged = cache.get(digest);
        if (exchanged === undefined) {
          // A token that fails the checksum cannot exist: refuse it without
          // asking anyone. Cached tokens have passed this already.
          if (!isWellFormedApiToken(token)) {
            throw new AuthenticationError('Invalid API token');
          }
          exchanged = await cache.load(digest, () => exchange(token));
        }
        recordApiTokenExpiration(token, exchanged.tokenExpiresAt);
        return exchanged.verifyResult;
      },
      issueToken(options) {
        return defaultImplementation.issueToken(options);
      },
    });
  },
});
