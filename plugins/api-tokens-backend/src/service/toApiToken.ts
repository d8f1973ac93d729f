import { ApiToken } from '@internal/plugin-api-tokens-common';
import { StoredApiToken } from '../database/ApiTokensStore';

/** The API shape of a stored token, with its state at `now`. */
export function toApiToken(token: StoredApiToken, now: Date): ApiToken {
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
  };
}
