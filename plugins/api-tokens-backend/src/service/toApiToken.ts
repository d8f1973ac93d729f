import {
  ApiToken,
  ApiTokenClient,
  ApiTokenPage,
  CreatedApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { NotFoundError } from '@backstage/errors';
import { StoredTokenClient } from '../database/ApiTokensStore';
import {
  IssuedToken,
  ListedApiToken,
  ListedApiTokenPage,
  TokenState,
} from './TokenService';

/** The API shape of a stored token, with its state at `now`. */
export function toApiToken(
  token: ListedApiToken,
  now: Date = new Date(),
): ApiToken {
  if (token.kind === 'preview') {
    // Previews are never listed or shown; nothing should get here.
    throw new NotFoundError('No such API token');
  }
  let state: ApiToken['state'] = 'active';
  if (token.revokedAt) {
    state = 'revoked';
  } else if (token.expiresAt <= now) {
    state = 'expired';
  }
  return {
    id: token.id,
    name: token.name,
    kind: token.kind,
    ownerRef: token.ownerRef,
    createdBy: token.createdBy,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    revokedBy: token.revokedBy ?? null,
    hint: token.hint,
    state,
    scope: token.scope,
    rotatedFrom: token.rotatedFrom ?? null,
    rotatedTo: token.rotatedTo ?? null,
    ...(token.recentClients && {
      recentClients: token.recentClients.map(toApiTokenClient),
    }),
  };
}

function toApiTokenClient(client: StoredTokenClient): ApiTokenClient {
  return {
    address: client.address,
    userAgent: client.userAgent,
    lastUsedAt: client.lastUsedAt.toISOString(),
  };
}

/** The API shape of a page of stored tokens. */
export function toApiTokenPage(page: ListedApiTokenPage): ApiTokenPage {
  const now = new Date();
  return {
    items: page.items.map(token => toApiToken(token, now)),
    nextCursor: page.nextCursor,
  };
}

/** The API shape of a token just issued: the only answer with its secret. */
export function toCreatedApiToken(issued: IssuedToken): CreatedApiToken {
  return { token: toApiToken(issued.token), secret: issued.secret };
}

/** The answer of the internal state routes, for every plugin's token handler. */
export function toApiTokenState(state: TokenState) {
  return {
    active: state.active,
    expiresAt: state.expiresAt.toISOString(),
    scope: state.scope,
  };
}
