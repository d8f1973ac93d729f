import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  API_TOKEN_ACTOR_SUBJECT,
  isApiTokenRequest as carriesApiToken,
} from '@internal/plugin-api-tokens-node';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
/** Any request, whatever the typed router made of its parts. */
export type Request = Parameters<HttpAuthService['credentials']>[0];

/** Whether a request authenticated with an API token. */
export function isApiTokenRequest(
  req: Request,
  credentials: BackstageCredentials<BackstageUserPrincipal>,
): boolean {
  return (
    carriesApiToken(req) ||
    credentials.principal.actor?.subject === API_TOKEN_ACTOR_SUBJECT
  );
}

/**
 * Authorizes the requests of this plugin: who the user is, and whether the
 * permission policy lets them do an admin action.
 */
export class RequestAccess {
  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly permissions: PermissionsService,
  ) {}

  /**
   * The signed-in user behind a token-management request. Credentials that
   * came from an API token are refused, so a leaked token cannot mint, list
   * or revoke tokens.
   */
  async signedInUser(
    req: Request,
  ): Promise<BackstageCredentials<BackstageUserPrincipal>> {
    const credentials = await this.httpAuth.credentials(req, {
      allow: ['user'],
    });
    if (isApiTokenRequest(req, credentials)) {
      throw new NotAllowedError(
        'API tokens cannot be used to manage API tokens; sign in to the portal instead',
      );
    }
    return credentials;
  }

  /** Whether the policy allows the user a permission. */
  async isAllowed(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** Throws NotAllowedError unless the policy allows the permission. */
  async requirePermission(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<void> {
    if (!(await this.isAllowed(credentials, permission))) {
      throw new NotAllowedError(
        `You are not allowed to do this (${permission.name})`,
      );
    }
  }
}
