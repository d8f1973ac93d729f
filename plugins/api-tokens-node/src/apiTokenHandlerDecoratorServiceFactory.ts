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
  ApiTokenScope,
  hasApiTokenPrefix,
  isWellFormedApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { ApiTokenCache, ApiTokenCacheLoad } from './ApiTokenCache';
import { ApiTokenExchangeClient } from './ApiTokenExchangeClient';
import {
  recordApiTokenVerified,
  runAsInternalCall,
} from './apiTokenRequestContext';
import { onApiTokenRevoked } from './apiTokenRevocations';
import {
  API_TOKEN_REVOCATIONS_CACHE_NAMESPACE,
  ApiTokenRevocationSignal,
} from './ApiTokenRevocationSignal';
import { ApiTokenScopeGate } from './ApiTokenScopeGate';
import { ApiTokenState, ApiTokenStateClient } from './ApiTokenStateClient';
import { ApiTokenUsageReporter } from './ApiTokenUsageReporter';
import { sharedCacheFromConfig } from './sharedCache';
import {
  parseUserTokenClaims,
  readApiTokenIdClaim,
  readLimitedUserTokenDigest,
} from './userTokenClaims';

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
 * How long to remember which API token, if any, a forwarded limited token
 * came from. That never changes, so it is kept until the limited token
 * expires (at most this long); revocation is checked separately.
 */
const DERIVATION_TTL_MS = 10 * 60_000;

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
 * The limited tokens that plugins forward on behalf of the user (in a
 * plugin token's `obo` claim) are looked up too: one made from a token
 * exchanged for an API token is refused once the API token is revoked, and
 * carries its scope.
 *
 * Scopes: a request made with a scoped token (directly, or with a token
 * exchanged for it) is refused with 403 before the handler runs when the
 * scope does not include the plugin, or is read-only and the request writes
 * to a plugin that publishes no permissions. The scope is then held for the
 * request, so the permission policy wrapped by `createApiTokenScopedPolicy`
 * denies what it excludes, also for calls forwarded on behalf of the user.
 *
 * Exchanges and states are cached per backend instance, across plugins, for
 * `apiTokens.cache.ttl` (default 4 s, at most 30 s). In the instance that
 * revoked a token, the api-tokens backend clears them at once; with a shared
 * `backend.cache` store (redis), every other instance reads the revocations
 * from it every 200 ms and clears them too (`ApiTokenRevocationSignal`). The
 * TTL bounds how long a revoked token, or a token exchanged from it, keeps
 * working when that signal is lost.
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
    rootLifecycle: coreServices.rootLifecycle,
    rootLogger: coreServices.rootLogger,
    discovery: coreServices.discovery,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
  },
  createRootContext({ rootConfig, rootLifecycle, rootLogger }) {
    const exchanges = ApiTokenCache.fromConfig<ExchangedApiToken>(rootConfig);
    const states = ApiTokenCache.fromConfig<ApiTokenState>(rootConfig);
    const stopListening = onApiTokenRevoked(tokenId => {
      exchanges.forget((_digest, exchanged) => exchanged.tokenId === tokenId);
      states.forget(id => id === tokenId);
    });
    rootLifecycle.addShutdownHook(stopListening);
    // Revocations made by other replicas, when the cache is shared.
    const sharedCache = sharedCacheFromConfig(
      rootConfig,
      API_TOKEN_REVOCATIONS_CACHE_NAMESPACE,
      rootLogger,
    );
    if (sharedCache) {
      const signal = new ApiTokenRevocationSignal({
        cache: sharedCache,
        logger: rootLogger,
      });
      rootLifecycle.addShutdownHook(signal.startPolling());
    }
    return {
      exchanges,
      states,
      // What every plugin's usage reporter has reported lately.
      usageReported: new Map<string, number>(),
      derivations: new ApiTokenCache<string | null>({
        ttlMs: DERIVATION_TTL_MS,
      }),
    };
  },
  factory(
    { discovery, logger, pluginMetadata },
    { exchanges, states, derivations, usageReported },
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

    /** The token's scope, if its state says it may still be used. */
    function scopeIfActive(state: ApiTokenState): ApiTokenScope | null {
      if (Date.parse(state.expiresAt) <= Date.now()) {
        throw new AuthenticationError('API token has expired');
      }
      if (!state.active) {
        throw new AuthenticationError('API token has been revoked');
      }
      return state.scope;
    }

    /** Loads a token's state from the api-tokens backend. */
    function stateLoader(
      tokenId: string,
      stateClient: ApiTokenStateClient,
    ): () => Promise<ApiTokenCacheLoad<ApiTokenState>> {
      return async () => {
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
      };
    }

    /** The token's scope, once it is known to be active. */
    async function checkState(
      tokenId: string,
      stateClient: ApiTokenStateClient,
    ): Promise<ApiTokenScope | null> {
      const load = stateLoader(tokenId, stateClient);
      const state =
        states.get(tokenId, load) ?? (await states.load(tokenId, load));
      return scopeIfActive(state);
    }

    /** The API token a forwarded limited token came from, if any. */
    async function findDerivedTokenId(
      limitedUserToken: string,
      stateClient: ApiTokenStateClient,
    ): Promise<string | null> {
      const digest = readLimitedUserTokenDigest(limitedUserToken);
      if (digest === undefined) {
        return null;
      }
      const known = derivations.get(digest);
      if (known !== undefined) {
        return known;
      }
      const expiresAt =
        (parseUserTokenClaims(limitedUserToken)?.exp ?? 0) * 1000;
      return derivations.load(digest, async () => ({
        value: await stateClient.findDerivedTokenId(digest),
        expiresAt,
      }));
    }

    return (defaultImplementation: PluginTokenHandler): PluginTokenHandler => {
      const pluginId = pluginMetadata.getId();
      const serviceToken = async (targetPluginId: string) =>
        (await defaultImplementation.issueToken({ pluginId, targetPluginId }))
          .token;
      const stateClient = new ApiTokenStateClient({
        discovery,
        serviceToken: () => serviceToken('api-tokens'),
      });
      const scopeGate = new ApiTokenScopeGate({
        pluginId,
        discovery,
        serviceToken: () => serviceToken(pluginId),
      });
      const usage = new ApiTokenUsageReporter({
        discovery,
        serviceToken: () => serviceToken('api-tokens'),
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
              const scope = await checkState(tokenId, stateClient);
              await scopeGate.admit(token, scope);
              return defaultImplementation.verifyToken(token);
            }
            const result = await defaultImplementation.verifyToken(token);
            // A plugin calling on behalf of a user: did the user's token
            // come from an API token?
            const forwarded = result?.limitedUserToken;
            if (forwarded !== undefined) {
              const derivedFrom = await findDerivedTokenId(
                forwarded,
                stateClient,
              );
              if (derivedFrom !== null) {
                const scope = await checkState(derivedFrom, stateClient);
                scopeGate.hold(token, scope);
              }
            }
            return result;
          }
          const digest = ApiTokenCache.digest(token);
          let exchanged = exchanges.get(digest, () =>
            runAsInternalCall(() => exchange(token)),
          );
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
          // The path of every request with a known token: no awaits while
          // everything is cached and the token has no scope.
          const cachedState = states.get(
            exchanged.tokenId,
            stateLoader(exchanged.tokenId, stateClient),
          );
          const scope =
            cachedState === undefined
              ? await checkState(exchanged.tokenId, stateClient)
              : scopeIfActive(cachedState);
          if (scope === null) {
            scopeGate.hold(token, null);
          } else {
            await scopeGate.admit(token, scope);
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
