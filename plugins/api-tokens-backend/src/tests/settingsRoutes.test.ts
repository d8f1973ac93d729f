import { TestDatabases } from '@backstage/backend-test-utils';
import { API_TOKENS_AUDIT_EVENTS } from '@nholuongut/backstage-plugin-api-tokens-common';
import { Knex } from 'knex';
import request from 'supertest';
import { auditEvents } from '../__testUtils__/recording';
import {
  ALICE as ADMIN,
  ApiTokensTestBackend,
  BOB as ENGINEER,
  headers,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';
import { DAY, ExpiryTestDatabase } from './__testUtils__/expiryFixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const BASE = '/api/api-tokens/v1';
const DAYS = 'EnableUserTokenNotification';
const EMAILS = 'UserTokenExpirationNotificationEmails';

describe.each(databases.eachSupportedId())(
  'settings routes on %s',
  databaseId => {
    let knex: Knex;
    let db: ExpiryTestDatabase;
    let backend: ApiTokensTestBackend;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startApiTokensBackend({
        knex,
        config: {
          apiTokens: { notifications: { defaultDaysBeforeExpiry: 15 } },
        },
      });
      db = await ExpiryTestDatabase.create(knex);
    });

    afterAll(async () => {
      await backend.stop();
    });

    beforeEach(async () => {
      await db.clear();
      backend.logs.length = 0;
    });

    const put = (key: string, body: object, userRef = ADMIN) =>
      request(backend.url)
        .put(`${BASE}/settings/${key}`)
        .set(headers.user(userRef))
        .send(body);

    const remove = (key: string, userRef = ADMIN) =>
      request(backend.url)
        .delete(`${BASE}/settings/${key}`)
        .set(headers.user(userRef));

    /** How the settings changes ended, as the auditor recorded them. */
    const settingEvents = () =>
      auditEvents(backend.logs)
        .filter(
          event =>
            event.id ===
              `api-tokens.${API_TOKENS_AUDIT_EVENTS.settingsUpdate}` &&
            event.status !== 'initiated',
        )
        .map(({ status, severityLevel, actorId, meta, error }) => ({
          status,
          severityLevel,
          actorId,
          meta,
          ...(error ? { error } : {}),
        }));

    const values = async () => {
      const response = await request(backend.url)
        .get(`${BASE}/settings`)
        .set(headers.user(ADMIN));
      expect(response.status).toBe(200);
      return Object.fromEntries(
        response.body.items.map((item: { key: string; value: string }) => [
          item.key,
          item.value,
        ]),
      );
    };

    it.each([
      [DAYS, '15'],
      [DAYS, '30;7;1'],
      [EMAILS, 'a@example.com;b@example.com'],
    ])('stores %s = %s for an admin', async (key, value) => {
      const response = await put(key, { type: 'app-config', value });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        type: 'app-config',
        key,
        value,
        updatedAt: expect.any(String),
        updatedBy: ADMIN,
      });
      const list = await request(backend.url)
        .get(`${BASE}/settings`)
        .set(headers.user(ADMIN));
      expect(list.body.items).toEqual([
        {
          type: 'app-config',
          key,
          value,
          updatedAt: response.body.updatedAt,
          updatedBy: ADMIN,
        },
      ]);
    });

    it('replaces a value and lists both settings', async () => {
      expect(
        (await put(DAYS, { type: 'app-config', value: '15' })).status,
      ).toBe(200);
      expect(
        (await put(DAYS, { type: 'app-config', value: '30;7;1' })).status,
      ).toBe(200);
      expect(
        (await put(EMAILS, { type: 'app-config', value: 'ops@example.com' }))
          .status,
      ).toBe(200);

      expect(await values()).toEqual({
        [DAYS]: '30;7;1',
        [EMAILS]: 'ops@example.com',
      });
    });

    describe('refuses invalid input with 400 and saves nothing', () => {
      beforeEach(async () => {
        await put(DAYS, { type: 'app-config', value: '20' });
        await put(EMAILS, { type: 'app-config', value: 'ops@example.com' });
        backend.logs.length = 0;
      });

      it.each([
        [DAYS, { type: 'app-config', value: '0' }, DAYS],
        [DAYS, { type: 'app-config', value: '366' }, DAYS],
        [DAYS, { type: 'app-config', value: '1.5' }, DAYS],
        [DAYS, { type: 'app-config', value: 'abc' }, DAYS],
        [DAYS, { type: 'app-config', value: '30;;7' }, DAYS],
        [DAYS, { type: 'app-config', value: '' }, DAYS],
        [EMAILS, { type: 'app-config', value: 'a@b.co;;c@d.co' }, EMAILS],
        [EMAILS, { type: 'app-config', value: 'not-an-email' }, EMAILS],
        [EMAILS, { type: 'app-config', value: 'ops@example.com;' }, EMAILS],
        ['UnknownSetting', { type: 'app-config', value: '15' }, 'key'],
        [DAYS, { type: 'secret', value: '15' }, 'type'],
        [DAYS, { type: 'app-config' }, 'value'],
        [DAYS, { type: 'app-config', value: 15 }, 'value'],
        [DAYS, { value: '15' }, 'type'],
      ])('PUT %s %j names %s', async (key, body, field) => {
        const response = await put(key, body);

        expect(response.status).toBe(400);
        expect(response.body.error.message).toContain(field);
        expect(await values()).toEqual({
          [DAYS]: '20',
          [EMAILS]: 'ops@example.com',
        });
      });

      it('records the refused change as a failed auditor event', async () => {
        await put(DAYS, { type: 'app-config', value: '366' });

        expect(settingEvents()).toEqual([
          {
            status: 'failed',
            severityLevel: 'medium',
            actorId: ADMIN,
            meta: { key: DAYS, action: 'put' },
            error: expect.stringContaining(DAYS),
          },
        ]);
      });
    });

    it('forbids a non-admin to read or change settings, saving nothing', async () => {
      await put(DAYS, { type: 'app-config', value: '20' });

      const list = await request(backend.url)
        .get(`${BASE}/settings`)
        .set(headers.user(ENGINEER));
      expect(list.status).toBe(403);
      const changed = await put(
        DAYS,
        { type: 'app-config', value: '5' },
        ENGINEER,
      );
      expect(changed.status).toBe(403);
      expect(changed.body.error.name).toBe('NotAllowedError');
      const removed = await remove(DAYS, ENGINEER);
      expect(removed.status).toBe(403);

      expect(await values()).toEqual({ [DAYS]: '20' });
      expect(
        settingEvents()
          .filter(event => event.actorId === ENGINEER)
          .map(event => [event.meta.action, event.status]),
      ).toEqual([
        ['put', 'failed'],
        ['delete', 'failed'],
      ]);
    });

    it('answers 401 without credentials', async () => {
      const response = await request(backend.url)
        .put(`${BASE}/settings/${DAYS}`)
        .send({ type: 'app-config', value: '5' });

      expect(response.status).toBe(401);
      expect(await values()).toEqual({});
    });

    it('restores the app-config default on DELETE, as the expiry check shows', async () => {
      const token = await db.createToken({
        expiresAt: new Date(Date.now() + 10 * DAY),
      });
      const runCheck = async () => {
        const response = await request(backend.url)
          .post(`${BASE}/expiry-check`)
          .set(headers.user(ADMIN));
        expect(response.status).toBe(200);
        return response.body;
      };
      await put(DAYS, { type: 'app-config', value: '5' });
      expect((await runCheck()).raised).toEqual([]);

      const response = await remove(DAYS);

      expect(response.status).toBe(204);
      expect(await values()).toEqual({});
      expect((await runCheck()).raised).toEqual([
        expect.objectContaining({ tokenId: token.id, thresholdDays: 15 }),
      ]);
    });

    it('answers 404 to DELETE of a setting that is not set, and 400 to an unknown key', async () => {
      const unset = await remove(EMAILS);
      expect(unset.status).toBe(404);
      expect(unset.body.error.message).toContain(EMAILS);

      const unknown = await remove('UnknownSetting');
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('key');
    });

    it('records an auditor event for every change, with who made it', async () => {
      await put(DAYS, { type: 'app-config', value: '30;7;1' });
      await put(EMAILS, { type: 'app-config', value: 'ops@example.com' });
      await remove(DAYS);

      expect(settingEvents()).toEqual([
        {
          status: 'succeeded',
          severityLevel: 'medium',
          actorId: ADMIN,
          meta: { key: DAYS, action: 'put', value: '30;7;1' },
        },
        {
          status: 'succeeded',
          severityLevel: 'medium',
          actorId: ADMIN,
          meta: { key: EMAILS, action: 'put', value: 'ops@example.com' },
        },
        {
          status: 'succeeded',
          severityLevel: 'medium',
          actorId: ADMIN,
          meta: { key: DAYS, action: 'delete' },
        },
      ]);
    });
  },
);
