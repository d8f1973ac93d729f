/**
 * Auditor event ids of the API tokens plugin.
 *
 * @public
 */
export const API_TOKENS_AUDIT_EVENTS = {
  tokenCreate: 'token-create',
  tokenRevoke: 'token-revoke',
  tokenRotate: 'token-rotate',
  settingsUpdate: 'settings-update',
  faultRaise: 'fault-raise',
  emailSend: 'email-send',
  leakReport: 'leak-report',
  tokenLookup: 'token-lookup',
  faultAcknowledge: 'fault-acknowledge',
} as const;

/**
 * The notification topic of expiry notices.
 *
 * @public
 */
export const API_TOKENS_NOTIFICATION_TOPIC = 'api-tokens';

/**
 * The header carried by responses to requests made with an API token: when
 * the token expires, as an ISO 8601 timestamp.
 *
 * @public
 */
export const API_TOKEN_EXPIRATION_HEADER = 'Backstage-Api-Token-Expiration';

/**
 * The header carried by responses to requests made with a scoped API token
 * (or a token exchanged for one): its scope in words, such as
 * `plugins: catalog; read only`, so that a 403 in a CI log says what the
 * token may do.
 *
 * @public
 */
export const API_TOKEN_SCOPE_HEADER = 'Backstage-Api-Token-Scope';

/**
 * How many of the faults a run of the expiry check raised its result lists
 * (`ExpiryCheckResult.raised`); `raisedCount` says how many in all.
 *
 * @public
 */
export const EXPIRY_CHECK_LISTED_FAULTS = 100;
