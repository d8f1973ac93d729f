/**
 * The message of a Backstage error body (`{ error: { name, message } }`), or
 * undefined when the body has none. Unlike `ResponseError.fromResponse` it
 * does not need the `response` part of the body, so a route that answers with
 * only `{ error }` still has its message passed through.
 */
export async function readErrorMessage(
  response: Response,
): Promise<string | undefined> {
  try {
    const body: unknown = await response.json();
    if (typeof body !== 'object' || body === null || !('error' in body)) {
      return undefined;
    }
    const error: unknown = body.error;
    if (
      typeof error === 'object' &&
      error !== null &&
      'message' in error &&
      typeof error.message === 'string' &&
      error.message
    ) {
      return error.message;
    }
  } catch {
    // Not JSON: the caller falls back to its own message.
  }
  return undefined;
}
