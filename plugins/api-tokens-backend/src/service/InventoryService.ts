import { InputError } from '@backstage/errors';
import {
  ApiTokenKind,
  ApiTokenState,
  apiTokensReadPermission,
  DAY_MS,
  parseUserRef,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { DateTime } from 'luxon';
import { ApiTokensStore } from '../database/ApiTokensStore';
import {
  InventoryQuery,
  InventorySortKey,
  InventorySummary,
  TokenInventory,
} from '../database/TokenInventory';
import { Authorizer } from './Authorizer';
import { Caller } from './Caller';
import { DEFAULT_PAGE_SIZE, ListedApiTokenPage } from './TokenService';

/** The window of the summary's "expiring soon" and "recently revoked". */
export const INVENTORY_SUMMARY_WINDOW_DAYS = 30;

/** The inventory filters, sort and page as the query string gives them. */
export interface InventoryRequest {
  state?: ApiTokenState[];
  kind?: ApiTokenKind;
  ownerRef?: string;
  createdBy?: string;
  q?: string;
  expiresBefore?: string;
  expiresAfter?: string;
  unusedSince?: string;
  neverUsed?: boolean;
  revokedSince?: string;
  sort?: InventorySortKey;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

/** The summary counts and the window they were taken over. */
export interface InventorySummaryResult extends InventorySummary {
  windowDays: number;
}

/** @internal */
export interface InventoryServiceOptions {
  inventory: TokenInventory;
  /** Where admins' listings read the clients that used each token last. */
  clients: Pick<ApiTokensStore, 'listRecentClients'>;
  authorizer: Authorizer;
  now?: () => Date;
}

/** An ISO 8601 date or date-time query parameter, UTC unless it has an offset. */
function parseTime(value: string | undefined, parameter: string) {
  if (value === undefined) {
    return undefined;
  }
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  if (!parsed.isValid) {
    throw new InputError(
      `${parameter} must be an ISO 8601 date or date-time, e.g. 2027-01-31 or 2027-01-31T12:00:00Z`,
    );
  }
  return parsed.toJSDate();
}

/**
 * The credentials inventory: every token of the organisation, for admins
 * (permission `api-tokens.token.read`), and a user's own tokens, for that
 * user. Requests made with an API token are refused, as on every
 * token-management route.
 */
export class InventoryService {
  private readonly now: () => Date;

  constructor(private readonly options: InventoryServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * A page of tokens. Without the read permission, the caller may only
   * list their own (`ownerRef` set to themself). Listings of others' tokens
   * show the clients that used each token last.
   */
  async list(
    caller: Caller,
    request: InventoryRequest,
  ): Promise<ListedApiTokenPage> {
    const ownerRef =
      request.ownerRef === undefined
        ? undefined
        : parseUserRef(request.ownerRef, 'ownerRef');
    const userRef = this.options.authorizer.requireSignedInUser(caller);
    if (ownerRef !== userRef) {
      await this.options.authorizer.requirePermission(
        caller,
        apiTokensReadPermission,
      );
    }
    const sort = request.sort ?? 'createdAt';
    const query: InventoryQuery = {
      now: this.now(),
      states: request.state,
      kind: request.kind,
      ownerRef,
      createdBy:
        request.createdBy === undefined
          ? undefined
          : parseUserRef(request.createdBy, 'createdBy'),
      nameContains: request.q?.trim() || undefined,
      expiresBefore: parseTime(request.expiresBefore, 'expiresBefore'),
      expiresAfter: parseTime(request.expiresAfter, 'expiresAfter'),
      unusedSince: parseTime(request.unusedSince, 'unusedSince'),
      neverUsed: request.neverUsed,
      revokedSince: parseTime(request.revokedSince, 'revokedSince'),
      sort,
      // Newest first; names A to Z.
      order: request.order ?? (sort === 'name' ? 'asc' : 'desc'),
      limit: request.limit ?? DEFAULT_PAGE_SIZE,
      cursor: request.cursor,
    };
    const page = await this.options.inventory.listInventory(query);
    if (ownerRef === userRef) {
      return page;
    }
    const clients = await this.options.clients.listRecentClients(
      page.items.map(token => token.id),
    );
    return {
      ...page,
      items: page.items.map(token => ({
        ...token,
        recentClients: clients.get(token.id) ?? [],
      })),
    };
  }

  /** The counts at the top of the inventory page (admins). */
  async summarize(caller: Caller): Promise<InventorySummaryResult> {
    await this.options.authorizer.requirePermission(
      caller,
      apiTokensReadPermission,
    );
    const now = this.now();
    const window = INVENTORY_SUMMARY_WINDOW_DAYS * DAY_MS;
    const summary = await this.options.inventory.summarizeInventory({
      now,
      expiringBefore: new Date(now.getTime() + window),
      revokedSince: new Date(now.getTime() - window),
    });
    return { ...summary, windowDays: INVENTORY_SUMMARY_WINDOW_DAYS };
  }
}
