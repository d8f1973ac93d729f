import { TestDatabases } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import {
  API_TOKEN_PREFIX,
  apiTokensPermissions,
  CreatedApiToken,
  DAY_MS,
  HOUR_MS,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { Knex } from 'knex';
import { createHash, createHmac } from 'node:crypto';
import request from 'supertest';
import { auditEvents, deepText, LogLine } from './__testUtils__/recording';
import {
  ALICE,
  BASE,
  BOB,
  CAROL,
  headers,
  startApiTokensBackend,
} from './__testUtils__/startApiTokensBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const TEMPORARY_TOO_LONG =
  /apiTokens\.temporaryTokens\.lifetime must be a positive duration of at most 24 hours/;
const PERMANENT_TOO_LONG =
  /apiTokens\.permanentTokens\.maxLifetime must be a positive duration/;

const bobTokens = `${BASE}/v1/users/${encodeURIComponent(BOB)}/tokens`;

async function start(config?: JsonObject) {
  const knex = await databases.init('SQLITE_3');
  const started = await startApiTokensBackend({ knex, config });
  return { ...started, knex };
}

async function createPermanent(url: string, body: object = { name: 'CI' }) {
  return request(url).post(bobTokens).set(headers.user(ALICE)).send(body);
}

async function createTemporary(url: string, as: string = BOB) {
  return request(url)
    .post(`${BASE}/v1/tokens/temporary`)
    .set(headers.user(as))
    .send({});
}

/** Every value in every table of the plugin's database, as text. */
async function databaseText(knex: Knex): Promise<string> {
  const tables: Array<{ name: string }> = await knex('sqlite_master')
    .select('name')
    .where('type', 'table');
  const dump: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    dump[name] = await knex(name).select();
  }
  return JSON.stringify(dump);
}

describe('apiTokensPlugin', () => {
  describe('token lifetimes from config', () => {
    it('gives temporary tokens 8 hours by default and permanent tokens a year', async () => {
      const { url } = await start();
      const temporary = await createTemporary(url);
      expect(temporary.status).toBe(201);
      const { token } = temporary.body as CreatedApiToken;
      expect(Date.parse(token.expiresAt) - Date.parse(token.createdAt)).toBe(
        8 * HOUR_MS,
      );

      const permanent = await createPermanent(url);
      expect(permanent.status).toBe(201);
      const { token: p } = permanent.body as CreatedApiToken;
      expect(Date.parse(p.expiresAt) - Date.parse(p.createdAt)).toBe(
        365 * DAY_MS,
      );

      const limits = await request(url)
        .get(`${BASE}/v1/limits`)
        .set(headers.user(BOB));
      expect(limits.status).toBe(200);
      expect(limits.body.temporaryTokenLifetimeSeconds).toBe(8 * 60 * 60);
    });

    it('gives temporary tokens the configured lifetime', async () => {
      const { url } = await start({
        apiTokens: { temporaryTokens: { lifetime: { hours: 2 } } },
      });
      const { token } = (await createTemporary(url)).body as CreatedApiToken;
      expect(Date.parse(token.expiresAt) - Date.parse(token.createdAt)).toBe(
        2 * HOUR_MS,
      );
    });

    it('accepts a lifetime of exactly 24 hours', async () => {
      const { url } = await start({
        apiTokens: { temporaryTokens: { lifetime: { hours: 24 } } },
      });
      const { token } = (await createTemporary(url)).body as CreatedApiToken;
      expect(Date.parse(token.expiresAt) - Date.parse(token.createdAt)).toBe(
        24 * HOUR_MS,
      );
    });

    it.each([
      [{ temporaryTokens: { lifetime: { hours: 25 } } }, TEMPORARY_TOO_LONG],
      [{ temporaryTokens: { lifetime: { days: 2 } } }, TEMPORARY_TOO_LONG],
      [{ temporaryTokens: { lifetime: { hours: 0 } } }, TEMPORARY_TOO_LONG],
      [{ permanentTokens: { maxLifetime: { days: 366 } } }, PERMANENT_TOO_LONG],
      [{ permanentTokens: { maxLifetime: { years: 2 } } }, PERMANENT_TOO_LONG],
    ])('refuses to start with %j', async (apiTokens, message) => {
      await expect(start({ apiTokens })).rejects.toThrow(message);
    });

    describe('with permanentTokens.maxLifetime lowered to 30 days', () => {
      let url: string;

      beforeAll(async () => {
        ({ url } = await start({
          apiTokens: { permanentTokens: { maxLifetime: { days: 30 } } },
        }));
      });

      it('makes 30 days the default expiry', async () => {
        const { token } = (await createPermanent(url)).body as CreatedApiToken;
        expect(Date.parse(token.expiresAt) - Date.parse(token.createdAt)).toBe(
          30 * DAY_MS,
        );
      });

      it('accepts an earlier expiry and refuses a later one, naming expiresAt', async () => {
        const ok = await createPermanent(url, {
          name: 'x',
          expiresAt: new Date(Date.now() + 29 * DAY_MS).toISOString(),
        });
        expect(ok.status).toBe(201);

        for (const days of [31, 365]) {
          const res = await createPermanent(url, {
            name: 'x',
            expiresAt: new Date(Date.now() + days * DAY_MS).toISOString(),
          });
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(/expiresAt/);
        }
      });

      it('tells the UI the latest expiry it may choose', async () => {
        const before = Date.now();
        const res = await request(url)
          .get(`${BASE}/v1/limits`)
          .set(headers.user(ALICE));
        const latest = Date.parse(res.body.permanentTokenMaxExpiresAt);
        expect(latest).toBeGreaterThanOrEqual(before + 30 * DAY_MS);
        expect(latest).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS);
      });
    });
  });

  describe('the cap on temporary tokens from config', () => {
    it('keeps the configured number of a user’s temporary tokens active', async () => {
      const { knex, url } = await start({
        apiTokens: { temporaryTokens: { maxActivePerUser: 2 } },
      });
      for (let i = 0; i < 4; i++) {
        expect((await createTemporary(url, CAROL)).status).toBe(201);
      }
      const active = await knex('api_tokens')
        .where({ owner_ref: CAROL })
        .whereNull('revoked_at');
      expect(active).toHaveLength(2);
    });

    it.each([0, -1, 2.5, 'many'])(
      'refuses to start with maxActivePerUser %j, naming the key',
      async maxActivePerUser => {
        await expect(
          start({ apiTokens: { temporaryTokens: { maxActivePerUser } } }),
        ).rejects.toThrow(/apiTokens\.temporaryTokens\.maxActivePerUser/);
      },
    );
  });

  describe('secrets', () => {
    let url: string;
    let knex: Knex;
    let logs: LogLine[];
    const secrets: string[] = [];

    beforeAll(async () => {
      ({ url, knex, logs } = await start());

      // Every path a secret takes: creation, listing, verification, use as
      // a bearer token, revocation and failures that carry it.
      const permanent = (await createPermanent(url, { name: 'p' }))
        .body as CreatedApiToken;
      const temporary = (await createTemporary(url, CAROL))
        .body as CreatedApiToken;
      secrets.push(permanent.secret, temporary.secret);

      const verify = (body: string | object) =>
        request(url)
          .post(`${BASE}/internal/verify`)
          .set(headers.service('plugin:auth'))
          .set('Content-Type', 'application/json')
          .send(body);
      await verify({ token: permanent.secret });
      await verify(`{"token": "${permanent.secret}"`);
      await verify({ token: `${permanent.secret}x` });
      await request(url)
        .get(`${BASE}/v1/self`)
        .set(headers.apiToken(temporary.secret));
      await request(url)
        .post(bobTokens)
        .set(headers.apiToken(permanent.secret))
        .send({ name: 'with a token' });
      await request(url)
        .delete(`${BASE}/v1/tokens/${temporary.token.id}`)
        .set(headers.user(CAROL));
      await verify({ token: temporary.secret });
      await request(url).get(bobTokens).set(headers.user(ALICE));
      await request(url).get(`${BASE}/v1/tokens`).set(headers.user(CAROL));
    });

    it('stores only the SHA-256 digest and a four-character hint', async () => {
      const rows = await knex('api_tokens').select();
      expect(rows).toHaveLength(2);
      for (const secret of secrets) {
        const digest = createHash('sha256').update(secret).digest('hex');
        const row = rows.find(r => r.digest === digest);
        expect(row).toBeDefined();
        expect(row.hint).toBe(secret.slice(-4));
      }
    });

    it('never writes a secret, or its random part, to the database', async () => {
      const text = await databaseText(knex);
      expect(text).toContain('api_tokens');
      for (const secret of secrets) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(secret.slice(API_TOKEN_PREFIX.length, -6));
      }
    });

    it('never writes a secret to any log line or auditor event', async () => {
      expect(logs.length).toBeGreaterThan(0);
      for (const record of logs) {
        const text = deepText(record);
        for (const secret of secrets) {
          expect(text).not.toContain(secret);
          expect(text).not.toContain(secret.slice(API_TOKEN_PREFIX.length, -6));
        }
      }
    });

    it('audits creation and revocation, with who did it and which token', async () => {
      const events = auditEvents(logs);
      const created = events.filter(
        e => e.id === 'api-tokens.token-create' && e.status === 'succeeded',
      );
      expect(created).toEqual([
        expect.objectContaining({
          actorId: ALICE,
          meta: expect.objectContaining({
            kind: 'permanent',
            ownerRef: BOB,
            tokenId: expect.any(String),
          }),
        }),
        expect.objectContaining({
          actorId: CAROL,
          meta: expect.objectContaining({
            kind: 'temporary',
            ownerRef: CAROL,
            tokenId: expect.any(String),
          }),
        }),
      ]);

      const revoked = events.filter(
        e => e.id === 'api-tokens.token-revoke' && e.status === 'succeeded',
      );
      expect(revoked).toEqual([
        expect.objectContaining({
          actorId: CAROL,
          meta: expect.objectContaining({
            tokenId: created[1].meta.tokenId,
            ownerRef: CAROL,
          }),
        }),
      ]);

      // The attempt with an API token was audited as a failure.
      expect(events).toContainEqual(
        expect.objectContaining({
          id: 'api-tokens.token-create',
          status: 'failed',
        }),
      );
    });
  });

  describe('with a pepper', () => {
    const pepperWarnings = (logs: LogLine[]) =>
      logs.filter(
        line =>
          line.level === 'warn' && line.message.includes('apiTokens.pepper'),
      );

    it('warns at startup when none is set, saying what it protects', async () => {
      const { logs } = await start();
      expect(pepperWarnings(logs)).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(
            /^apiTokens\.pepper is not set.*copy of the database can check candidate tokens/,
          ),
          fields: expect.objectContaining({ plugin: 'api-tokens' }),
        }),
      ]);
    });

    it('does not warn when one is set', async () => {
      const { logs } = await start({ apiTokens: { pepper: 'a secret' } });
      expect(pepperWarnings(logs)).toEqual([]);
    });

    it('stores an HMAC-SHA-256 digest, which a plain hash does not match', async () => {
      const pepper = 'a server-side secret';
      const { url, knex } = await start({ apiTokens: { pepper } });
      const { secret, token } = (await createPermanent(url))
        .body as CreatedApiToken;
      const row = await knex('api_tokens').where({ id: token.id }).first();
      expect(row.digest).toBe(
        createHmac('sha256', pepper).update(secret).digest('hex'),
      );
      expect(row.digest).not.toBe(
        createHash('sha256').update(secret).digest('hex'),
      );

      const verified = await request(url)
        .post(`${BASE}/internal/verify`)
        .set(headers.service('plugin:auth'))
        .send({ token: secret });
      expect(verified.status).toBe(200);
      expect(verified.body.tokenId).toBe(token.id);
    });

    it('does not accept tokens issued under another pepper', async () => {
      const knex = await databases.init('SQLITE_3');
      const first = await startApiTokensBackend({
        knex,
        config: { apiTokens: { pepper: 'one' } },
      });
      const { secret } = (await createPermanent(first.url))
        .body as CreatedApiToken;
      await first.stop();

      const second = await startApiTokensBackend({
        knex,
        config: { apiTokens: { pepper: 'two' } },
      });
      const res = await request(second.url)
        .post(`${BASE}/internal/verify`)
        .set(headers.service('plugin:auth'))
        .send({ token: secret });
      expect(res.status).toBe(401);
    });
  });

  it('registers its permissions', async () => {
    const { url } = await start();
    const res = await request(url)
      .get(`${BASE}/.well-known/backstage/permissions/metadata`)
      .set(headers.service('plugin:permission'));
    expect(res.status).toBe(200);
    expect(res.body.permissions.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(apiTokensPermissions.map(p => p.name)),
    );
  });
});
