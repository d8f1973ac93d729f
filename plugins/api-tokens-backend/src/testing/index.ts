/**
 * The backend's internals, for tests and benchmarks that drive them in
 * process: the Knex stores, the migrations, the expiry check and its
 * settings. Not a stable API; a backend installs the plugin from the
 * package's main entry point instead.
 *
 * @packageDocumentation
 */

export { applyDatabaseMigrations } from '../database/migrations';
export { encodeCursor } from '../database/cursor';
export { encodeInventoryCursor } from '../database/inventoryCursor';
export { DatabaseApiTokensStore } from '../database/DatabaseApiTokensStore';
export { DatabaseEmailOutbox } from '../database/DatabaseEmailOutbox';
export { DatabaseFaultLedger } from '../database/DatabaseFaultLedger';
export { DatabaseOwnerNoticeClaims } from '../database/DatabaseOwnerNoticeClaims';
export { DatabaseSettingsStore } from '../database/DatabaseSettingsStore';
export { DatabaseTokenInventory } from '../database/DatabaseTokenInventory';
export { ExpiryCheck } from '../expiry/ExpiryCheck';
export { ExpirySettings } from '../expiry/ExpirySettings';
export type {
  ApiTokenList,
  ApiTokenListOptions,
  ApiTokensStore,
  NewApiToken,
  RotatedApiToken,
  RotationRefusal,
  StoredApiToken,
  StoredApiTokenKind,
  StoredTokenClient,
  StoredTokenUsage,
  TokenClientUse,
} from '../database/ApiTokensStore';
export type { PagePosition } from '../database/cursor';
export type { InventoryPosition } from '../database/inventoryCursor';
export type {
  EmailOutbox,
  EmailRetryPolicy,
  PendingEmail,
} from '../database/EmailOutbox';
export type {
  DueToken,
  FaultLedger,
  FaultListOptions,
  StoredFault,
  TokenPosition,
} from '../database/FaultLedger';
export type {
  InventoryQuery,
  InventorySortKey,
  InventorySummary,
  TokenInventory,
} from '../database/TokenInventory';
export type { OwnerNoticeClaims } from '../database/OwnerNoticeClaims';
export type { SettingsStore, StoredSetting } from '../database/SettingsStore';
export type {
  ExpiryCheckOptions,
  ExpiryRunResult,
} from '../expiry/ExpiryCheck';
export type {
  ExpiryCheckSettings,
  ExpirySettingKey,
} from '../expiry/ExpirySettings';
export type { EmailDelivery, EmailSender } from '../expiry/EmailSender';
