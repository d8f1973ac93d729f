import {
  AuthenticationError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** One call of a route that answers for an API token. */
export interface ApiTokenRouteCall<T> {
  /**
   * How every failure message starts: what is unavailable and which backend
   * did not answer, e.g. "API token exchange is unavailable: the auth
   * backend".
   */
  unavailable: string;
  /** The request; anything thrown while building it counts as no answer. */
  request(): Promise<{ url: string; init: RequestInit }>;
  timeoutMs: number;
  /** The answer read from the JSON body, or undefined when it is malformed. */
  parse(body: unknown): T | undefined;
  /** Appended to the message about a malformed answer. */
  malformedHint?: string;
}

/**
 * Makes the call and reads its answer. Throws an `AuthenticationError` with
 * the server's message on 401, since the token is the problem, and a
 * `ServiceUnavailableError` on anything else that is not a well-formed
 * answer, since the portal is.
 */
export async function callApiTokenRoute<T>(
  call: ApiTokenRouteCall<T>,
): Promise<T> {
  let response: Response;
  try {
    const { url, init } = await call.request();
    response = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (error) {
    throw new ServiceUnavailableError(
      `${call.unavailable} could not be called`,
      error,
    );
  }

  if (response.status === 401) {
    throw new AuthenticationError(
      (await readErrorMessage(response)) ?? 'Invalid API token',
    );
  }
  if (!response.ok) {
    const message = await readErrorMessage(response);
    throw new ServiceUnavailableError(
      `${call.unavailable} answered ${response.status}${
        message ? `, ${message}` : ''
      }`,
    );
  }

  const answer = call.parse(await response.json().catch(() => undefined));
  if (answer === undefined) {
    throw new ServiceUnavailableError(
      `${call.unavailable} gave a malformed answer${call.malformedHint ?? ''}`,
    );
  }
  return answer;
}

/**
 * The message of a Backstage error body (`{ error: { name, message } }`), or
 * undefined when the body has none. Unlike `ResponseError.fromResponse` it
 * does not need the `response` part of the body, so a route that answers with
 * only `{ error }` still has its message passed through.
 */
async function readErrorMessage(
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
