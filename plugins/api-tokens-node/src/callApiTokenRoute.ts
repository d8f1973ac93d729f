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
  /**
   * The refusal to throw when the route answers 404 with a `NotFoundError`
   * of its own (not the empty 404 of a plugin that is not installed).
   */
  notFound?: string;
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

  if (!response.ok) {
    const { name, message } = await readError(response);
    if (response.status === 401) {
      throw new AuthenticationError(message ?? 'Invalid API token');
    }
    if (
      response.status === 404 &&
      name === 'NotFoundError' &&
      call.notFound !== undefined
    ) {
      throw new AuthenticationError(call.notFound);
    }
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
 * The name and message of a Backstage error body (`{ error: { name,
 * message } }`), each undefined when the body has none. Unlike
 * `ResponseError.fromResponse` it does not need the `response` part of the
 * body, so a route that answers with only `{ error }` still has its message
 * passed through.
 */
async function readError(
  response: Response,
): Promise<{ name?: string; message?: string }> {
  try {
    const body: unknown = await response.json();
    if (typeof body !== 'object' || body === null || !('error' in body)) {
      return {};
    }
    const error: unknown = body.error;
    if (typeof error !== 'object' || error === null) {
      return {};
    }
    const { name, message } = error as Record<string, unknown>;
    return {
      name: typeof name === 'string' ? name : undefined,
      message: typeof message === 'string' && message ? message : undefined,
    };
  } catch {
    // Not JSON: the caller falls back to its own message.
  }
  return {};
}
