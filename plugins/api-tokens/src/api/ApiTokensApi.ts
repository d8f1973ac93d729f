import { createApiRef } from '@backstage/core-plugin-api';
import {
  ApiTokenFault,
  ApiTokenFaultStatus,
  ApiTokenLookupResult,
  ApiTokenPage,
  ApiTokenScope,
  ApiTokenScopePreview,
  ApiTokenInventorySummary,
  ApiTokenKind,
  ApiTokenState,
  ApiTokenSetting,
  ApiTokenSettingKey,
  CreatedApiToken,
  ExpiryCheckResult,
} from '@nholuongut/backstage-plugin-api-tokens-common';

/**
 * Where to start and how much to read of a list that comes in pages.
 *
 * @public
 */
export interface ApiTokensPageRequest {
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * The lifetime limits the backend enforces, so the UI can offer only what
 * the backend accepts.
 *
 * @public
 */
export interface ApiTokenLimits {
  /** The latest expiry a permanent token created now may have (ISO 8601). */
  permanentTokenMaxExpiresAt: string;
  /** How long a temporary token lasts. */
  temporaryTokenLifetimeSeconds: number;
}

/**
 * What an admin asks for when creating a permanent token for a user.
 *
 * @public
 */
export interface CreateUserTokenRequest {
  name: string;
  /** ISO 8601; the backend's maximum when left out. */
  expiresAt?: string;
  /** What the token may do; its owner's full power when left out. */
  scope?: ApiTokenScope;
}

/**
 * What a signed-in user may ask for when creating a temporary token.
 *
 * @public
 */
export interface CreateTemporaryTokenRequest {
  name?: string;
  /** What the token may do; the user's full power when left out. */
  scope?: ApiTokenScope;
}

/**
 * How an admin rotates a token.
 *
 * @public
 */
export interface RotateTokenRequest {
  /** How long the old token keeps working, 0–168 hours; 24 when left out. */
  overlapHours?: number;
  /** ISO 8601; the backend's maximum when left out. */
  expiresAt?: string;
}

/**
 * Which expiry faults to list.
 *
 * @public
 */
export interface ListFaultsRequest extends ApiTokensPageRequest {
  status?: ApiTokenFaultStatus;
  /** A user entity ref, e.g. `user:default/jane`. */
  ownerRef?: string;
}

/**
 * Which tokens of the organisation to list (the credentials inventory), in
 * which order. Every filter given must hold; several states match any.
 *
 * @public
 */
export interface ListAllTokensRequest extends ApiTokensPageRequest {
  states?: ApiTokenState[];
  kind?: ApiTokenKind;
  /** A user entity ref, e.g. `user:default/jane`. */
  ownerRef?: string;
  createdBy?: string;
  /** A part of the name, case-insensitive. */
  q?: string;
  /** ISO 8601 times. */
  expiresBefore?: string;
  expiresAfter?: string;
  /** Never used, or last used before this time. */
  unusedSince?: string;
  neverUsed?: boolean;
  revokedSince?: string;
  sort?: 'createdAt' | 'expiresAt' | 'lastUsedAt' | 'name';
  order?: 'asc' | 'desc';
}

/**
 * A page of expiry faults; pass `nextCursor` back as `cursor` for the next.
 *
 * @public
 */
export interface ApiTokenFaultPage {
  items: ApiTokenFault[];
  nextCursor?: string;
}

/**
 * The API tokens backend, as seen by the frontend.
 *
 * @public
 */
export interface ApiTokensApi {
  /** The signed-in user's own tokens, in every state. */
  listOwnTokens(request?: ApiTokensPageRequest): Promise<ApiTokenPage>;
  /** Creates a temporary token for the signed-in user. */
  createTemporaryToken(
    request?: CreateTemporaryTokenRequest,
  ): Promise<CreatedApiToken>;
  /**
   * The signed-in user's temporary token in this browser: created on the
   * first call, then the same one, also after a reload and in other tabs,
   * while the backend accepts it and it is not about to expire.
   */
  getSessionTemporaryToken(): Promise<CreatedApiToken>;
  /**
   * What sign-out does: removes the temporary token secrets this browser
   * keeps, then revokes the signed-in user's temporary token.
   */
  revokeSessionTemporaryToken(): Promise<void>;
  /**
   * Revokes a token; owners may revoke their own, admins any. Revoking the
   * session's temporary token also drops it from the browser.
   */
  revokeToken(id: string): Promise<void>;
  /** The expiry faults raised for the signed-in user's tokens. */
  listOwnFaults(): Promise<{ items: ApiTokenFault[] }>;
  /** Any user's tokens (admin). */
  listUserTokens(
    userRef: string,
    request?: ApiTokensPageRequest,
  ): Promise<ApiTokenPage>;
  /** Creates a permanent token for a user (admin). */
  createUserToken(
    userRef: string,
    request: CreateUserTokenRequest,
  ): Promise<CreatedApiToken>;
  /**
   * Rotates a permanent token (admin): a new token with the same grant, its
   * secret shown once; the old one keeps working for the overlap.
   */
  rotateToken(
    id: string,
    request: RotateTokenRequest,
  ): Promise<CreatedApiToken>;
  /**
   * What a token with this scope (`null`: none) would be allowed if it
   * belonged to the user (admin). Refuses unknown plugins and permissions.
   */
  previewTokenScope(
    userRef: string,
    scope: ApiTokenScope | null,
  ): Promise<ApiTokenScopePreview>;
  getLimits(): Promise<ApiTokenLimits>;
  /** The system settings an admin has set. */
  listSettings(): Promise<{ items: ApiTokenSetting[] }>;
  updateSetting(
    key: ApiTokenSettingKey,
    value: string,
  ): Promise<ApiTokenSetting>;
  /** Removes a setting, so its app-config default applies again. */
  deleteSetting(key: ApiTokenSettingKey): Promise<void>;
  /** Every user's expiry faults (admin). */
  listFaults(request?: ListFaultsRequest): Promise<ApiTokenFaultPage>;
  /**
   * Every token of the organisation, filtered and sorted (admin); a user's
   * own with `ownerRef` set to themself.
   */
  listAllTokens(request?: ListAllTokensRequest): Promise<ApiTokenPage>;
  /** The counts of the inventory page (admin). */
  getTokenInventorySummary(): Promise<ApiTokenInventorySummary>;
  /**
   * Acknowledges an open fault (admin): it stops sending emails and
   * notices.
   */
  acknowledgeFault(id: string): Promise<ApiTokenFault>;
  /** Runs the expiry check now (admin). */
  runExpiryCheck(): Promise<ExpiryCheckResult>;
  /**
   * The metadata of the token a value is (admin), for incident response;
   * the backend answers 404 for a value that is none of ours.
   */
  lookUpToken(token: string): Promise<ApiTokenLookupResult>;
}

/**
 * The reference to the {@link ApiTokensApi}.
 *
 * @public
 */
export const apiTokensApiRef = createApiRef<ApiTokensApi>({
  id: 'plugin.api-tokens.service',
});
