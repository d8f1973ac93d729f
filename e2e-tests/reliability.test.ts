import { APIRequestContext, expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bearer, createPermanentToken, devToken } from './support/api';
import { BackendProcess } from './support/BackendProcess';
import {
  databasePrefix,
  dropDatabases,
  postgresConfig,
} from './support/postgres';
import { SmtpSink } from './support/SmtpSink';

const ORG = fs.readFileSync(
  path.resolve(__dirname, '../examples/org.yaml'),
  'utf8',
);

async function entitiesStatus(backend: BackendProcess, token: string) {
  const response = await fetch(
    `${backend.baseUrl}/api/catalog/entities?limit=1`,
    { headers: bearer(token) },
  );
  return response.status;
}

/** Creates a token, restarts the backend, and uses the token. */
async function expectTokenToSurviveRestart(
  request: APIRequestContext,
  backend: BackendProcess,
) {
  const alice = await devToken(request, 'alice', backend.baseUrl);
  const created = await createPermanentToken(
    request,
    alice,
    'bob',
    'before restart',
    backend.baseUrl,
  );
  await backend.stop();
  await backend.start();
  expect(await entitiesStatus(backend, created.secret)).toBe(200);
}

test.describe('two replicas on one PostgreSQL database', () => {
  test.describe.configure({ mode: 'serial', timeout: 240_000 });

  const prefix = databasePrefix('replicas');
  const smtp = new SmtpSink();
  let first: BackendProcess;
  let second: BackendProcess;

  test.beforeAll(async () => {
    test.setTimeout(400_000);
    const smtpPort = await smtp.start();
    const config = {
      backend: { database: postgresConfig(prefix) },
      apiTokens: {
        expiryCheck: { frequency: { seconds: 3 } },
        notifications: {
          email: {
            from: 'Backstage <backstage@example.com>',
            smtp: { host: '127.0.0.1', port: smtpPort, secure: false },
          },
        },
      },
    };
    first = new BackendProcess(7201, config);
    second = new BackendProcess(7202, config);
    // One after the other: the first one creates the databases.
    await first.start();
    await second.start();
  });

  test.afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await smtp.stop();
    await dropDatabases(prefix);
  });

  test('a token created on one replica works on the other at once', async ({
    request,
  }) => {
    const alice = await devToken(request, 'alice', first.baseUrl);
    const created = await createPermanentToken(
      request,
      alice,
      'bob',
      'replicated',
      first.baseUrl,
    );
    expect(await entitiesStatus(second, created.secret)).toBe(200);
  });

  test('a revocation on one replica is honoured by the other within 5 seconds', async ({
    request,
  }) => {
    const alice = await devToken(request, 'alice', first.baseUrl);
    const created = await createPermanentToken(
      request,
      alice,
      'bob',
      'revoked elsewhere',
      first.baseUrl,
    );
    expect(await entitiesStatus(second, created.secret)).toBe(200);

    const revoke = await request.delete(
      `${first.baseUrl}/api/api-tokens/v1/tokens/${created.token.id}`,
      { headers: bearer(alice) },
    );
    expect(revoke.status()).toBe(204);
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 5_000) {
      status = await entitiesStatus(second, created.secret);
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(5_000);
  });

  test('the expiry task runs once across replicas', async ({ request }) => {
    const alice = await devToken(request, 'alice', first.baseUrl);
    const emails = 'ops@example.com;security@example.com';
    const put = await request.put(
      `${first.baseUrl}/api/api-tokens/v1/settings/UserTokenExpirationNotificationEmails`,
      { headers: bearer(alice), data: { type: 'app-config', value: emails } },
    );
    expect(put.status()).toBe(200);
    const expiresAt = new Date(Date.now() + 10 * 24 * 3600_000).toISOString();
    const created = await request.post(
      `${second.baseUrl}/api/api-tokens/v1/users/bob/tokens`,
      {
        headers: bearer(alice),
        data: { name: 'expiring on replicas', expiresAt },
      },
    );
    expect(created.status()).toBe(201);

    // Both replicas run the task every 3 seconds, and an admin runs it by
    // hand on both at the same time as well.
    const runOnBoth = () =>
      Promise.all(
        [first, second].map(backend =>
          request.post(`${backend.baseUrl}/api/api-tokens/v1/expiry-check`, {
            headers: bearer(alice),
          }),
        ),
      );
    const received = (address: string) =>
      smtp
        .to(address)
        .filter(m => m.mail.text?.includes('expiring on replicas'));
    await runOnBoth();
    // A scheduled run may hold the emails' lease while the hand runs
    // answer; wait for the delivery, however long a loaded machine takes.
    await expect(() => {
      for (const address of emails.split(';')) {
        expect(received(address).length).toBeGreaterThan(0);
      }
    }).toPass({ timeout: 60_000, intervals: [500] });
    // Runs after the delivery must not send again.
    await runOnBoth();

    for (const address of emails.split(';')) {
      expect(received(address)).toHaveLength(1);
    }
    const faults = await request.get(
      `${second.baseUrl}/api/api-tokens/v1/faults?ownerRef=bob`,
      { headers: bearer(alice) },
    );
    const raised = (await faults.json()).items.filter(
      (fault: { tokenName: string }) =>
        fault.tokenName === 'expiring on replicas',
    );
    expect(raised).toHaveLength(1);
  });

  test('a token survives a restart of the backend that created it', async ({
    request,
  }) => {
    await expectTokenToSurviveRestart(request, first);
  });
});

test.describe('a backend on SQLite files', () => {
  test.describe.configure({ mode: 'serial', timeout: 240_000 });

  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'api-tokens-sqlite-'));
  const orgFile = path.join(folder, 'org.yaml');
  let backend: BackendProcess;

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    fs.writeFileSync(orgFile, ORG);
    backend = new BackendProcess(7203, {
      backend: {
        database: {
          client: 'better-sqlite3',
          connection: { directory: path.join(folder, 'sqlite') },
        },
      },
      catalog: {
        processingInterval: { seconds: 1 },
        locations: [
          {
            type: 'file',
            target: orgFile,
            rules: [{ allow: ['User', 'Group'] }],
          },
        ],
      },
    });
    await backend.start();
  });

  test.afterAll(async () => {
    await backend?.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('a token created before a restart works after it', async ({
    request,
  }) => {
    await expectTokenToSurviveRestart(request, backend);
  });

  test('the tokens of a user removed from the catalog stop working', async ({
    request,
  }) => {
    const alice = await devToken(request, 'alice', backend.baseUrl);
    const created = await createPermanentToken(
      request,
      alice,
      'carol',
      'leaver',
      backend.baseUrl,
    );
    expect(await entitiesStatus(backend, created.secret)).toBe(200);

    const withoutCarol = ORG.split('---')
      .filter(document => !/name: carol\b/.test(document))
      .join('---');
    fs.writeFileSync(orgFile, withoutCarol);

    await expect(async () => {
      const response = await fetch(
        `${backend.baseUrl}/api/catalog/entities?limit=1`,
        { headers: bearer(created.secret) },
      );
      expect(response.status).toBe(401);
      expect((await response.json()).error.message).toContain(
        'not in the catalog',
      );
    }).toPass({ timeout: 60_000, intervals: [1_000] });
  });
});
