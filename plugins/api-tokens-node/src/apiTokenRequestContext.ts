import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the expiration middleware knows about a request made with an API
 * token, filled in by the token-handler decorator when it verifies the token.
 */
export interface ApiTokenRequestState {
  /** The bearer token of the request. */
  readonly token: string;
  /** When the token expires, once the decorator has verified it. */
  tokenExpiresAt?: string;
}

// The decorator only sees token strings and the middleware only sees HTTP
// messages; the request's async context is what connects the two.
const storage = new AsyncLocalStorage<ApiTokenRequestState>();

/** Runs the rest of a request's handling with its API token state. */
export function runWithApiTokenRequestState(
  state: ApiTokenRequestState,
  callback: () => void,
): void {
  storage.run(state, callback);
}

/**
 * Records the expiry of a verified token on the request that carries it, if
 * the expiration middleware is installed and this is that request's token.
 */
export function recordApiTokenExpiration(
  token: string,
  tokenExpiresAt: string,
): void {
  const state = storage.getStore();
  if (state !== undefined && state.token === token) {
    state.tokenExpiresAt = tokenExpiresAt;
  }
}
