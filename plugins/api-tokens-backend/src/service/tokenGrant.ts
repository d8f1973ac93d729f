import { NewApiToken, StoredApiToken } from '../database/ApiTokensStore';

/**
 * What a token may do and as whom: its name, kind and owner. Rotation gives
 * the successor exactly this, so whatever is added to what a token may do
 * (e.g. a scope) belongs here.
 */
export type TokenGrant = Pick<NewApiToken, 'name' | 'kind' | 'ownerRef'>;

/** The grant of a token, to give its successor. */
export function grantOf(token: StoredApiToken): TokenGrant {
  return {
    name: token.name,
    kind: token.kind,
    ownerRef: token.ownerRef,
  };
}
