/**
 * A token with the character at `position` changed to one it does not
 * already hold, so that the result is never the token itself.
 */
export function withOneChange(token: string, position: number): string {
  const changed = token[position] === 'x' ? 'y' : 'x';
  return `${token.slice(0, position)}${changed}${token.slice(position + 1)}`;
}
