import {
  AuthenticationError,
  ServiceUnavailableError,
} from '@backstage/errors';

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

/**
 * Throws for a failed answer to an API token call: an `AuthenticationError`
 * with the server's message on 401, since the token is the problem, and a
 * `ServiceUnavailableError` on anything else, since the portal is.
 *
 * @param unavailable - how the failure starts, e.g. "API token exchange is
 *   unavailable: the auth backend"
 */
export async function throwIfFailed(
  response: Response,
  unavailable: string,
): Promise<void> {
  if (response.status === 401) {
    throw new AuthenticationError(
      (await readErrorMessage(response)) ?? 'Invalid API token',
    );
  }
  if (!response.ok) {
    const message = await readErrorMessage(response);
    throw new ServiceUnavailableError(
      `${unavailable} answered ${response.status}${
        message ? `, ${message}` : ''
      }`,
    );
  }
}
