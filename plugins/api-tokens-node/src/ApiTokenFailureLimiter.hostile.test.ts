import { generateApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { startProbeBackend } from './__testUtils__/startProbeBackend';

/**
 * The failure limiter on the root HTTP router, as `packages/backend`
 * installs it, against a client that writes `X-Forwarded-For` itself. The
 * test connects from loopback: with `trustProxy: 1` that connection plays
 * the one proxy in front of the backend, which appends the address it sees
 * to whatever the client sent.
 */

const DEFAULT_MAX_FAILURES = 30;
const BEHIND_ONE_PROXY = { apiTokens: { failureLimit: { trustProxy: 1 } } };

/** A different address for each `i`, as a spoofing client would send. */
const spoofed = (i: number) => `198.18.${i >> 8}.${i & 255}`;

async function startBackend(config: JsonObject) {
  const backend = await startProbeBackend({
    apiTokensRootHttpRouter: true,
    config,
  });
  backend.refreshRoute.answer = { status: 401, message: 'Invalid API token' };
  return {
    ...backend,
    /** A request with a fresh token, `X-Forwarded-For` as given. */
    whoami(forwardedFor?: string) {
      const req = request(backend.server)
        .get('/api/probe-a/whoami')
        .set('Authorization', `Bearer ${generateApiToken()}`);
      return forwardedFor ? req.set('X-Forwarded-For', forwardedFor) : req;
    },
  };
}

/** The statuses of `count` requests sent one after the other. */
async function statusesOf(
  count: number,
  send: (i: number) => PromiseLike<{ status: number }>,
) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    statuses.push((await send(i)).status);
  }
  return statuses;
}

const cutAtTheLimit = (total: number) => [
  ...Array(DEFAULT_MAX_FAILURES).fill(401),
  ...Array(total - DEFAULT_MAX_FAILURES).fill(429),
];

describe('the failure limiter against spoofed addresses', () => {
  it('limits a client that names a new address in X-Forwarded-For each time, with no proxy trusted', async () => {
    const backend = await startBackend({});

    const statuses = await statusesOf(40, i => backend.whoami(spoofed(i)));

    expect(statuses).toEqual(cutAtTheLimit(40));
  });

  it('limits the client the trusted proxy reports, whatever it wrote itself', async () => {
    const backend = await startBackend(BEHIND_ONE_PROXY);

    const statuses = await statusesOf(40, i =>
      backend.whoami(`${spoofed(i)}, 203.0.113.20`),
    );

    expect(statuses).toEqual(cutAtTheLimit(40));
  });

  it('does not lock out an address that another client names', async () => {
    const backend = await startBackend(BEHIND_ONE_PROXY);

    const statuses = await statusesOf(40, () =>
      backend.whoami('203.0.113.7, 203.0.113.21'),
    );
    expect(statuses).toEqual(cutAtTheLimit(40));

    backend.refreshRoute.answer = 'accept';
    expect((await backend.whoami('203.0.113.7')).status).toBe(200);
    expect((await backend.whoami('203.0.113.21')).status).toBe(429);
  });

  it.each([
    ['behind a trusted proxy', BEHIND_ONE_PROXY],
    ['with no proxy trusted', {}],
  ])(
    'limits X-Forwarded-For: 127.0.0.1 like any address, %s',
    async (_case, config) => {
      const backend = await startBackend(config);

      const statuses = await statusesOf(40, () => backend.whoami('127.0.0.1'));

      expect(statuses).toEqual(cutAtTheLimit(40));
    },
  );

  it('cuts a burst of 200 bad tokens sent at once at the limit, and keeps serving other addresses', async () => {
    const backend = await startBackend(BEHIND_ONE_PROXY);
    // Each exchange takes a while, so that the whole burst is in flight
    // before the first failure is known.
    backend.refreshRoute.delayMs = 50;

    const responses = await Promise.all(
      Array.from({ length: 200 }, () => backend.whoami('203.0.113.50')),
    );

    const count = (status: number) =>
      responses.filter(response => response.status === status).length;
    expect(count(401)).toBe(DEFAULT_MAX_FAILURES);
    expect(count(429)).toBe(200 - DEFAULT_MAX_FAILURES);
    // The backend's own exchanges, which serve every address, were not
    // counted against its address.
    backend.refreshRoute.answer = 'accept';
    expect((await backend.whoami('198.51.100.30')).status).toBe(200);
  });
});
