/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectNone"] }] */
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  API_TOKEN_PREFIX,
  CreatedApiToken,
  generateApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { createHash, createHmac } from 'node:crypto';
import { Knex } from 'knex';
import request from 'supertest';
import { deepText, LogLine } from '../__testUtils__/recording';
import {
  FullStackBackend,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';
import { databaseDump } from './__testUtils__/databaseDump';
import { SmtpTestServer } from './__testUtils__/SmtpTestServer';
import { withOneChange } from './__testUtils__/withOneChange';

/**
 * Runs the whole life of API tokens on one backend with everything
 * installed, capturing every log line at every level (auditor events
 * included), every HTTP answer, every email and every database row, and
 * checks that no secret appears in any of them.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const DAY = 24 * 60 * 60 * 1000;
const CACHE_TTL_MS = 1_000;
const OPS = 'ops@example.com';
const SECURITY = 'security@example.com';

/** What an HTTP answer showed. */
interface Answer {
  what: string;
  status: number;
  text: string;
  headers: Record<string, unknown>;
}

describe('log hygiene over the whole lifecycle', () => {
  const pepper = `pepper-${generateApiToken()}`;
  const smtpPassword = `smtp-${generateApiToken()}`;
  let stack: FullStackBackend;
  let smtp: SmtpTestServer;
  const answers: Answer[] = [];
  const consoleLines: unknown[][] = [];
  let permanent: CreatedApiToken;
  let temporary: CreatedApiToken;
  /** The Backstage user token the exchange gave for the permanent token. */
  let exchangedUserToken: string;
  let apiTokensDatabase: string;
  let otherDatabases: string[];
  let stopped = false;
  let knex: Knex;

  /**
   * Calls the backend and keeps the answer for scanning; the answers that
   * are meant to hold a secret (creation, exchange) are not kept.
   */
  async function call(
    what: string,
    options: {
      method?: 'get' | 'post' | 'put' | 'delete';
      path: string;
      token?: string;
      body?: object | string;
      holdsSecret?: boolean;
    },
  ) {
    let test = request(stack.url)[options.method ?? 'get'](options.path);
    if (options.token) {
      test = test.set('Authorization', `Bearer ${options.token}`);
    }
    if (options.body !== undefined) {
      test = test.set('Content-Type', 'application/json').send(options.body);
    }
    const res = await test;
    if (!options.holdsSecret) {
      answers.push({
        what,
        status: res.status,
        text: res.text,
        headers: res.headers,
      });
    }
    return res;
  }

  beforeAll(async () => {
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        consoleLines.push([level, ...args]);
      });
    }
    smtp = await SmtpTestServer.start();
    knex = await databases.init('SQLITE_3');
    stack = await startApiTokensBackend({
      stack: 'full',
      knex,
      config: {
        apiTokens: {
          pepper,
          cache: { ttl: { milliseconds: CACHE_TTL_MS } },
          notifications: {
            defaultDaysBeforeExpiry: 15,
            email: {
              from: 'Backstage <backstage@example.com>',
              smtp: {
                host: '127.0.0.1',
                port: smtp.port,
                username: 'backstage',
                password: smtpPassword,
              },
            },
          },
        },
      },
    });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    if (!stopped) {
      await stack?.stop();
    }
    await smtp?.close();
  });

  // The lifecycle is the first test; the ones after it scan what it left.
  it('runs the whole lifecycle, every step answering as it should', async () => {
    const admin = await stack.signIn('alice');
    const bob = await stack.signIn('bob');

    // Creation: a permanent token for bob by the admin, expiring in 10 days
    // so that the expiry check raises a fault for it; a temporary one.
    const created = await call('create permanent', {
      method: 'post',
      path: '/api/api-tokens/v1/users/bob/tokens',
      token: admin,
      body: {
        name: 'deploys',
        expiresAt: new Date(Date.now() + 10 * DAY).toISOString(),
      },
      holdsSecret: true,
    });
    expect(created.status).toBe(201);
    permanent = created.body;
    const createdTemporary = await call('create temporary', {
      method: 'post',
      path: '/api/api-tokens/v1/tokens/temporary',
      token: bob,
      body: {},
      holdsSecret: true,
    });
    expect(createdTemporary.status).toBe(201);
    temporary = createdTemporary.body;

    // Use, directly on another plugin and on this one.
    for (const secret of [permanent.secret, temporary.secret]) {
      expect(
        (await call('whoami', { path: '/api/whoami', token: secret })).status,
      ).toBe(200);
      expect(
        (await call('self', { path: '/api/api-tokens/v1/self', token: secret }))
          .status,
      ).toBe(200);
      expect(
        (
          await call('manage with a token', {
            path: '/api/api-tokens/v1/tokens',
            token: secret,
          })
        ).status,
      ).toBe(403);
    }

    // Use through the exchange.
    const exchanged = await call('exchange', {
      method: 'post',
      path: '/api/auth/api-token/refresh',
      token: permanent.secret,
      holdsSecret: true,
    });
    expect(exchanged.status).toBe(200);
    exchangedUserToken = exchanged.body.backstageIdentity.token;
    expect(
      (
        await call('whoami exchanged', {
          path: '/api/whoami',
          token: exchangedUserToken,
        })
      ).status,
    ).toBe(200);

    // Bad tokens: unknown, and one character changed.
    for (const bad of [
      generateApiToken(),
      withOneChange(permanent.secret, permanent.secret.length - 1),
      withOneChange(temporary.secret, 10),
    ]) {
      expect(
        (await call('bad token', { path: '/api/whoami', token: bad })).status,
      ).toBe(401);
      expect(
        (
          await call('bad exchange', {
            method: 'post',
            path: '/api/auth/api-token/refresh',
            token: bad,
          })
        ).status,
      ).toBe(401);
    }
    const verifyAs = await stack.pluginToken('auth');
    expect(
      (
        await call('verify', {
          method: 'post',
          path: '/api/api-tokens/internal/verify',
          token: verifyAs,
          body: { token: temporary.secret },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('verify invalid JSON', {
          method: 'post',
          path: '/api/api-tokens/internal/verify',
          token: verifyAs,
          body: `{"token": "${temporary.secret}"`,
        })
      ).status,
    ).toBe(400);

    // The catalog goes down while the token is used, and comes back.
    stack.catalog.failWith = 503;
    await new Promise(resolve => setTimeout(resolve, CACHE_TTL_MS));
    expect(
      (
        await call('whoami, catalog down', {
          path: '/api/whoami',
          token: permanent.secret,
        })
      ).status,
    ).toBe(503);
    stack.catalog.failWith = undefined;

    // Settings.
    for (const [key, value, status] of [
      ['EnableUserTokenNotification', '30;7', 200],
      ['UserTokenExpirationNotificationEmails', `${OPS};${SECURITY}`, 200],
      ['EnableUserTokenNotification', permanent.secret, 400],
    ] as const) {
      expect(
        (
          await call('setting', {
            method: 'put',
            path: `/api/api-tokens/v1/settings/${key}`,
            token: admin,
            body: { type: 'app-config', value },
          })
        ).status,
      ).toBe(status);
    }

    // The expiry check raises faults and emails them over SMTP.
    const check = await call('expiry check', {
      method: 'post',
      path: '/api/api-tokens/v1/expiry-check',
      token: admin,
    });
    expect(check.status).toBe(200);
    // Only the permanent token: temporary ones stay out of the expiry
    // pipeline, though this one expires within a day.
    expect(
      check.body.raised.map((f: { tokenId: string }) => f.tokenId),
    ).toEqual([permanent.token.id]);
    expect(check.body.emailedTo.sort()).toEqual([OPS, SECURITY]);
    expect(
      (
        await call('faults', {
          path: '/api/api-tokens/v1/faults',
          token: admin,
        })
      ).status,
    ).toBe(200);

    // Revocation, and use after it, once the cache has let go.
    expect(
      (
        await call('revoke', {
          method: 'delete',
          path: `/api/api-tokens/v1/tokens/${permanent.token.id}`,
          token: bob,
        })
      ).status,
    ).toBe(204);
    await new Promise(resolve => setTimeout(resolve, CACHE_TTL_MS + 100));
    const afterRevoke = await call('whoami after revocation', {
      path: '/api/whoami',
      token: permanent.secret,
    });
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.error.message).toBe('API token has been revoked');
    expect(
      (
        await call('exchange after revocation', {
          method: 'post',
          path: '/api/auth/api-token/refresh',
          token: permanent.secret,
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await call('expiry check after revocation', {
          method: 'post',
          path: '/api/api-tokens/v1/expiry-check',
          token: admin,
        })
      ).body.resolved,
    ).toBe(1);
    expect(
      (
        await call('list', {
          path: '/api/api-tokens/v1/users/bob/tokens',
          token: admin,
        })
      ).status,
    ).toBe(200);

    apiTokensDatabase = await databaseDump(knex);
    otherDatabases = await Promise.all(
      [...stack.otherDatabases.values()].map(databaseDump),
    );
    await stack.stop();
    stopped = true;
  });

  /** A secret, and what gives it away: its random part and its digests. */
  function telltales(name: string, secret: string): Array<[string, string]> {
    return [
      [name, secret],
      [`${name}, random part`, secret.slice(API_TOKEN_PREFIX.length, -6)],
      [
        `${name}, stored digest`,
        createHmac('sha256', pepper).update(secret).digest('hex'),
      ],
      [`${name}, SHA-256`, createHash('sha256').update(secret).digest('hex')],
      [
        `${name}, cache key`,
        createHash('sha256').update(secret).digest('base64'),
      ],
    ];
  }

  /** Everything that must not appear anywhere but where it belongs. */
  function secrets(): Array<[string, string]> {
    return [
      ...telltales('permanent token', permanent.secret),
      ...telltales('temporary token', temporary.secret),
      // The signature of the user token the exchange gave.
      ['exchanged user token', exchangedUserToken.split('.')[2]],
      ['pepper', pepper],
      ['SMTP password', smtpPassword],
    ];
  }

  function expectNone(where: string, texts: string[]) {
    for (const [name, secret] of secrets()) {
      const found = texts.findIndex(text => text.includes(secret));
      expect({
        where,
        name,
        found: found === -1 ? null : texts[found],
      }).toEqual({ where, name, found: null });
    }
  }

  it('captured a real amount of logging, auditor events and all', () => {
    const levels = new Set(stack.logs.map(line => line.level));
    expect(levels).toContain('info');
    expect(levels).toContain('warn');
    const audit = stack.logs.filter(line => line.fields.isAuditEvent);
    expect(audit.map(line => line.message)).toEqual(
      expect.arrayContaining([
        'api-tokens.token-create',
        'api-tokens.token-revoke',
        'api-tokens.settings-update',
        'api-tokens.fault-raise',
        'api-tokens.email-send',
      ]),
    );
    // The access log of the root router, and the warnings of the outage.
    expect(
      stack.logs.some(line => /"GET \/api\/whoami HTTP/.test(line.message)),
    ).toBe(true);
    expect(
      stack.logs.some(
        line => line.level === 'warn' && line.meta instanceof Error,
      ),
    ).toBe(true);
  });

  it('logs no secret at any level, in no message, field, error or cause', () => {
    expectNone(
      'log lines',
      stack.logs.map((line: LogLine) => deepText(line)),
    );
    expectNone(
      'console',
      consoleLines.map(args => deepText(args)),
    );
  });

  it('shows no secret in any HTTP answer but the one that created it', () => {
    expect(answers.length).toBeGreaterThan(20);
    expectNone(
      'HTTP answers',
      answers.map(answer => JSON.stringify(answer)),
    );
  });

  it('emails no secret', () => {
    expect(smtp.receivedBy(OPS)).toHaveLength(1);
    expect(smtp.receivedBy(SECURITY)).toHaveLength(1);
    expectNone(
      'emails',
      smtp.received.map(email => JSON.stringify(email)),
    );
  });

  it('stores no secret, nor its random part, in any database of the backend', () => {
    // The api-tokens database holds the peppered digest: that is its job.
    expect(apiTokensDatabase).toContain(
      createHmac('sha256', pepper).update(permanent.secret).digest('hex'),
    );
    const stored = [apiTokensDatabase, ...otherDatabases];
    const notStored = secrets().filter(
      ([name]) => !name.endsWith('stored digest'),
    );
    for (const [name, secret] of notStored) {
      const found = stored.some(text => text.includes(secret));
      expect({ name, found }).toEqual({ name, found: false });
    }
  });
});
