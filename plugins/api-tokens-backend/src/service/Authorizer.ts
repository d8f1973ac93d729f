import {
  BackstageCredentials,
  BackstageServicePrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { Caller, cameFromApiToken } from './Caller';

/**
 * The one place that decides who may do what: the permission policy for
 * admin actions, and the rules it cannot express (API tokens do not manage
 * tokens; only the auth plugin verifies them).
 */
export class Authorizer {
  constructor(private readonly permissions: PermissionsService) {}

  /**
   * The user behind a request to manage tokens or settings. Credentials that
   * came from an API token are refused, so a leaked token cannot mint, list
   * or revoke tokens.
   */
  requireSignedInUser(caller: Caller): string {
    if (cameFromApiToken(caller)) {
      throw new NotAllowedError(
        'API tokens cannot be used to manage API tokens; sign in to the portal instead',
      );
    }
    return caller.credentials.principal.userEntityRef;
  }

  /** Whether the policy allows the caller a permission. */
  async isAllowed(
    caller: Caller,
    permission: BasicPermission,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials: caller.credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /**
   * The signed-in user, if the policy allows them the permission; throws
   * `NotAllowedError` naming the permission otherwise.
   */
  async requirePermission(
    caller: Caller,
    permission: BasicPermission,
  ): Promise<string> {
    const userRef = this.requireSignedInUser(caller);
    if (!(await this.isAllowed(caller, permission))) {
      throw new NotAllowedError(
        `You are not allowed to do this (${permission.name})`,
      );
    }
    return userRef;
  }

  /**
   * Throws `NotAllowedError` unless the credentials are the auth plugin's:
   * it alone exchanges API tokens for user tokens.
   */
  requireAuthPlugin(
    credentials: BackstageCredentials<BackstageServicePrincipal>,
  ): void {
    if (credentials.principal.subject !== 'plugin:auth') {
      throw new NotAllowedError('Only the auth plugin may verify API tokens');
    }
  }

  /**
   * Throws `NotAllowedError` unless the credentials are a backend plugin's
   * own (`plugin:<id>`), not an external service token's: every plugin's
   * token handler checks the state of the API token behind a request.
   */
  requireBackendPlugin(
    credentials: BackstageCredentials<BackstageServicePrincipal>,
  ): void {
    if (!credentials.principal.subject.startsWith('plugin:')) {
      throw new NotAllowedError(
        'Only backend plugins may read the state of API tokens',
      );
    }
  }
}
