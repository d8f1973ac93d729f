import { CacheManager } from '@backstage/backend-defaults/cache';
import { CacheService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { generateApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import express from 'express';
import request from 'supertest';
import { ApiTokenFailureLimiter } from './ApiTokenFailureLimiter';
import {
  currentInternalCallMarker,
  INTERNAL_CALL_HEADER,
} from './apiTokenRequestContext';

const validToken = generateApiToken();

/** An app whose only route accepts `validToken` and answers 401 otherwise. */
function appWith(limiter: ApiTokenFailureLimiter) {
  const app = express();
  app.use(limiter.middleware);
  app.get('/api/catalog/entities', (req, res) => {
    const authorized = req.headers.authorization === `Bearer ${validToken}`;
    res.status(authorized ? 200 : 401).json({});
  });
  return app;
}

/**
 * A request from `address`, as a proxy in front of the backend reports it:
 * supertest connects from loopback, which plays the one trusted proxy.
 */
function call(app: express.Express, address: string, token?: string) {
  const req = request(app)
    .get('/api/catalog/entities')
    .set('X-Forwarded-For', address);
  return token ? req.set('Authorization', `Bearer ${token}`) : req;
}

/** A cache like the one `backend.cache` gives, in memory. */
function sharedCache(): CacheService {
  return CacheManager.fromConfig(new ConfigReader({})).forPlugin('test');
}

describe('ApiTokenFailureLimiter', () => {
  let time: number;
  let app: express.Express;

  beforeEach(() => {
    time = 1_000_000;
    app = appWith(
      new ApiTokenFailureLimiter({
        maxFailures: 3,
        window: 60_000,
        trustProxy: 1,
        now: () => time,
      }),
    );
  });

  it('refuses an address after repeated failures, until the window passes', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await call(app, '203.0.113.7', generateApiToken())).status).toBe(
        401,
      );
    }
    const refused = await call(app, '203.0.113.7', validToken);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.body.error.message).toMatch(/Too many failed API token/);

    time += 30_000;
    expect((await call(app, '203.0.113.7', validToken)).status).toBe(429);
    expect(
      (await call(app, '203.0.113.7', validToken)).headers['retry-after'],
    ).toBe('30');

    time += 30_001;
    expect((await call(app, '203.0.113.7', validToken)).status).toBe(200);
  });

  it('does not affect other callers', async () => {
    for (let i = 0; i < 5; i++) {
      await call(app, '203.0.113.7', generateApiToken());
    }
    expect((await call(app, '203.0.113.7', validToken)).status).toBe(429);
    expect((await call(app, '198.51.100.1', validToken)).status).toBe(200);
    // The same address's requests without an API token are not limited.
    expect((await call(app, '203.0.113.7')).status).toBe(401);
  });

  it('does not count successful requests', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await call(app, '203.0.113.7', validToken)).status).toBe(200);
    }
    await call(app, '203.0.113.7', generateApiToken());
    expect((await call(app, '203.0.113.7', validToken)).status).toBe(200);
  });

  it('counts the addresses of an IPv6 /64 network together', async () => {
    for (let i = 1; i <= 3; i++) {
      await call(app, `2001:db8:1:2::${i}`, generateApiToken());
    }
    expect((await call(app, '2001:db8:1:2:ffff::9', validToken)).status).toBe(
      429,
    );
    expect((await call(app, '2001:db8:1:3::1', validToken)).status).toBe(200);
  });

  it('limits loopback like any other address', async () => {
    const direct = appWith(
      new ApiTokenFailureLimiter({ maxFailures: 1, now: () => time }),
    );
    const send = () =>
      request(direct)
        .get('/api/catalog/entities')
        .set('Authorization', `Bearer ${generateApiToken()}`);
    expect((await send()).status).toBe(401);
    expect((await send()).status).toBe(429);
  });

  it('never limits the addresses configured as exempt', async () => {
    const limited = appWith(
      new ApiTokenFailureLimiter({
        maxFailures: 1,
        trustProxy: 1,
        exempt: ['192.0.2.0/24'],
        now: () => time,
      }),
    );
    for (let i = 0; i < 3; i++) {
      expect(
        (await call(limited, '192.0.2.10', generateApiToken())).status,
      ).toBe(401);
    }
    await call(limited, '192.0.3.10', generateApiToken());
    expect((await call(limited, '192.0.3.10', validToken)).status).toBe(429);
  });

  it('shares the failures between replicas through the cache', async () => {
    const cache = sharedCache();
    const replicas = [1, 2].map(() =>
      appWith(
        new ApiTokenFailureLimiter({
          maxFailures: 4,
          trustProxy: 1,
          cache,
          now: () => time,
        }),
      ),
    );
    for (let i = 0; i < 4; i++) {
      const replica = replicas[i % 2];
      expect(
        (await call(replica, '203.0.113.7', generateApiToken())).status,
      ).toBe(401);
    }
    for (const replica of replicas) {
      expect((await call(replica, '203.0.113.7', validToken)).status).toBe(429);
    }
  });

  it('has requests of one address that arrive together share one read of the cache', async () => {
    const cache = sharedCache();
    let reads = 0;
    // Reads that take a while, as a round trip to Redis does under load.
    const slowReads: CacheService = {
      get: async <T extends JsonValue>(key: string) => {
        reads += 1;
        await new Promise(resolve => setTimeout(resolve, 100));
        return cache.get<T>(key);
      },
      set: (key, value, options) => cache.set(key, value, options),
      delete: key => cache.delete(key),
      withOptions: options => cache.withOptions(options),
    };
    const shared = appWith(
      new ApiTokenFailureLimiter({
        trustProxy: 1,
        cache: slowReads,
        now: () => time,
      }),
    );

    const statuses = await Promise.all(
      Array.from(
        { length: 8 },
        async () => (await call(shared, '203.0.113.9', validToken)).status,
      ),
    );

    expect(statuses).toEqual(Array(8).fill(200));
    expect(reads).toBeLessThan(8);
  });

  it('writes its failures again when another replica replaced them', async () => {
    const cache = sharedCache();
    // Reads that take a while, so that replicas failing at the same moment
    // read the same list and the last write replaces the others.
    const slowReads: CacheService = {
      get: async <T extends JsonValue>(key: string) => {
        const value = await cache.get<T>(key);
        await new Promise(resolve => setTimeout(resolve, 30));
        return value;
      },
      set: (key, value, options) => cache.set(key, value, options),
      delete: key => cache.delete(key),
      withOptions: options => cache.withOptions(options),
    };
    const replicas = [1, 2].map(() =>
      appWith(
        new ApiTokenFailureLimiter({
          maxFailures: 4,
          trustProxy: 1,
          cache: slowReads,
          now: () => time,
        }),
      ),
    );
    for (let i = 0; i < 2; i++) {
      const statuses = await Promise.all(
        replicas.map(
          async replica =>
            (
              await call(replica, '203.0.113.7', generateApiToken())
            ).status,
        ),
      );
      expect(statuses).toEqual([401, 401]);
    }
    await new Promise(resolve => setTimeout(resolve, 300));

    expect(await cache.get('203.0.113.7')).toHaveLength(4);
    for (const replica of replicas) {
      expect((await call(replica, '203.0.113.7', validToken)).status).toBe(429);
    }
  });

  it('counts on its own replica when the cache fails', async () => {
    const failing: CacheService = {
      get: jest.fn().mockRejectedValue(new Error('redis is down')),
      set: jest.fn().mockRejectedValue(new Error('redis is down')),
      delete: jest.fn(),
      withOptions: jest.fn(),
    };
    const logger = mockServices.logger.mock();
    const limited = appWith(
      new ApiTokenFailureLimiter({
        maxFailures: 2,
        trustProxy: 1,
        cache: failing,
        logger,
        now: () => time,
      }),
    );
    for (let i = 0; i < 2; i++) {
      expect(
        (await call(limited, '203.0.113.7', generateApiToken())).status,
      ).toBe(401);
    }
    expect((await call(limited, '203.0.113.7', validToken)).status).toBe(429);
    // Warned once, not once per request.
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  describe('calls the backend makes to itself', () => {
    /**
     * An app whose route, like the token-handler decorator, calls the
     * backend itself with the request's token and the request's marker, and
     * answers what that call answered.
     */
    function appCallingItself(limiter: ApiTokenFailureLimiter) {
      const self = appWith(limiter);
      const whoami = express();
      whoami.use(limiter.middleware);
      whoami.get('/api/whoami', async (req, res) => {
        const inner = await request(self)
          .get('/api/catalog/entities')
          .set('Authorization', req.headers.authorization!)
          .set(INTERNAL_CALL_HEADER, currentInternalCallMarker() ?? '');
        res.status(inner.status).json({});
      });
      return whoami;
    }

    it('neither limits nor counts them', async () => {
      const limiter = new ApiTokenFailureLimiter({
        maxFailures: 2,
        trustProxy: 1,
        now: () => time,
      });
      const whoami = appCallingItself(limiter);
      const send = (address: string, token: string) =>
        request(whoami)
          .get('/api/whoami')
          .set('X-Forwarded-For', address)
          .set('Authorization', `Bearer ${token}`);

      for (let i = 0; i < 2; i++) {
        expect((await send('203.0.113.7', generateApiToken())).status).toBe(
          401,
        );
      }
      expect((await send('203.0.113.7', validToken)).status).toBe(429);
      // The inner calls came from loopback: not counted, so another
      // address's request, and its inner call, go through.
      expect((await send('198.51.100.1', validToken)).status).toBe(200);
    });

    it('limits a call whose marker is not the one of a request in flight', async () => {
      const limited = appWith(
        new ApiTokenFailureLimiter({ maxFailures: 1, now: () => time }),
      );
      const send = (marker: string) =>
        request(limited)
          .get('/api/catalog/entities')
          .set(INTERNAL_CALL_HEADER, marker)
          .set('Authorization', `Bearer ${generateApiToken()}`);
      expect((await send('made-up')).status).toBe(401);
      expect((await send('made-up-too')).status).toBe(429);
    });
  });

  it('reads its limits from config', async () => {
    const limiter = ApiTokenFailureLimiter.fromConfig(
      new ConfigReader({
        apiTokens: {
          failureLimit: {
            maxFailures: 1,
            window: '10m',
            trustProxy: ['loopback'],
          },
        },
      }),
    );
    const configured = appWith(limiter);
    await call(configured, '203.0.113.9', generateApiToken());
    const refused = await call(configured, '203.0.113.9', validToken);
    expect(refused.status).toBe(429);
    // Longer than the default window of a minute, however long the calls took.
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(60);
    expect(retryAfter).toBeLessThanOrEqual(600);
  });

  it.each([
    [
      { trustProxy: true },
      /apiTokens\.failureLimit\.trustProxy: true would trust every hop/,
    ],
    [{ trustProxy: -1 }, /apiTokens\.failureLimit\.trustProxy: .*whole number/],
    [
      { trustProxy: 1.5 },
      /apiTokens\.failureLimit\.trustProxy: .*whole number/,
    ],
    [
      { trustProxy: ['10.0.0.0/8', 'proxy.local'] },
      /apiTokens\.failureLimit\.trustProxy: invalid IP address: proxy\.local/,
    ],
    [
      { trustProxy: { hops: 1 } },
      /apiTokens\.failureLimit\.trustProxy: expected a number of proxy hops/,
    ],
    [
      { exempt: ['10.0.0.0/33'] },
      /apiTokens\.failureLimit\.exempt: invalid range on address: 10\.0\.0\.0\/33/,
    ],
    [{ exempt: '' }, /apiTokens\.failureLimit\.exempt: expected a list/],
    [
      { maxFailures: 0 },
      /apiTokens\.failureLimit\.maxFailures: .*between 1 and 10000/,
    ],
    [{ maxFailures: 'many' }, /apiTokens\.failureLimit\.maxFailures/],
    [
      { window: '0s' },
      /apiTokens\.failureLimit\.window: .*between 1 second and 24 hours/,
    ],
    [{ window: 'soon' }, /apiTokens\.failureLimit\.window/],
  ])('refuses the setting %j, naming the key', (failureLimit, message) => {
    expect(() =>
      ApiTokenFailureLimiter.fromConfig(
        new ConfigReader({ apiTokens: { failureLimit } }),
      ),
    ).toThrow(message);
  });
});
