import { IncomingMessage } from 'node:http';
import { hasApiTokenPrefix } from '@nholuongut/backstage-plugin-api-tokens-common';
import { readBearerToken } from './readBearerToken';
import { API_TOKEN_ID_CLAIM } from './userTokenClaims';

/**
 * How a request carries an API token: the token itself as bearer (handled by
 * the token-handler decorator), or a Backstage user token exchanged from one
 * (`POST /api/auth/api-token/refresh`), which names the token in the
 * {@link API_TOKEN_ID_CLAIM} claim.
 *
 * @public
 */
export type ApiTokenRequestCredential =
  | { type: 'api-token'; token: string }
  | { type: 'exchanged'; tokenId: string };

/**
 * The API token behind a request, if any. The token is not verified here,
 * so call this only after `httpAuth.credentials(req)` has accepted the
 * request.
 *
 * @public
 */
export function readApiTokenCredential(
  req: Pick<IncomingMessage, 'headers'>,
): ApiTokenRequestCredential | undefined {
  const token = readBearerToken(req.headers.authorization);
  if (!token) {
    return undefined;
  }
  if (hasApiTokenPrefix(token)) {
    return { type: 'api-token', token };
  }
  const payload = token.split('.')[1];
  if (!payload) {
    return undefined;
  }
  try {
    const claims: unknown = JSON.parse(
      Buffer.from(payload, 'base64url').toString('utf8'),
    );
    const tokenId =
      typeof claims === 'object' && claims !== null
        ? (claims as Record<string, unknown>)[API_TOKEN_ID_CLAIM]
        : undefined;
    return typeof tokenId === 'string'
      ? { type: 'exchanged', tokenId }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a request's credentials came from an API token (see
 * {@link readApiTokenCredential}). Meant for routes that refuse API tokens,
 * such as creating or revoking tokens, so a leaked token cannot mint more.
 * Calls that another plugin makes on behalf of the user carry only a limited
 * token and cannot be told apart; the decorator's credentials also show
 * `principal.actor.subject` as `external:api-token` at the first hop.
 *
 * @public
 */
export function isApiTokenRequest(req: Pick<IncomingMessage, 'headers'>) {
  return readApiTokenCredential(req) !== undefined;
}
