import {
  DatabaseApiTokensStore,
  encodeCursor,
} from '@nholuongut/backstage-plugin-api-tokens-backend/testing';
import { BenchDatabase } from '../database/BenchDatabase';
import { BenchResults } from '../results';
import { elapsedMs, median } from '../stats';

const PAGE_SIZE = 100;
const REPEATS = 30;

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
 * `admin-list-100k-ms`: one page (100, the route's default) of the tokens of
 * a user who owns 100,000 of the table's tokens, through the real store,
 * which pages on the server by keyset. Also a page from the middle of the
 * list, and, as the baseline, the lookup of one token by primary key.
 */
export async function measureAdminList(options: {
  results: BenchResults;
  database: BenchDatabase;
  ownerRef: string;
  ownerTokens: number;
}): Promise<void> {
  const { results, database, ownerRef } = options;
  const store = new DatabaseApiTokensStore(database.knex);

  const first = await store.listTokens({ ownerRef, limit: PAGE_SIZE });
  if (first.items.length !== PAGE_SIZE || !first.nextCursor) {
    throw new Error(`The first page has ${first.items.length} tokens`);
  }
  const middle = await database
    .knex('api_tokens')
    .select('created_at', 'id')
    .where('owner_ref', ownerRef)
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .offset(Math.floor(options.ownerTokens / 2))
    .first();
  const cursor = encodeCursor({
    time: new Date(middle.created_at).getTime(),
    id: middle.id,
  });
  const deep = await store.listTokens({ ownerRef, limit: PAGE_SIZE, cursor });
  if (deep.items.length !== PAGE_SIZE) {
    throw new Error(`The middle page has ${deep.items.length} tokens`);
  }

  const firstPageMs = await medianMs(() =>
    store.listTokens({ ownerRef, limit: PAGE_SIZE }),
  );
  const deepPageMs = await medianMs(() =>
    store.listTokens({ ownerRef, limit: PAGE_SIZE, cursor }),
  );
  const tokenId = first.items[0].id;
  const lookupMs = await medianMs(() => store.getToken(tokenId));

  results.add('admin-list-100k-ms', firstPageMs);
  results.add('admin-list-100k-middle-page-ms', deepPageMs);
  results.add('admin-list-100k-pk-lookup-ms', lookupMs);
  results.add('admin-list-100k-vs-pk-lookup-ratio', firstPageMs / lookupMs);
}
