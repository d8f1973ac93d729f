import { InputError } from '@backstage/errors';

/**
 * A keyset-paging position: the sort key of the last row of a page. Opaque
 * to clients.
 */
export interface PagePosition {
  time: number;
  id: string;
}

export function encodeCursor(position: PagePosition): string {
  return Buffer.from(`${position.time}:${position.id}`, 'utf8').toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): PagePosition {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,15}):([0-9a-f-]{36})$/.exec(decoded);
  if (!match) {
    throw new InputError('cursor is not one this API returned');
  }
  return { time: Number(match[1]), id: match[2] };
}
