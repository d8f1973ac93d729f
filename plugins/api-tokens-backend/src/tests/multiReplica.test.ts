import { TestDatabases } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import {
  CreatedApiToken,
  generateApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { Knex } from 'knex';
import { randomInt } from 'node:crypto';
import { connect } from 'node:net';
import request from 'supertest';
import { DAY, ExpiryTestDatabase } from './__testUtils__/expiryFixtures';
import { ReplicaProcess } from './__testUtils__/ReplicaProcess';
import { SmtpTestServer } from './__testUtils__/SmtpTestServer';

/**
 * Two backend replicas in child processes of their own, on different ports,
 * sharing one PostgreSQL database and one Redis (`backend.cache.store:
 * redis`), as a production deployment runs them: what one replica does, the
 * other must respect. `./scripts/test.sh` starts both services.
 */

jest.setTimeout(120_000);

const REDIS_URL =
  process.env.API_TOKENS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKENS = '/api/api-tokens/v1';
const OPS = 'ops@example.com';
const SECURITY = 'security@example.com';
const REVOCATIONS = 50;
const MAX_FAILURES = 6;

const databases = TestDatabases.create();
const postgresId = databases
  .eachSupportedId()
  .map(([id]) => id)
  .find(id => id.startsWith('POSTGRES'));

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** What `read` gives once `done` says so, or after a second. */
async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  const until = Date.now() + 1_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) {
      return value;
    }
    await sleep(20);
  }
}

/** Fails with what to do when nothing answers PING at `url`. */
async function requireRedis(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  const answer = await new Promise<string>(resolve => {
    const socket = connect(Number(port || 6379), hostname);
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', error => resolve(String(error)));
    socket.once('data', data => {
      socket.end();
      resolve(String(data).trim());
    });
    socket.write('PING\r\n');
  });
  if (answer !== '+PONG') {
    throw new Error(
      `The multi-replica test needs Redis at ${url} (API_TOKENS_TEST_REDIS_URL), which answered: ${answer}. ./scripts/test.sh starts it.`,
    );
  }
}

/** An address of its own for each use, as the proxy in front reports it. */
function clientAddress(): string {
  return `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** The nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

/** How many of the emails to `address` name the token `name`. */
function mentions(smtp: SmtpTestServer, address: string, name: string) {
  return smtp
    .receivedBy(address)
    .reduce(
      (count, email) => count + email.text.split(`"${name}"`).length - 1,
      0,
    );
}

describe('two backend replicas on one PostgreSQL and one Redis', () => {
  let knex: Knex;
  let smtp: SmtpTestServer;
  let options: { connection: JsonObject; config: JsonObject };
  let replicaA: ReplicaProcess;
  let replicaB: ReplicaProcess;
  let adminA: string;
  let adminB: string;

  beforeAll(async () => {
    if (!postgresId) {
      throw new Error(
        'The multi-replica test needs PostgreSQL: set BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING. ./scripts/test.sh starts it and sets it.',
      );
    }
    await requireRedis(REDIS_URL);
    knex = await databases.init(postgresId);
    smtp = await SmtpTestServer.start();
    options = {
      connection: knex.client.config.connection,
      config: {
        backend: { cache: { store: 'redis', connection: REDIS_URL } },
        apiTokens: {
          // Long enough that only the revocation signal can explain a
          // refusal within a second.
          cache: { ttl: { seconds: 30 } },
          failureLimit: {
            maxFailures: MAX_FAILURES,
            window: { minutes: 1 },
            // The test is the proxy: each request says where it is from.
            trustProxy: 1,
          },
          notifications: {
            email: {
              from: 'Backstage <backstage@example.com>',
              smtp: { host: '127.0.0.1', port: smtp.port },
            },
          },
          expiryCheck: { frequency: { minutes: 30 } },
        },
      },
    };
    // One after the other, as a rolling deploy would: the first creates
    // the tables (knex's migrations table itself is not created safely by
    // two processes at once).
    replicaA = await ReplicaProcess.start(options);
    replicaB = await ReplicaProcess.start(options);
    // Each replica signs its own user tokens (its auth backend keeps its
    // keys apart); API tokens work on both.
    [adminA, adminB] = await Promise.all([
      replicaA.signIn('alice'),
      replicaB.signIn('alice'),
    ]);
  });

  afterAll(async () => {
    await Promise.all([replicaA?.stop(), replicaB?.stop()]);
    await smtp?.close();
  });

  const createForBob = async (name: string) =>
    (
      await request(replicaA.url)
        .post(`${TOKENS}/users/bob/tokens`)
        .set('Authorization', `Bearer ${adminA}`)
        .send({ name })
        .expect(201)
    ).body as CreatedApiToken;

  const whoami = (replica: ReplicaProcess, token: string, from: string) =>
    request(replica.url)
      .get('/api/whoami')
      .set('X-Forwarded-For', from)
      .set('Authorization', `Bearer ${token}`);

  const runCheck = (replica: ReplicaProcess, admin: string) =>
    request(replica.url)
      .post(`${TOKENS}/expiry-check`)
      .set('Authorization', `Bearer ${admin}`);

  it(`refuses a token on replica B within a second of its revocation through replica A (p99 of ${REVOCATIONS})`, async () => {
    const tokens = await Promise.all(
      Array.from({ length: REVOCATIONS }, (_, i) =>
        createForBob(`revoked on A ${i}`),
      ),
    );
    const visibleAfterMs: number[] = [];
    for (const { token, secret } of tokens) {
      const from = clientAddress();
      // B has the token cached, for 30 s.
      expect((await whoami(replicaB, secret, from)).status).toBe(200);
      const revokedAt = Date.now();
      await request(replicaA.url)
        .delete(`${TOKENS}/tokens/${token.id}`)
        .set('Authorization', `Bearer ${adminA}`)
        .expect(204);
      for (;;) {
        const { status } = await whoami(replicaB, secret, from);
        if (status === 401) {
          break;
        }
        expect(status).toBe(200);
        if (Date.now() - revokedAt > 5_000) {
          throw new Error('Replica B did not refuse a revoked token in 5 s');
        }
        await sleep(10);
      }
      visibleAfterMs.push(Date.now() - revokedAt);
    }

    expect(percentile(visibleAfterMs, 99)).toBeLessThan(1_000);
  });

  it('counts the failed attempts on both replicas toward one limit', async () => {
    const { secret } = await createForBob('limited');
    const from = clientAddress();

    for (let i = 0; i < MAX_FAILURES / 2; i++) {
      expect((await whoami(replicaA, generateApiToken(), from)).status).toBe(
        401,
      );
      expect((await whoami(replicaB, generateApiToken(), from)).status).toBe(
        401,
      );
    }

    // Each replica saw half the limit; together they saw all of it, as
    // soon as the last writes to the cache have settled.
    for (const replica of [replicaA, replicaB]) {
      const refused = await eventually(
        () => whoami(replica, secret, from),
        response => response.status !== 200,
      );
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await whoami(replica, secret, clientAddress())).status).toBe(200);
    }
  });

  describe('the expiry check', () => {
    let db: ExpiryTestDatabase;

    beforeAll(async () => {
      db = await ExpiryTestDatabase.create(knex);
      await db.setSetting(
        'UserTokenExpirationNotificationEmails',
        `${OPS};${SECURITY}`,
      );
    });

    /** Exactly one fault per token, and one email per address naming it. */
    async function expectOneFaultAndEmailEach(names: string[]) {
      const faults: Array<{ name: string; faults: number }> = await knex(
        'api_tokens as t',
      )
        .leftJoin('api_token_faults as f', 'f.token_id', 't.id')
        .whereIn('t.name', names)
        .groupBy('t.name')
        .select('t.name as name')
        .count('f.id as faults');
      expect(
        faults.map(row => ({ name: row.name, faults: Number(row.faults) })),
      ).toEqual(
        expect.arrayContaining(names.map(name => ({ name, faults: 1 }))),
      );
      expect(faults).toHaveLength(names.length);
      const emailsNaming = (address: string) =>
        names.map(name => mentions(smtp, address, name));
      expect(emailsNaming(OPS)).toEqual(names.map(() => 1));
      expect(emailsNaming(SECURITY)).toEqual(names.map(() => 1));
    }

    it('raises one fault and sends one email per token and address when both replicas run it at once', async () => {
      const names = Array.from({ length: 100 }, (_, i) => `at once ${i}`);
      for (const name of names) {
        await db.createToken({
          name,
          expiresAt: new Date(Date.now() + 10 * DAY),
        });
      }

      const runs = await Promise.all([
        runCheck(replicaA, adminA),
        runCheck(replicaB, adminB),
        runCheck(replicaA, adminA),
        runCheck(replicaB, adminB),
      ]);

      expect(runs.map(run => run.status)).toEqual([200, 200, 200, 200]);
      await expectOneFaultAndEmailEach(names);
    });

    it('still does, when one replica is killed mid-run and restarted', async () => {
      const names = Array.from({ length: 100 }, (_, i) => `crashed ${i}`);
      for (const name of names) {
        await db.createToken({
          name,
          expiresAt: new Date(Date.now() + 5 * DAY),
        });
      }

      // Replica A raises the faults and queues their emails, then waits on
      // the notifications backend: killed there, it sent no email.
      await replicaA.holdNotifications();
      const runA = runCheck(replicaA, adminA).then(
        () => 'answered',
        () => 'no answer',
      );
      const until = Date.now() + 30_000;
      while ((await replicaA.notificationsReceived()) === 0) {
        if (Date.now() > until) {
          throw new Error('Replica A never got to notifying the owners');
        }
        await sleep(20);
      }
      const runB = runCheck(replicaB, adminB);
      await replicaA.kill();
      await expect(runA).resolves.toBe('no answer');
      expect((await runB).status).toBe(200);

      replicaA = await ReplicaProcess.start(options);
      adminA = await replicaA.signIn('alice');
      const again = await Promise.all([
        runCheck(replicaA, adminA),
        runCheck(replicaB, adminB),
      ]);

      expect(again.map(run => run.status)).toEqual([200, 200]);
      await expectOneFaultAndEmailEach(names);
    });
  });
});
