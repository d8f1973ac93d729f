import { ResponseError } from '@backstage/errors';

/**
 * The message to show for a failed call: the server's own message when the
 * server sent one ("EnableUserTokenNotification must be whole days…"),
 * rather than the generic "Request failed with 400 Bad Request".
 */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error) && error.cause.message) {
    return error.cause.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}
