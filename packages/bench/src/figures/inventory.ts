import {
  DatabaseTokenInventory,
  encodeInventoryCursor,
  InventoryQuery,
} from '@nholuongut/backstage-plugin-api-tokens-backend/testing';
import { BenchDatabase } from '../database/BenchDatabase';
import { BenchResults } from '../results';
import { elapsedMs, median } from '../stats';

const PAGE_SIZE = 100;
const REPEATS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

async function medianMs(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await fn();
  }
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    await fn();
    times.push(elapsedMs(start));
  }
  return median(times);
}

/**
 * `inventory-page-1m-ms`: the page the admin Tokens page opens with (active
 * tokens, soonest expiry first, 100 a page) over every token of the table,
 * through the real `DatabaseTokenInventory`, which pages by keyset on the
 * index of the sort; the slower of the first page and the page in the
 * middle of the active tokens, each the median of 30. Also both pages
 * apart, a page of a search by name (which reads past the rows that do not
 * match), and the summary counts, one query over the whole table.
 */
export async function measureInventory(options: {
  results: BenchResults;
  database: BenchDatabase;
}): Promise<void> {
  const { results, database } = options;
  const inventory = new DatabaseTokenInventory(database.knex);
  const now = new Date();
  const query: InventoryQuery = {
    now,
    states: ['active'],
    sort: 'expiresAt',
    order: 'asc',
    limit: PAGE_SIZE,
  };

  const first = await inventory.listInventory(query);
  if (first.items.length !== PAGE_SIZE || !first.nextCursor) {
    throw new Error(
      `The first inventory page has ${first.items.length} tokens`,
    );
  }
  const active = database
    .knex('api_tokens')
    .whereNull('revoked_at')
    .andWhere('expires_at', '>', now);
  const [{ count }] = await active.clone().count({ count: '*' });
  const middle = await active
    .clone()
    .select('expires_at', 'id')
    .orderBy([
      { column: 'expires_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])
    .offset(Math.floor(Number(count) / 2))
    .first();
  const cursor = encodeInventoryCursor({
    sort: 'expiresAt',
    order: 'asc',
    value: new Date(middle.expires_at).getTime(),
    id: middle.id,
  });
  const deep = await inventory.listInventory({ ...query, cursor });
  if (deep.items.length !== PAGE_SIZE) {
    throw new Error(
      `The middle inventory page has ${deep.items.length} tokens`,
    );
  }

  const firstPageMs = await medianMs(() => inventory.listInventory(query));
  const middlePageMs = await medianMs(() =>
    inventory.listInventory({ ...query, cursor }),
  );
  const searchMs = await medianMs(() =>
    inventory.listInventory({ ...query, nameContains: 'token 12' }),
  );
  const summaryMs = await medianMs(() =>
    inventory.summarizeInventory({
      now,
      expiringBefore: new Date(now.getTime() + 30 * DAY_MS),
      revokedSince: new Date(now.getTime() - 30 * DAY_MS),
    }),
  );

  results.add('inventory-page-1m-ms', Math.max(firstPageMs, middlePageMs));
  results.add('inventory-first-page-1m-ms', firstPageMs);
  results.add('inventory-middle-page-1m-ms', middlePageMs);
  results.add('inventory-search-1m-ms', searchMs);
  results.add('inventory-summary-1m-ms', summaryMs);
}
