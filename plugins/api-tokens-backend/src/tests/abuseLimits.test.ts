import { TestDatabases } from '@backstage/backend-test-utils';
import {
  CreatedApiToken,
  generateApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import request from 'supertest';
import {
  FullStackBackend,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';

/**
 * The abuse limits on a backend installed like `packages/backend`: the
 * failure limiter on the root HTTP router (rootHttpRouterServiceFactory),
 * and the request body limits of the plugin's routes.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const WINDOW_MS = 2_000;
const MAX_FAILURES = 3;
const GUESSER = '203.0.113.7';
const CI_RUNNER = '203.0.113.8';

describe('abuse limits', () => {
  let stack: FullStackBackend;
  let admin: string;
  let bobsToken: CreatedApiToken;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    stack = await startApiTokensBackend({
      stack: 'full',
      knex,
      config: {
        apiTokens: {
          failureLimit: {
            maxFailures: MAX_FAILURES,
            window: { milliseconds: WINDOW_MS },
            // The tests are the proxy: each request says where it is from.
            trustProxy: 1,
          },
        },
      },
    });
    admin = await stack.signIn('alice');
    const created = await request(stack.url)
      .post('/api/api-tokens/v1/users/bob/tokens')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'CI' })
      .expect(201);
    bobsToken = created.body;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const whoami = (from: string, token: string) =>
    request(stack.url)
      .get('/api/whoami')
      .set('X-Forwarded-For', from)
      .set('Authorization', `Bearer ${token}`);

  describe('failed API token attempts', () => {
    it('refuses an address that keeps guessing with 429, without affecting other callers, until the window passes', async () => {
      for (let i = 0; i < MAX_FAILURES; i++) {
        const guess = await whoami(GUESSER, generateApiToken());
        expect(guess.status).toBe(401);
      }

      const refused = await whoami(GUESSER, generateApiToken());
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(
        WINDOW_MS / 1000,
      );
      expect(refused.body.error).toEqual({
        name: 'TooManyRequestsError',
        message: expect.stringMatching(
          /^Too many failed API token attempts from this address; try again in \d+ seconds$/,
        ),
      });
      // Even a valid token: the address is refused for API token requests.
      expect((await whoami(GUESSER, bobsToken.secret)).status).toBe(429);
      // Its other requests, with a Backstage user token, go through.
      const signedIn = await whoami(GUESSER, admin);
      expect(signedIn.status).toBe(200);

      // Other addresses are not affected, nor is the backend's own exchange
      // of the token (from its own address) that serves them.
      const ci = await whoami(CI_RUNNER, bobsToken.secret);
      expect(ci.status).toBe(200);
      expect(ci.body.userEntityRef).toBe('user:default/bob');
      const exchanged = await request(stack.url)
        .post('/api/auth/api-token/refresh')
        .set('X-Forwarded-For', CI_RUNNER)
        .set('Authorization', `Bearer ${bobsToken.secret}`);
      expect(exchanged.status).toBe(200);

      await new Promise(resolve => setTimeout(resolve, WINDOW_MS + 100));
      expect((await whoami(GUESSER, bobsToken.secret)).status).toBe(200);
    });

    it('also counts failed exchanges and failures on the api-tokens routes', async () => {
      const from = '203.0.113.9';
      const attempts = [
        request(stack.url).post('/api/auth/api-token/refresh'),
        request(stack.url).get('/api/api-tokens/v1/self'),
        request(stack.url).get(
          '/api/catalog/entities/by-name/user/default/bob',
        ),
      ];
      for (const attempt of attempts) {
        const res = await attempt
          .set('X-Forwarded-For', from)
          .set('Authorization', `Bearer ${generateApiToken()}`);
        expect(res.status).toBe(401);
      }
      const refused = await request(stack.url)
        .get('/api/api-tokens/v1/self')
        .set('X-Forwarded-For', from)
        .set('Authorization', `Bearer ${bobsToken.secret}`);
      expect(refused.status).toBe(429);
    });
  });

  describe('request bodies', () => {
    /** A settings value of about `bytes` bytes: addresses separated by `;`. */
    function addresses(bytes: number): string {
      const parts: string[] = [];
      let length = 0;
      for (let i = 0; length < bytes - 64; i++) {
        const address = `someone.${i}@example.com`;
        parts.push(address);
        length += address.length + 1;
      }
      return parts.join(';');
    }

    const putEmails = (value: string) =>
      request(stack.url)
        .put(
          '/api/api-tokens/v1/settings/UserTokenExpirationNotificationEmails',
        )
        .set('Authorization', `Bearer ${admin}`)
        .send({ type: 'app-config', value });

    it('accepts a body up to 64 kB', async () => {
      const res = await putEmails(addresses(60 * 1024));
      expect(res.status).toBe(200);
    });

    it('refuses a body over 64 kB with 413 and a message that says the limit', async () => {
      const res = await putEmails(addresses(65 * 1024));
      expect(res.status).toBe(413);
      expect(res.body.error).toEqual({
        name: 'PayloadTooLargeError',
        message: 'Request body must be at most 64 kB',
      });
      expect(res.body.response).toEqual({ statusCode: 413 });
    });

    it('refuses a body over 1 kB on the verify route', async () => {
      const res = await request(stack.url)
        .post('/api/api-tokens/internal/verify')
        .set('Authorization', `Bearer ${await stack.pluginToken('auth')}`)
        .send({ token: bobsToken.secret, padding: 'x'.repeat(1024) });
      expect(res.status).toBe(413);
      expect(res.body.error.message).toBe('Request body must be at most 1 kB');
    });

    it('refuses a body that says it is over the limit before reading it', async () => {
      const started = Date.now();
      const res = await request(stack.url)
        .post('/api/api-tokens/v1/users/bob/tokens')
        .set('Authorization', `Bearer ${admin}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(10 * 1024 * 1024) }));
      expect(res.status).toBe(413);
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });
});
