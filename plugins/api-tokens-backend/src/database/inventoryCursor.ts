import { InputError } from '@backstage/errors';
import { InventorySortKey } from './TokenInventory';

/**
 * Where an inventory page ended: the sort it was read in, and the sort key
 * of its last row (the column's value, epoch milliseconds for times, null
 * for a token never used; and the id). Opaque to clients.
 *
 * @alpha
 */
export interface InventoryPosition {
  sort: InventorySortKey;
  order: 'asc' | 'desc';
  value: number | string | null;
  id: string;
}

const ID = /^[0-9a-f-]{36}$/;

/**
 * The opaque cursor of an inventory page position, as `nextCursor` returns
 * it.
 *
 * @alpha
 */
export function encodeInventoryCursor(position: InventoryPosition): string {
  const { sort, order, value, id } = position;
  return Buffer.from(JSON.stringify([sort, order, value, id]), 'utf8').toString(
    'base64url',
  );
}

/**
 * The position of a cursor, which must come from a page of the same sort
 * and order: a position in another order would skip or repeat tokens.
 */
export function decodeInventoryCursor(
  cursor: string,
  expected: { sort: InventorySortKey; order: 'asc' | 'desc' },
): InventoryPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 4 ||
    typeof decoded[3] !== 'string' ||
    !ID.test(decoded[3])
  ) {
    throw new InputError('cursor is not one this API returned');
  }
  const [sort, order, value, id] = decoded;
  if (sort !== expected.sort || order !== expected.order) {
    throw new InputError(
      `cursor is from a list sorted by ${String(sort)} ${String(order)}, not ${
        expected.sort
      } ${expected.order}; start again without a cursor`,
    );
  }
  const valueType = expected.sort === 'name' ? 'string' : 'number';
  const nullable = expected.sort === 'lastUsedAt';
  if (!(typeof value === valueType || (nullable && value === null))) {
    throw new InputError('cursor is not one this API returned');
  }
  return { sort, order, value, id };
}
