import { NewApiToken, StoredApiToken } from '../database/ApiTokensStore';

/**
 * What a token may do and as whom: its name, kind, owner and scope.
 * Rotation gives the successor exactly this, so whatever is added to what a
 * token may do belongs here.
 */
export type TokenGrant = Pick<
  NewApiToken,
  'name' | 'kind' | 'ownerRef' | 'scope'
>;

/** The grant of a token, to give its successor. */
export function grantOf(token: StoredApiToken): TokenGrant {
  return {
    name: token.name,
    kind: token.kind,
    ownerRef: token.ownerRef,
    scope: token.scope,
  };
}
