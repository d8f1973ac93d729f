import { mockApis } from '@backstage/test-utils';
import { ApiToken } from '@internal/plugin-api-tokens-common';
import { DateTime } from 'luxon';
import { ApiTokensClient } from '../api';
import { makeToken } from './fixtures';

const BASE_URL = 'http://localhost:7007/api/api-tokens';

/** A request the fake backend answered, e.g. `POST /v1/tokens/temporary`. */
export interface FakeRequest {
  method: string;
  path: string;
  userRef: string;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function error(status: number, name: string, message: string): Response {
  return json(
    { error: { name, message }, response: { statusCode: status } },
    status,
  );
}

/**
 * The routes of the API tokens backend that the Settings tab and sign-out
 * use, in memory, behind real `ApiTokensClient`s: as many clients (page
 * loads, tabs) over one browser storage as a test needs.
 */
export class FakeApiTokensBackend {
  readonly requests: FakeRequest[] = [];
  /** Every token and its secret, as the backend's database would hold them. */
  readonly tokens = new Map<string, { token: ApiToken; secret: string }>();
  /** When set, `DELETE /v1/tokens/{id}` answers this instead of revoking. */
  failRevoke?: 'error' | 'hang';

  /** A new client, as a page load of `userRef` in the browser makes it. */
  client(userRef: string, storage?: Storage) {
    return new ApiTokensClient({
      discoveryApi: { getBaseUrl: async () => BASE_URL },
      fetchApi: {
        fetch: (input, init) => this.handle(userRef, String(input), init),
      },
      identityApi: mockApis.identity({ userEntityRef: userRef }),
      ...(storage && { storage }),
    });
  }

  /** How many requests had this method and path. */
  count(method: string, path: string): number {
    return this.requests.filter(r => r.method === method && r.path === path)
      .length;
  }

  private async handle(
    userRef: string,
    url: string,
    init: RequestInit = {},
  ): Promise<Response> {
    const method = init.method ?? 'GET';
    const path = new URL(url).pathname.slice(new URL(BASE_URL).pathname.length);
    this.requests.push({ method, path, userRef });

    if (method === 'POST' && path === '/v1/tokens/temporary') {
      const serial = String(this.tokens.size + 1).padStart(4, '0');
      const id = `temp-${serial}`;
      const secret = `bsat_${'0'.repeat(34)}${serial}`;
      const token = makeToken({
        id,
        name: 'Temporary token',
        kind: 'temporary',
        ownerRef: userRef,
        createdBy: userRef,
        createdAt: DateTime.now().toISO()!,
        expiresAt: DateTime.now().plus({ hours: 8 }).toISO()!,
        hint: secret.slice(-4),
      });
      this.tokens.set(id, { token, secret });
      return json({ token, secret }, 201);
    }
    if (method === 'GET' && path === '/v1/self') {
      const bearer = new Headers(init.headers).get('authorization');
      const found = [...this.tokens.values()].find(
        t => `Bearer ${t.secret}` === bearer,
      );
      if (!found || found.token.state !== 'active') {
        return error(401, 'AuthenticationError', 'Invalid API token');
      }
      return json(found.token);
    }
    if (method === 'GET' && path === '/v1/tokens') {
      const items = [...this.tokens.values()]
        .map(t => t.token)
        .filter(t => t.ownerRef === userRef);
      return json({ items });
    }
    if (method === 'GET' && path === '/v1/tokens/faults') {
      return json({ items: [] });
    }
    const revoked = path.match(/^\/v1\/tokens\/([^/]+)$/);
    if (method === 'DELETE' && revoked) {
      if (this.failRevoke === 'hang') {
        return new Promise(() => {});
      }
      if (this.failRevoke === 'error') {
        return error(503, 'ServiceUnavailableError', 'Try again later');
      }
      const found = this.tokens.get(decodeURIComponent(revoked[1]));
      if (!found || found.token.ownerRef !== userRef) {
        return error(404, 'NotFoundError', 'No such token');
      }
      found.token = {
        ...found.token,
        state: 'revoked',
        revokedAt: DateTime.now().toISO()!,
        revokedBy: userRef,
      };
      return new Response(null, { status: 204 });
    }
    return error(404, 'NotFoundError', `No route ${method} ${path}`);
  }
}
