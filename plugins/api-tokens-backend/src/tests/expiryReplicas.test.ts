import { TestDatabases } from '@backstage/backend-test-utils';
import { ExpiryCheckResult } from '@nholuongut/backstage-plugin-api-tokens-common';
import { Knex, knex as createKnex } from 'knex';
import request from 'supertest';
import {
  ALICE as ADMIN,
  ApiTokensTestBackend,
  headers,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';
import {
  DAY,
  ExpiryTestDatabase,
  RecordingNotificationService,
} from './__testUtils__/expiryFixtures';
import { SmtpTestServer } from './__testUtils__/SmtpTestServer';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const TASK_ID = 'api-tokens-expiry-check';
const OPS = 'ops@example.com';
const SECURITY = 'security@example.com';

function emailConfig(port: number) {
  return {
    notifications: {
      email: {
        from: 'Backstage <backstage@example.com>',
        smtp: { host: '127.0.0.1', port },
      },
    },
  };
}

async function runCheck(
  backend: ApiTokensTestBackend,
): Promise<ExpiryCheckResult> {
  const response = await request(backend.url)
    .post('/api/api-tokens/v1/expiry-check')
    .set(headers.user(ADMIN));
  expect(response.status).toBe(200);
  return response.body;
}

const postgresIds = databases
  .eachSupportedId()
  .filter(([id]) => id.startsWith('POSTGRES'));

// Replicas need a database that two processes share: PostgreSQL only.
const describeOnPostgres =
  postgresIds.length > 0
    ? describe.each(postgresIds)
    : describe.skip.each([['POSTGRES_15' as const]]);

describeOnPostgres('two replicas on %s', databaseId => {
  let knexA: Knex;
  let knexB: Knex;
  let db: ExpiryTestDatabase;
  let smtp: SmtpTestServer;
  let replicaA: ApiTokensTestBackend;
  let replicaB: ApiTokensTestBackend;
  const notifications = new RecordingNotificationService();

  beforeAll(async () => {
    knexA = await databases.init(databaseId);
    // The second replica has its own connection pool to the same database.
    knexB = createKnex(knexA.client.config);
    smtp = await SmtpTestServer.start();
    const config = {
      apiTokens: {
        ...emailConfig(smtp.port),
        expiryCheck: { frequency: { minutes: 30 } },
      },
    };
    // One after the other, as a rolling deploy would: both migrate.
    replicaA = await startApiTokensBackend({
      knex: knexA,
      config,
      notifications,
    });
    replicaB = await startApiTokensBackend({
      knex: knexB,
      config,
      notifications,
    });
    db = await ExpiryTestDatabase.create(knexA);
    await request(replicaA.url)
      .put('/api/api-tokens/v1/settings/UserTokenExpirationNotificationEmails')
      .set(headers.user(ADMIN))
      .send({ type: 'app-config', value: `${OPS};${SECURITY}` })
      .expect(200);
  });

  afterAll(async () => {
    await replicaA?.stop();
    await replicaB?.stop();
    await knexB?.destroy();
    await smtp?.close();
  });

  it('schedules the check as one global task on every replica', () => {
    for (const replica of [replicaA, replicaB]) {
      expect(replica.scheduler.scheduled).toEqual([
        expect.objectContaining({
          id: TASK_ID,
          scope: 'global',
          frequency: { minutes: 30 },
        }),
      ]);
    }
  });

  it('raises one fault and sends one email per address when both replicas run the check at once', async () => {
    const token = await db.createToken({
      name: 'replicated',
      expiresAt: new Date(Date.now() + 10 * DAY),
    });

    const results = await Promise.all([
      runCheck(replicaA),
      runCheck(replicaB),
      runCheck(replicaA),
      runCheck(replicaB),
    ]);

    const raised = results.flatMap(result => result.raised);
    expect(raised).toEqual([
      expect.objectContaining({ tokenId: token.id, thresholdDays: 15 }),
    ]);
    expect(results.flatMap(result => result.emailedTo).sort()).toEqual([
      OPS,
      SECURITY,
    ]);
    expect(results.flatMap(result => result.emailFailures)).toEqual([]);
    expect(
      await knexA('api_token_faults').where({ token_id: token.id }),
    ).toHaveLength(1);
    expect(smtp.receivedBy(OPS)).toHaveLength(1);
    expect(smtp.receivedBy(SECURITY)).toHaveLength(1);
    expect(
      notifications.sent.filter(
        n => n.payload.scope === `api-token-expiry:${token.id}`,
      ),
    ).toHaveLength(1);
  });

  it('raises one fault and sends one email per address when the scheduled task fires on both replicas', async () => {
    const before = smtp.received.length;
    const token = await db.createToken({
      name: 'scheduled',
      expiresAt: new Date(Date.now() + 5 * DAY),
    });

    await Promise.all([
      replicaA.scheduler.triggerTask(TASK_ID),
      replicaB.scheduler.triggerTask(TASK_ID),
    ]);

    expect(
      await knexA('api_token_faults').where({ token_id: token.id }),
    ).toHaveLength(1);
    const received = smtp.received.slice(before);
    expect(received.flatMap(email => email.to).sort()).toEqual([OPS, SECURITY]);
    for (const email of received) {
      expect(email.text).toContain('"scheduled" of user:default/alice');
    }
  });
});

describe.each(databases.eachSupportedId())(
  'without a notifications backend on %s',
  databaseId => {
    let smtp: SmtpTestServer;
    let backend: ApiTokensTestBackend;
    let db: ExpiryTestDatabase;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      smtp = await SmtpTestServer.start();
      // No `notifications` option: the plugin gets the default
      // notification service, and no notifications plugin is installed.
      backend = await startApiTokensBackend({
        knex,
        config: {
          apiTokens: {
            ...emailConfig(smtp.port),
            notifications: {
              ...emailConfig(smtp.port).notifications,
              defaultEmails: `${OPS};${SECURITY}`,
            },
          },
        },
      });
      db = await ExpiryTestDatabase.create(knex);
    });

    afterAll(async () => {
      await backend?.stop();
      await smtp?.close();
    });

    it('schedules the check hourly by default, as a global task', () => {
      expect(backend.scheduler.scheduled).toEqual([
        expect.objectContaining({
          id: TASK_ID,
          scope: 'global',
          frequency: { hours: 1 },
        }),
      ]);
    });

    it('still raises and emails the fault, and logs that notifying failed', async () => {
      const token = await db.createToken({
        name: 'lonely',
        expiresAt: new Date(Date.now() + 3 * DAY),
      });

      const result = await runCheck(backend);

      expect(result.raised).toEqual([
        expect.objectContaining({ tokenId: token.id }),
      ]);
      expect(result.emailedTo.sort()).toEqual([OPS, SECURITY]);
      expect(smtp.receivedBy(OPS)).toHaveLength(1);
      expect(smtp.receivedBy(SECURITY)).toHaveLength(1);
      expect(backend.logs).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          message: expect.stringMatching(
            /Could not notify token owners.*Failed to send notifications.*404/,
          ),
        }),
      );
    });

    it('completes the scheduled task too', async () => {
      const token = await db.createToken({
        expiresAt: new Date(Date.now() + 2 * DAY),
      });

      await backend.scheduler.triggerTask(TASK_ID);

      const faults = await db.faults.listFaults({ limit: 10 });
      expect(faults.items.map(fault => fault.tokenId)).toContain(token.id);
      expect(backend.logs).toContainEqual(
        expect.objectContaining({
          level: 'info',
          message: expect.stringMatching(/^Expiry check: 1 faults raised/),
        }),
      );
    });
  },
);
