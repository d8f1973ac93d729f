import { TestDatabases } from '@backstage/backend-test-utils';
import { CreatedApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { KeyObject } from 'node:crypto';
import { Knex, knex as createKnex } from 'knex';
import request from 'supertest';
import {
  ALICE,
  ApiTokensTestBackend,
  BASE,
  FullStackBackend,
  headers,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';
import { RecordingNotificationService } from './__testUtils__/expiryFixtures';
import {
  githubKeyPair,
  githubReport,
  githubSignature,
  leakReportsConfig,
  postLeakReport,
  waitFor,
} from './__testUtils__/leakReports';
import { SmtpTestServer } from './__testUtils__/SmtpTestServer';

/**
 * A leak report on the deployments it must work on: two replicas sharing
 * one PostgreSQL database, and the whole stack, where every plugin refuses
 * the leaked token and what was exchanged for it.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const OPS = 'ops@example.com';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

const postgresIds = databases
  .eachSupportedId()
  .filter(([id]) => id.startsWith('POSTGRES'));

// Replicas need a database that two processes share: PostgreSQL only.
const describeOnPostgres =
  postgresIds.length > 0
    ? describe.each(postgresIds)
    : describe.skip.each([['POSTGRES_15' as const]]);

describeOnPostgres('a leak report on two replicas on %s', databaseId => {
  let knexA: Knex;
  let knexB: Knex;
  let smtp: SmtpTestServer;
  let replicaA: ApiTokensTestBackend;
  let replicaB: ApiTokensTestBackend;
  let privateKey: KeyObject;
  const notifications = new RecordingNotificationService();

  beforeAll(async () => {
    const keys = githubKeyPair();
    privateKey = keys.privateKey;
    knexA = await databases.init(databaseId);
    knexB = createKnex(knexA.client.config);
    smtp = await SmtpTestServer.start();
    const config = {
      apiTokens: {
        leakReports: leakReportsConfig(keys.publicPem),
        notifications: {
          email: {
            from: 'Backstage <backstage@example.com>',
            smtp: { host: '127.0.0.1', port: smtp.port },
          },
        },
      },
    };
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
    await request(replicaA.url)
      .put(`${BASE}/v1/settings/UserTokenExpirationNotificationEmails`)
      .set(headers.user(ALICE))
      .send({ type: 'app-config', value: OPS })
      .expect(200);
  });

  afterAll(async () => {
    await replicaA?.stop();
    await replicaB?.stop();
    await knexB?.destroy();
    await smtp?.close();
  });

  it('revokes once, with one fault, one notice and one email, when the same report reaches both at once', async () => {
    const created = await request(replicaA.url)
      .post(`${BASE}/v1/users/bob/tokens`)
      .set(headers.user(ALICE))
      .send({ name: 'twice-reported' })
      .expect(201);
    const { token, secret } = created.body as CreatedApiToken;
    const body = githubReport([secret]);
    const signature = githubSignature(body, privateKey);

    const answers = await Promise.all(
      [replicaA, replicaB, replicaA, replicaB].map(replica =>
        postLeakReport(replica.url, body, signature),
      ),
    );

    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body[0].label).toBe('true_positive');
    }
    const emails = () =>
      smtp
        .receivedBy(OPS)
        .filter(email => email.text.includes('"twice-reported"'));
    await waitFor(() => emails().length > 0);
    await sleep(1_000);
    expect(emails()).toHaveLength(1);
    const faults = await knexA('api_token_faults').where({
      token_id: token.id,
      kind: 'leaked',
    });
    expect(faults).toHaveLength(1);
    expect(
      notifications.sent.filter(
        notice => notice.payload.scope === `api-token-leak:${token.id}`,
      ),
    ).toHaveLength(1);
  });
});

describe('a leak report on the whole stack', () => {
  let stack: FullStackBackend;
  let admin: string;
  let privateKey: KeyObject;

  beforeAll(async () => {
    const keys = githubKeyPair();
    privateKey = keys.privateKey;
    stack = await startApiTokensBackend({
      stack: 'full',
      knex: await databases.init('SQLITE_3'),
      config: { apiTokens: { leakReports: leakReportsConfig(keys.publicPem) } },
    });
    admin = await stack.signIn('alice');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Two plugins that authenticate, as the token's owner would call them. */
  const uses = (token: string) =>
    Promise.all(
      ['/api/whoami', '/api/catalog/entities/by-name/user/default/bob'].map(
        path =>
          request(stack.url).get(path).set('Authorization', `Bearer ${token}`),
      ),
    );

  async function issueForBob(name: string): Promise<CreatedApiToken> {
    const created = await request(stack.url)
      .post(`${BASE}/v1/users/bob/tokens`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ name })
      .expect(201);
    return created.body;
  }

  async function report(secrets: string[]): Promise<number> {
    const body = githubReport(secrets);
    // No user credentials: the signature is the authentication.
    const response = await postLeakReport(
      stack.url,
      body,
      githubSignature(body, privateKey),
    );
    expect(response.status).toBe(200);
    for (const verdict of response.body) {
      expect(verdict.label).toBe('true_positive');
    }
    return Date.now();
  }

  it('refuses a reported token on every plugin from the next request', async () => {
    const { secret } = await issueForBob('found-in-public');

    await report([secret]);

    for (const response of await uses(secret)) {
      expect(response.status).toBe(401);
    }
  });

  it('refuses a reported token that was in use, and the token exchanged for it, on every plugin from the next request', async () => {
    const { secret } = await issueForBob('in-use');
    const exchange = await request(stack.url)
      .post('/api/auth/api-token/refresh')
      .set('Authorization', `Bearer ${secret}`)
      .expect(200);
    const exchanged: string = exchange.body.backstageIdentity.token;
    for (const response of [
      ...(await uses(secret)),
      ...(await uses(exchanged)),
    ]) {
      expect(response.status).toBe(200);
    }

    await report([secret]);

    // The cached exchange and state are dropped in this backend at once;
    // other replicas trust theirs for at most apiTokens.cache.ttl.
    for (const response of [
      ...(await uses(secret)),
      ...(await uses(exchanged)),
    ]) {
      expect(response.status).toBe(401);
    }
  });

  it('refuses an unsigned report, though the route needs no user credentials', async () => {
    const response = await postLeakReport(stack.url, '[]', {});
    expect(response.status).toBe(401);
    expect(response.body.error.message).toMatch(/must be signed/);
  });
});
