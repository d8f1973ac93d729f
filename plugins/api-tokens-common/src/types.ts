/**
 * How a token came to be: `permanent` tokens are issued by an admin for a
 * user and last up to a year; `temporary` tokens are created by a signed-in
 * user for themselves and last for a session.
 *
 * @public
 */
export type ApiTokenKind = 'permanent' | 'temporary';

/**
 * The state of a token at the time it was read.
 *
 * @public
 */
export type ApiTokenState = 'active' | 'expired' | 'revoked';

/**
 * The metadata of an API token. It never holds the secret, which is shown
 * once, when the token is created.
 *
 * @public
 */
export interface ApiToken {
  id: string;
  name: string;
  kind: ApiTokenKind;
  /** The user the token acts as, e.g. `user:default/jane`. */
  ownerRef: string;
  /** The user who created the token. */
  createdBy: string;
  /** ISO 8601 timestamps. */
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  /** The last four characters of the secret, to tell tokens apart. */
  hint: string;
  state: ApiTokenState;
  /** What the token may do; null when it has its owner's full power. */
  scope: ApiTokenScope | null;
  /** The token this one replaced by rotation, if any. */
  rotatedFrom?: string | null;
  /**
   * The token that replaced this one by rotation, if any: this one stops
   * working at its `expiresAt`, the end of the overlap.
   */
  rotatedTo?: string | null;
  /**
   * The last client addresses and user agents that used the token, most
   * recent first; only in admin listings.
   */
  recentClients?: ApiTokenClient[];
}

/**
 * A client address that used a token, with the user agent of its latest
 * request.
 *
 * @public
 */
export interface ApiTokenClient {
  /** The client address, as the failure limiter takes it (proxy-aware). */
  address: string;
  /** The `User-Agent` of its latest request; empty when it sent none. */
  userAgent: string;
  /** ISO 8601; recorded at most once a minute per token and address. */
  lastUsedAt: string;
}

/**
 * The answer to a token creation: the only time the secret is ever returned.
 *
 * @public
 */
export interface CreatedApiToken {
  token: ApiToken;
  secret: string;
}

/**
 * A page of tokens; pass `nextCursor` back as `cursor` for the next page.
 *
 * @public
 */
export interface ApiTokenPage {
  items: ApiToken[];
  nextCursor?: string;
}

/**
 * The keys of the API token system settings, named as in the admin UI.
 *
 * @public
 */
export type ApiTokenSettingKey =
  | 'EnableUserTokenNotification'
  | 'UserTokenExpirationNotificationEmails'
  | 'MaximumTokenLifetimeDays';

/**
 * A system setting that an admin changed at runtime.
 *
 * @public
 */
export interface ApiTokenSetting {
  type: 'app-config';
  key: ApiTokenSettingKey;
  value: string;
  updatedAt: string;
  updatedBy: string;
}

/**
 * Whether an expiry fault still needs attention.
 *
 * @public
 */
export type ApiTokenFaultStatus = 'open' | 'resolved';

/**
 * What a fault is about: `expiry`, a token is about to expire;
 * `email-undeliverable`, the expiry email about a token to one address
 * could not be delivered after every attempt; `leaked`, a secret scanner
 * reported the token and it was revoked.
 *
 * @public
 */
export type ApiTokenFaultKind = 'expiry' | 'email-undeliverable' | 'leaked';

/**
 * A fault raised because a token is about to expire, or because the email
 * that said so could not be delivered.
 *
 * @public
 */
export interface ApiTokenFault {
  id: string;
  kind: ApiTokenFaultKind;
  /**
   * For `email-undeliverable`: the address the expiry email could not be
   * delivered to ("could not deliver the expiry email for `tokenName` to
   * `emailAddress`"); null for `expiry`. Its token, threshold and expiry are
   * those of the expiry fault it is about.
   */
  emailAddress: string | null;
  /**
   * For `leaked`: where the scanner found the token ("token leaked at
   * `leakUrl`"); null for other kinds.
   */
  leakUrl: string | null;
  tokenId: string;
  tokenName: string;
  ownerRef: string;
  /** The notification threshold, in days before expiry, that raised it. */
  thresholdDays: number;
  expiresAt: string;
  raisedAt: string;
  status: ApiTokenFaultStatus;
  resolvedAt: string | null;
  /**
   * Why the fault was resolved: the token was revoked or has expired, or a
   * nearer threshold raised a newer fault for it (or its expiry changed),
   * or the token was rotated (its successor carries on). An
   * `email-undeliverable` fault is resolved with its token's expiry fault,
   * for the same reasons.
   */
  resolution: 'revoked' | 'expired' | 'superseded' | 'rotated' | null;
  /**
   * When an admin acknowledged the fault, and who: an acknowledged fault
   * stays open but sends no more emails or owner notices.
   */
  acknowledgedAt?: string | null;
  acknowledgedBy?: string | null;
}

/**
 * What one run of the expiry check did.
 *
 * @public
 */
export interface ExpiryCheckResult {
  /** How many expiry faults this run raised. */
  raisedCount: number;
  /**
   * The first of them in the order of expiry, at most
   * `EXPIRY_CHECK_LISTED_FAULTS` (100): a run can raise many thousands,
   * which the Faults page lists.
   */
  raised: ApiTokenFault[];
  /** Faults resolved by this run because their token was revoked, expired or renewed. */
  resolved: number;
  /** Addresses the SMTP server accepted a message for. */
  emailedTo: string[];
  /** Addresses the message could not be delivered to, with the reason. */
  emailFailures: Array<{ address: string; reason: string }>;
}

/**
 * Why a token was revoked when not by a person's request: `leaked`, a
 * secret scanner reported it.
 *
 * @public
 */
export type ApiTokenRevokedReason = 'leaked';

/**
 * What an admin's lookup of a token value answers: the token's metadata,
 * never the value.
 *
 * @public
 */
export interface ApiTokenLookupResult {
  token: ApiToken;
  /** Why it was revoked when not by a person; null otherwise. */
  revokedReason: ApiTokenRevokedReason | null;
  /** Where a secret scanner found it, for a leaked token; null otherwise. */
  leakUrl: string | null;
}

/**
 * What a token may do, beyond which it is refused whatever its owner may do.
 * Each part is optional; a part that is left out does not limit.
 *
 * @public
 */
export interface ApiTokenScope {
  /** Backend plugin ids the token may call at all, e.g. `catalog`. */
  plugins?: string[];
  /**
   * Permission names the token may be allowed, e.g. `catalog.entity.read`;
   * the owner's policy still decides them.
   */
  permissions?: string[];
  /** Only read permissions, and only GET/HEAD on plugins without permissions. */
  readOnly?: boolean;
}

/**
 * What a token with a given scope, owned by a given user, would be allowed:
 * the decision of the portal's policy for each permission that the installed
 * plugins publish.
 *
 * @public
 */
export interface ApiTokenScopePreview {
  /** The installed backend plugin ids, sorted. */
  plugins: string[];
  permissions: Array<{
    name: string;
    pluginId: string;
    type: 'basic' | 'resource';
    resourceType?: string;
    action?: 'create' | 'read' | 'update' | 'delete';
    result: 'ALLOW' | 'DENY' | 'CONDITIONAL';
  }>;
}

/**
 * The counts at the top of the admin inventory page, over a window of
 * `windowDays` around the time they were read.
 *
 * @public
 */
export interface ApiTokenInventorySummary {
  /** Tokens neither revoked nor expired. */
  active: number;
  /** Active tokens that expire within the window. */
  expiringSoon: number;
  /** Active tokens never used. */
  neverUsed: number;
  /** Tokens revoked within the window. */
  recentlyRevoked: number;
  windowDays: number;
}
