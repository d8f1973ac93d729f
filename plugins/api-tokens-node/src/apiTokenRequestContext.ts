import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { ApiTokenScope } from '@nholuongut/backstage-plugin-api-tokens-common';

/**
 * What the expiration middleware knows about a request made with an API
 * token, filled in by the token-handler decorator when it verifies the token.
 */
export interface ApiTokenRequestState {
  /** The bearer token of the request. */
  readonly token: string;
  /** When the token expires, once the decorator has verified it. */
  tokenExpiresAt?: string;
  /**
   * Who sent the request, for usage forensics: the proxy-aware client
   * address and the user agent. Absent for the backend's own exchanges.
   */
  readonly client?: ApiTokenClientInfo;
}

/** The client of a request made with an API token. */
export interface ApiTokenClientInfo {
  address: string;
  userAgent: string;
}

/**
 * What the failure limiter knows about a request with an API token that it
 * let through.
 */
export interface ApiTokenLimiterState {
  /** The bearer token of the request. */
  readonly token: string;
  /**
   * Names this request to the limiter when the backend calls itself while
   * serving it (the decorator's exchange); see `INTERNAL_CALL_HEADER`.
   */
  readonly internalCallMarker: string;
  /** Called once the decorator has verified the token. */
  onVerified(): void;
}

/**
 * The header with which the decorator's exchange names the request it
 * serves. The limiter has already admitted and counts that request, so it
 * neither limits nor counts the exchange: otherwise every failed guess would
 * also count against the backend's own address, and a guesser could lock the
 * backend out of its own exchanges. The value is a random marker that exists
 * only while the outer request is in flight.
 */
export const INTERNAL_CALL_HEADER = 'backstage-api-token-internal-call';

/**
 * What the scope checks know of a request with a bearer token: its method,
 * and the scope of the API token behind it once the token-handler decorator
 * has verified the token (null for a token without a scope).
 */
export interface ApiTokenScopeState {
  readonly method: string;
  /** The bearer token of the request. */
  readonly token: string;
  scope?: ApiTokenScope | null;
}

// The decorator only sees token strings and the middlewares only see HTTP
// messages; the request's async context is what connects them.
const requestStorage = new AsyncLocalStorage<ApiTokenRequestState>();
const limiterStorage = new AsyncLocalStorage<ApiTokenLimiterState>();
const scopeStorage = new AsyncLocalStorage<ApiTokenScopeState>();
// The marker of a call the backend makes of its own accord.
const internalCallStorage = new AsyncLocalStorage<string>();

// The markers of the requests in flight in this process, across limiter
// instances (tests run several backends in one process).
const internalCallMarkers = new Set<string>();

/** Runs the rest of a request's handling with its API token state. */
export function runWithApiTokenRequestState(
  state: ApiTokenRequestState,
  callback: () => void,
): void {
  requestStorage.run(state, callback);
}

/**
 * Runs the rest of a request's handling with the limiter's state, its
 * marker valid until `untilClosed` closes.
 */
export function runWithApiTokenLimiterState(
  state: ApiTokenLimiterState,
  untilClosed: { once(event: 'close', listener: () => void): unknown },
  callback: () => void,
): void {
  internalCallMarkers.add(state.internalCallMarker);
  untilClosed.once('close', () => {
    internalCallMarkers.delete(state.internalCallMarker);
  });
  limiterStorage.run(state, callback);
}

/** Whether a header value is the marker of a request in flight. */
export function isInternalCallMarker(value: unknown): boolean {
  return typeof value === 'string' && internalCallMarkers.has(value);
}

/**
 * The marker of the call being made: one that the backend makes of its own
 * accord (`runAsInternalCall`), or else the request being handled, if the
 * limiter admitted it.
 */
export function currentInternalCallMarker(): string | undefined {
  return (
    internalCallStorage.getStore() ??
    limiterStorage.getStore()?.internalCallMarker
  );
}

/**
 * Runs a call that the backend makes of its own accord, such as verifying a
 * token in use again ahead of time, under a marker of its own that is valid
 * until the call settles. Started by a request, it would otherwise carry
 * that request's marker, which ends with the request: the limiter would
 * then count the call against the backend's own address, and usage
 * forensics would take the backend for one of the token's clients.
 */
export function runAsInternalCall<T>(call: () => Promise<T>): Promise<T> {
  const marker = randomUUID();
  internalCallMarkers.add(marker);
  return internalCallStorage.run(marker, call).finally(() => {
    internalCallMarkers.delete(marker);
  });
}

/**
 * Records that a request's API token was verified: the limiter stops
 * holding a slot for it, and the expiration middleware learns its expiry.
 * Only applies when this is that request's token; returns the request's
 * client then, if the middleware knows it.
 */
export function recordApiTokenVerified(
  token: string,
  tokenExpiresAt: string,
): ApiTokenClientInfo | undefined {
  const limiterState = limiterStorage.getStore();
  if (limiterState !== undefined && limiterState.token === token) {
    limiterState.onVerified();
  }
  const state = requestStorage.getStore();
  if (state !== undefined && state.token === token) {
    state.tokenExpiresAt = tokenExpiresAt;
    return state.client;
  }
  return undefined;
}

/** Runs the rest of a request's handling with its scope state. */
export function runWithApiTokenScopeState(
  state: ApiTokenScopeState,
  callback: () => void,
): void {
  scopeStorage.run(state, callback);
}

/**
 * The scope state of the request being handled, if `token` is its bearer
 * token: a token verified for anything else does not describe the request.
 */
export function apiTokenScopeStateFor(
  token: string,
): ApiTokenScopeState | undefined {
  const state = scopeStorage.getStore();
  return state?.token === token ? state : undefined;
}

/**
 * The scope of the API token behind the request being handled: undefined
 * when it was not made with one (or a token exchanged or forwarded from
 * one), null when that token has no scope.
 */
export function currentApiTokenScope(): ApiTokenScope | null | undefined {
  return scopeStorage.getStore()?.scope;
}
