import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  API_TOKEN_ACTOR_SUBJECT,
  isApiTokenRequest,
} from '@nholuongut/backstage-plugin-api-tokens-node';

/** Any request, whatever the typed router made of its parts. */
export type Request = Parameters<HttpAuthService['credentials']>[0];

/**
 * Who asks a service for something: a signed-in user, and the request they
 * sent, which the auditor records and which tells whether an API token
 * signed it.
 */
export interface Caller {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  request: Request;
}

/**
 * Whether the caller's credentials came from an API token: the token itself
 * as the bearer token, a user token exchanged for one, or credentials whose
 * actor is the API token handler.
 */
export function cameFromApiToken(caller: Caller): boolean {
  return (
    isApiTokenRequest(caller.request) ||
    caller.credentials.principal.actor?.subject === API_TOKEN_ACTOR_SUBJECT
  );
}
