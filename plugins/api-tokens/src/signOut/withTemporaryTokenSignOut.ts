import { IdentityApi } from '@backstage/core-plugin-api';
import { ApiTokensApi } from '../api';

/**
 * Options of {@link withTemporaryTokenSignOut}.
 *
 * @public
 */
export interface TemporaryTokenSignOutOptions {
  /**
   * How long sign-out waits for the revoke before it goes ahead anyway;
   * 3 seconds by default.
   */
  revokeTimeoutMs?: number;
}

const DEFAULT_REVOKE_TIMEOUT_MS = 3_000;

/**
 * Wraps the identity a sign-in page hands to the app so that signing out
 * also ends the user's temporary API token in this browser: its secret is
 * removed from browser storage and the token revoked, then the original
 * `signOut()` runs. The revoke is best effort: if it fails or takes longer
 * than the timeout, sign-out goes ahead and the token simply expires.
 *
 * Backstage tells plugins nothing about sign-out, so the app installs this
 * where it receives the identity, in its sign-in page's `onSignInSuccess`.
 *
 * @public
 */
export function withTemporaryTokenSignOut(
  identityApi: IdentityApi,
  apiTokensApi: Pick<ApiTokensApi, 'revokeSessionTemporaryToken'>,
  options: TemporaryTokenSignOutOptions = {},
): IdentityApi {
  const timeoutMs = options.revokeTimeoutMs ?? DEFAULT_REVOKE_TIMEOUT_MS;
  return {
    getProfileInfo: () => identityApi.getProfileInfo(),
    getBackstageIdentity: () => identityApi.getBackstageIdentity(),
    getCredentials: () => identityApi.getCredentials(),
    signOut: async () => {
      await settleWithin(
        timeoutMs,
        // Also catches an implementation that throws before its promise.
        Promise.resolve().then(() =>
          apiTokensApi.revokeSessionTemporaryToken(),
        ),
      );
      await identityApi.signOut();
    },
  };
}

/** Waits for `promise` to settle, but no longer than `ms`; never rejects. */
async function settleWithin(ms: number, promise: Promise<unknown>) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>(resolve => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
