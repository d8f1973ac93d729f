import {
  ApiTokenKind,
  ApiTokenState,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { ApiTokenList } from './ApiTokensStore';

/**
 * The columns the inventory sorts by.
 *
 * @alpha
 */
export type InventorySortKey =
  | 'createdAt'
  | 'expiresAt'
  | 'lastUsedAt'
  | 'name';

/**
 * Which tokens of the organisation to list, in which order, and which page.
 * Every filter given must hold (several states: any of them).
 *
 * @alpha
 */
export interface InventoryQuery {
  /** The time the states are taken at. */
  now: Date;
  states?: ApiTokenState[];
  kind?: ApiTokenKind;
  ownerRef?: string;
  createdBy?: string;
  /** A case-insensitive substring of the name. */
  nameContains?: string;
  expiresBefore?: Date;
  expiresAfter?: Date;
  /** Never used, or last used before this time. */
  unusedSince?: Date;
  /** Never used at all. */
  neverUsed?: boolean;
  /** Revoked at or after this time. */
  revokedSince?: Date;
  sort: InventorySortKey;
  order: 'asc' | 'desc';
  limit: number;
  /** Where the previous page ended; from `nextCursor` of the same sort. */
  cursor?: string;
}

/**
 * The counts at the top of the inventory page.
 *
 * @alpha
 */
export interface InventorySummary {
  active: number;
  /** Active, and expiring within the window. */
  expiringSoon: number;
  /** Active, and never used. */
  neverUsed: number;
  /** Revoked within the window. */
  recentlyRevoked: number;
}

/**
 * Every token of the organisation, for admins: filtered, sorted and keyset
 * paged, each sort served by an index; and the counts of the inventory page.
 *
 * @alpha
 */
export interface TokenInventory {
  listInventory(query: InventoryQuery): Promise<ApiTokenList>;

  /**
   * The counts at `now`, in one query: tokens expiring before
   * `expiringBefore` and revoked since `revokedSince`.
   */
  summarizeInventory(options: {
    now: Date;
    expiringBefore: Date;
    revokedSince: Date;
  }): Promise<InventorySummary>;
}
