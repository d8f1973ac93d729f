import {
  PluginTokenHandler,
  pluginTokenHandlerDecoratorServiceRef,
} from '@backstage/backend-defaults/auth';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ServiceUnavailableError,
  toError,
} from '@backstage/errors';
import {
  hasApiTokenPrefix,
  isWellFormedApiToken,
} from '@internal/plugin-api-tokens-common';
import { ApiTokenCache, ApiTokenCacheLoad } from './ApiTokenCache';
import { ApiTokenExchangeClient } from './ApiTokenExchangeClient';
import { recordApiTokenVerified } from './apiTokenRequestContext';
import { ApiTokenState, ApiTokenStateClient } from './ApiTokenStateClient';
import { ApiTokenUsageReporter } from './ApiTokenUsageReporter';
import { readApiTokenIdClaim } from './userTokenClaims';

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
  tokenId: string;
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
 * user token of its owner. An exchange answer that is not a signed user
 * token of the owner is refused (503), never handed on: Backstage would take
 * an empty one for a service principal.
 *
 * A Backstage token exchanged from an API token (one with the
 * `api_token_id` claim, e.g. from `POST /api/auth/api-token/refresh`) is
 * checked against the API token's state: it is refused (401) once the API
 * token is revoked or has expired, although the Backstage token itself
 * lives on. Every other token goes to the default handler untouched.
 *
 * Each use of an API token is reported to the api-tokens backend with the
 * request's client address and user agent (from the root HTTP router's
 * middleware), at most once a minute per token and address and never on the
 * request's time, for usage forensics.
 *
 * Exchanges and states are cached per backend instance, across plugins, for
 * `apiTokens.cache.ttl` (default 4 s, at most 30 s), which bounds how long a
 * revoked token, or a token exchanged from it, keeps working.
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
    pluginMetadata: coreServices.pluginMetadata,
  },
  createRootContext({ rootConfig }) {
    return {
      exchanges: ApiTokenCache.fromConfig<ExchangedApiToken>(rootConfig),
      states: ApiTokenCache.fromConfig<ApiTokenState>(rootConfig),
      // What every plugin's usage reporter has reported lately.
      usageReported: new Map<string, number>(),
    };
  },
  factory(
    { discovery, logger, pluginMetadata },
    { exchanges, states, usageReported },
  ) {
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
            tokenId: exchanged.tokenId,
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

    async function checkState(
      tokenId: string,
      stateClient: ApiTokenStateClient,
    ): Promise<void> {
      let state = states.get(tokenId);
      if (state === undefined) {
        state = await states.load(tokenId, async () => {
          try {
            return {
              value: await stateClient.getState(tokenId),
              // Expiry is checked on every use, against the clock.
              expiresAt: Number.POSITIVE_INFINITY,
            };
          } catch (error) {
            if (!AuthenticationError.is(error)) {
              logger.warn('API token state check failed', toError(error));
            }
            throw error;
          }
        });
      }
      const expired = Date.parse(state.expiresAt) <= Date.now();
      if (expired) {
        throw new AuthenticationError('API token has expired');
      }
      if (!state.active) {
        throw new AuthenticationError('API token has been revoked');
      }
    }

    return (defaultImplementation: PluginTokenHandler): PluginTokenHandler => {
      const serviceToken = async () =>
        (
          await defaultImplementation.issueToken({
            pluginId: pluginMetadata.getId(),
            targetPluginId: 'api-tokens',
          })
        ).token;
      const stateClient = new ApiTokenStateClient({ discovery, serviceToken });
      const usage = new ApiTokenUsageReporter({
        discovery,
        serviceToken,
        logger,
        lastReported: usageReported,
      });

      return {
        async verifyToken(token: string) {
          // This runs for every token on every plugin: anything that is not
          // an API token costs a prefix check and, for a JWT, reading its
          // payload.
          if (!hasApiTokenPrefix(token)) {
            const tokenId = readApiTokenIdClaim(token);
            if (tokenId === null) {
              throw new AuthenticationError('Invalid API token');
            }
            if (tokenId !== undefined) {
              await checkState(tokenId, stateClient);
            }
            return defaultImplementation.verifyToken(token);
          }
          const digest = ApiTokenCache.digest(token);
          let exchanged = exchanges.get(digest);
          if (exchanged === undefined) {
            // A token that fails the checksum cannot exist: refuse it
            // without asking anyone. Cached tokens have passed this already.
            if (!isWellFormedApiToken(token)) {
              throw new AuthenticationError('Invalid API token');
            }
            exchanged = await exchanges.load(digest, () => exchange(token));
          }
          // Without a user token, Backstage would make the request a service
          // principal, which every permission allows.
          if (!exchanged.verifyResult.limitedUserToken) {
            throw new ServiceUnavailableError(
              'API token exchange gave no user token',
            );
          }
          const client = recordApiTokenVerified(
            token,
            exchanged.tokenExpiresAt,
          );
          if (client) {
            usage.record(exchanged.tokenId, client);
          }
          return exchanged.verifyResult;
        },
        issueToken(options) {
          return defaultImplementation.issueToken(options);
        },
      };
    };
  },
});
