import { ConfigReader } from '@backstage/config';
import { generateApiToken } from '@internal/plugin-api-tokens-common';
import express from 'express';
import request from 'supertest';
import { ApiTokenFailureLimiter } from './ApiTokenFailureLimiter';

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

function call(app: express.Express, address: string, token?: string) {
  const req = request(app)
    .get('/api/catalog/entities')
    .set('X-Forwarded-For', address);
  return token ? req.set('Authorization', `Bearer ${token}`) : req;
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
        trustProxy: true,
        allowList: [],
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

  it('never limits the backend itself', async () => {
    const limited = appWith(
      new ApiTokenFailureLimiter({ maxFailures: 1, now: () => time }),
    );
    for (let i = 0; i < 3; i++) {
      const response = await request(limited)
        .get('/api/catalog/entities')
        .set('Authorization', `Bearer ${generateApiToken()}`);
      expect(response.status).toBe(401);
    }
  });

  it('reads its limits from config', async () => {
    const limiter = ApiTokenFailureLimiter.fromConfig(
      new ConfigReader({
        apiTokens: {
          failureLimit: { maxFailures: 1, window: '10m', trustProxy: true },
        },
      }),
    );
    const configured = appWith(limiter);
    // Loopback is allowed by default, so use a forwarded address.
    await call(configured, '203.0.113.9', generateApiToken());
    const refused = await call(configured, '203.0.113.9', validToken);
    expect(refused.status).toBe(429);
    // Longer than the default window of a minute, however long the calls took.
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(60);
    expect(retryAfter).toBeLessThanOrEqual(600);
  });
});
