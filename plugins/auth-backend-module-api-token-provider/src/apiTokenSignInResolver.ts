import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthenticationError,
  NotFoundError,
  ServiceUnavailableError,
  toError,
} from '@backstage/errors';
import { SignInResolver } from '@backstage/plugin-auth-node';
import {
  API_TOKEN_ID_CLAIM,
  ApiTokensVerifyClient,
  ApiTokenVerification,
  parseUserTokenClaims,
} from '@nholuongut/backstage-plugin-api-tokens-node';

/**
 * Signs in the owner of a verified API token.
 *
 * This does what `signInWithCatalogUser` does, through the same public
 * resolver context calls: find the user in the catalog (so a user who left
 * the catalog can no longer use their tokens), resolve their ownership with
 * the installed ownership resolver, and issue the token, which also stores
 * the user's ownership for the userinfo endpoint. The one addition is the
 * `api_token_id` claim, which lets the api-tokens backend refuse tokens that
 * came from an API token on its token-management routes, and every plugin's
 * token handler refuse them once the API token is revoked or has expired.
 *
 * The token's `exp` is the auth backend's own (`auth.backstageTokenExpiration`):
 * auth-backend 0.31 overwrites an `exp` claim passed here, so the API token's
 * expiry is enforced by the token handler, not carried by the token. What was
 * issued is checked before it is handed out: anything but a signed user token
 * of the owner, naming this API token, is refused with 503.
 */
export function createApiTokenSignInResolver(options: {
  logger: LoggerService;
  /** Records each issued token with the api-tokens backend. */
  verifyClient: Pick<ApiTokensVerifyClient, 'recordDerivedToken'>;
}): SignInResolver<ApiTokenVerification> {
  const { logger, verifyClient } = options;
  return async ({ result }, ctx) => {
    let entity;
    try {
      ({ entity } = await ctx.findCatalogUser({ entityRef: result.ownerRef }));
    } catch (error) {
      if (NotFoundError.is(error)) {
        throw new AuthenticationError(
          'The owner of this API token is not in the catalog',
        );
      }
      logger.warn(
        `Could not look up the owner of API token ${result.tokenId} in the catalog`,
        toError(error),
      );
      throw new ServiceUnavailableError(
        'Sign-in with the API token is unavailable: the catalog could not be reached',
        error,
      );
    }

    let signedIn;
    try {
      const { ownershipEntityRefs } = await ctx.resolveOwnershipEntityRefs(
        entity,
      );
      signedIn = await ctx.issueToken({
        claims: {
          sub: stringifyEntityRef(entity),
          ent: ownershipEntityRefs,
          [API_TOKEN_ID_CLAIM]: result.tokenId,
        },
      });
    } catch (error) {
      logger.warn(
        `Could not issue a Backstage token for API token ${result.tokenId}`,
        toError(error),
      );
      throw new ServiceUnavailableError(
        'Sign-in with the API token is unavailable',
        error,
      );
    }
    // Never hand out what is not a signed user token of this token's owner:
    // Backstage takes an empty token for a service principal.
    const claims = parseUserTokenClaims(signedIn?.token);
    if (
      !claims ||
      claims.apiTokenId !== result.tokenId ||
      claims.sub.toLowerCase() !== stringifyEntityRef(entity).toLowerCase()
    ) {
      logger.error(
        `The auth backend issued an unusable token for API token ${result.tokenId}`,
      );
      throw new ServiceUnavailableError(
        'Sign-in with the API token is unavailable: no usable token was issued',
      );
    }
    // Plugins forward only a limited form of this token on behalf of the
    // owner; what it came from must be on record before it is handed out.
    await verifyClient.recordDerivedToken(result.tokenId, signedIn.token);
    return signedIn;
  };
}
