/** Splits `items` into consecutive pieces of at most `size` items. */
export function chunks<T>(items: T[], size: number): T[][] {
  const result = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}
