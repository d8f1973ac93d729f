import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  API_TOKENS_AUDIT_EVENTS,
  API_TOKENS_NOTIFICATION_TOPIC,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  ALICE,
  BOB,
  createExpiryCheck,
  DAY,
  ExpiryTestDatabase,
  HOUR,
  RecordingNotificationService,
  TestClock,
} from '../tests/__testUtils__/expiryFixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const T0 = new Date('2027-03-01T09:00:00.000Z');

describe.each(databases.eachSupportedId())('ExpiryCheck on %s', databaseId => {
  let db: ExpiryTestDatabase;
  let clock: TestClock;

  beforeAll(async () => {
    db = await ExpiryTestDatabase.create(await databases.init(databaseId));
  });

  beforeEach(async () => {
    await db.clear();
    clock = new TestClock(T0);
  });

  describe('faults', () => {
    it('raises one fault for a token within the threshold, and only once', async () => {
      const due = await db.createToken({
        name: 'deploy',
        expiresAt: clock.in(10 * DAY),
      });
      await db.createToken({ expiresAt: clock.in(20 * DAY) });
      const check = createExpiryCheck({
        db,
        clock,
        config: {
          apiTokens: { notifications: { defaultDaysBeforeExpiry: 15 } },
        },
      });

      const first = await check.run();

      expect(first.raised).toEqual([
        expect.objectContaining({
          tokenId: due.id,
          tokenName: 'deploy',
          ownerRef: ALICE,
          thresholdDays: 15,
          tokenExpiresAt: due.expiresAt,
          raisedAt: T0,
          status: 'open',
          resolution: undefined,
        }),
      ]);
      expect(await db.allFaults()).toHaveLength(1);

      clock.advance(HOUR);
      const second = await check.run();
      expect(second.raised).toEqual([]);
      expect(await db.allFaults()).toEqual([
        expect.objectContaining({ tokenId: due.id, status: 'open' }),
      ]);
    });

    it('uses the app-config default of 15 days when nothing is set', async () => {
      await db.createToken({ expiresAt: clock.in(16 * DAY) });
      const check = createExpiryCheck({ db, clock });

      expect((await check.run()).raised).toEqual([]);
      clock.advance(1.5 * DAY);
      expect((await check.run()).raised).toEqual([
        expect.objectContaining({ thresholdDays: 15 }),
      ]);
    });

    it('prefers the threshold an admin set over the app-config default', async () => {
      await db.createToken({ expiresAt: clock.in(20 * DAY) });
      await db.setSetting('EnableUserTokenNotification', '25');
      const check = createExpiryCheck({
        db,
        clock,
        config: {
          apiTokens: { notifications: { defaultDaysBeforeExpiry: 15 } },
        },
      });

      expect((await check.run()).raised).toEqual([
        expect.objectContaining({ thresholdDays: 25 }),
      ]);
    });

    it('escalates through several thresholds, each fault superseding the last', async () => {
      await db.setSetting('EnableUserTokenNotification', '30;7;1');
      const token = await db.createToken({ expiresAt: clock.in(20 * DAY) });
      const check = createExpiryCheck({ db, clock });

      expect((await check.run()).raised).toEqual([
        expect.objectContaining({ tokenId: token.id, thresholdDays: 30 }),
      ]);
      clock.advance(DAY);
      expect((await check.run()).raised).toEqual([]);

      // 5 days left
      const at7 = clock.advance(14 * DAY);
      expect((await check.run()).raised).toEqual([
        expect.objectContaining({ tokenId: token.id, thresholdDays: 7 }),
      ]);
      expect(await db.allFaults()).toEqual([
        expect.objectContaining({
          thresholdDays: 30,
          status: 'resolved',
          resolution: 'superseded',
          resolvedAt: at7,
        }),
        expect.objectContaining({ thresholdDays: 7, status: 'open' }),
      ]);

      // 12 hours left
      clock.advance(4.5 * DAY);
      expect((await check.run()).raised).toEqual([
        expect.objectContaining({ tokenId: token.id, thresholdDays: 1 }),
      ]);
      expect((await check.run()).raised).toEqual([]);
      const faults = await db.allFaults();
      expect(
        faults.map(f => [f.thresholdDays, f.status, f.resolution ?? null]),
      ).toEqual([
        [30, 'resolved', 'superseded'],
        [7, 'resolved', 'superseded'],
        [1, 'open', null],
      ]);
    });

    it('gives a token already past several thresholds one notice, the nearest', async () => {
      await db.setSetting('EnableUserTokenNotification', '30;7;1');
      const hours = await db.createToken({ expiresAt: clock.in(12 * HOUR) });
      const days = await db.createToken({ expiresAt: clock.in(5 * DAY) });
      const check = createExpiryCheck({ db, clock });

      const result = await check.run();

      expect(result.raised).toHaveLength(2);
      expect(result.raised).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ tokenId: hours.id, thresholdDays: 1 }),
          expect.objectContaining({ tokenId: days.id, thresholdDays: 7 }),
        ]),
      );
      expect(await db.allFaults()).toHaveLength(2);
    });

    it('catches up after missed runs with the nearest threshold only', async () => {
      await db.setSetting('EnableUserTokenNotification', '30;7;1');
      const token = await db.createToken({ expiresAt: clock.in(40 * DAY) });
      const check = createExpiryCheck({ db, clock });
      expect((await check.run()).raised).toEqual([]);

      // The task did not run for 39 days; the token has 6 hours left.
      clock.advance(39 * DAY + 18 * HOUR);
      const result = await check.run();

      expect(result.raised).toEqual([
        expect.objectContaining({ tokenId: token.id, thresholdDays: 1 }),
      ]);
      expect(await db.allFaults()).toHaveLength(1);
    });

    it('resolves the open faults of revoked and expired tokens', async () => {
      const expiring = await db.createToken({ expiresAt: clock.in(3 * DAY) });
      const revoked = await db.createToken({ expiresAt: clock.in(10 * DAY) });
      const check = createExpiryCheck({ db, clock });
      expect((await check.run()).raised).toHaveLength(2);

      const revokedAt = clock.advance(HOUR);
      await db.tokens.revokeToken({
        id: revoked.id,
        revokedBy: 'user:default/admin',
        revokedAt,
      });
      const afterRevoke = await check.run();
      expect(afterRevoke.resolved).toBe(1);
      expect(afterRevoke.raised).toEqual([]);

      const expiredAt = clock.advance(3 * DAY);
      const afterExpiry = await check.run();
      expect(afterExpiry.resolved).toBe(1);
      expect(afterExpiry.raised).toEqual([]);

      const faults = await db.allFaults();
      expect(faults.find(f => f.tokenId === revoked.id)).toMatchObject({
        status: 'resolved',
        resolution: 'revoked',
        resolvedAt: revokedAt,
      });
      expect(faults.find(f => f.tokenId === expiring.id)).toMatchObject({
        status: 'resolved',
        resolution: 'expired',
        resolvedAt: expiredAt,
      });
      expect((await check.run()).resolved).toBe(0);
    });

    it('never raises for revoked or expired tokens', async () => {
      const revoked = await db.createToken({ expiresAt: clock.in(5 * DAY) });
      await db.tokens.revokeToken({
        id: revoked.id,
        revokedBy: ALICE,
        revokedAt: clock.in(-DAY),
      });
      await db.createToken({ expiresAt: clock.in(-HOUR) });
      await db.createToken({ expiresAt: clock.now() });
      await db.setSetting('EnableUserTokenNotification', '30;7;1');
      const check = createExpiryCheck({ db, clock });

      const result = await check.run();

      expect(result).toMatchObject({ raised: [], resolved: 0 });
      expect(await db.allFaults()).toEqual([]);
    });

    it('raises again for a renewed expiry and closes the notice of the old one', async () => {
      const token = await db.createToken({ expiresAt: clock.in(10 * DAY) });
      const check = createExpiryCheck({ db, clock });
      const [first] = (await check.run()).raised;

      const renewedExpiry = clock.in(12 * DAY);
      await db
        .knex('api_tokens')
        .where({ id: token.id })
        .update({ expires_at: renewedExpiry });
      clock.advance(HOUR);
      const result = await check.run();

      expect(result.raised).toEqual([
        expect.objectContaining({
          tokenId: token.id,
          thresholdDays: 15,
          tokenExpiresAt: renewedExpiry,
        }),
      ]);
      expect((await db.allFaults()).map(f => [f.id, f.status])).toEqual([
        [first.id, 'resolved'],
        [result.raised[0].id, 'open'],
      ]);
      expect((await check.run()).raised).toEqual([]);
    });

    it('closes the notice of an expiry renewed beyond every threshold', async () => {
      const token = await db.createToken({ expiresAt: clock.in(10 * DAY) });
      const check = createExpiryCheck({ db, clock });
      expect((await check.run()).raised).toHaveLength(1);

      await db
        .knex('api_tokens')
        .where({ id: token.id })
        .update({ expires_at: clock.in(300 * DAY) });
      const result = await check.run();

      expect(result).toMatchObject({ raised: [], resolved: 1 });
      expect(await db.allFaults()).toEqual([
        expect.objectContaining({ status: 'resolved' }),
      ]);
    });

    it('records an auditor event for the faults it raised and resolved', async () => {
      await db.createToken({ expiresAt: clock.in(5 * DAY) });
      const auditor = mockServices.auditor.mock();
      const check = createExpiryCheck({ db, clock, auditor });

      await check.run();

      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: API_TOKENS_AUDIT_EVENTS.faultRaise,
          meta: { raised: 1, resolved: 0 },
        }),
      );
      auditor.createEvent.mockClear();
      await check.run();
      expect(auditor.createEvent).not.toHaveBeenCalled();
    });
  });

  describe('owner notifications', () => {
    it('notifies each owner once, with a severity by the days left', async () => {
      await db.setSetting('EnableUserTokenNotification', '30;7;1');
      const normal = await db.createToken({
        name: 'nightly',
        ownerRef: ALICE,
        expiresAt: clock.in(20 * DAY),
      });
      const high = await db.createToken({
        name: 'deploy',
        ownerRef: BOB,
        expiresAt: clock.in(5 * DAY),
      });
      const critical = await db.createToken({
        name: 'release',
        ownerRef: BOB,
        expiresAt: clock.in(12 * HOUR),
      });
      const notifications = new RecordingNotificationService();
      const check = createExpiryCheck({ db, clock, notifications });

      await check.run();

      expect(notifications.sent).toHaveLength(3);
      const sentFor = (tokenId: string) =>
        notifications.sent.filter(
          n => n.payload.scope === `api-token-expiry:${tokenId}`,
        );
      expect(sentFor(normal.id)).toEqual([
        {
          recipients: { type: 'entity', entityRef: ALICE },
          payload: expect.objectContaining({
            title: 'API token "nightly" expires in 20 days',
            severity: 'normal',
            topic: API_TOKENS_NOTIFICATION_TOPIC,
            link: expect.any(String),
          }),
        },
      ]);
      expect(sentFor(high.id)).toEqual([
        {
          recipients: { type: 'entity', entityRef: BOB },
          payload: expect.objectContaining({
            title: 'API token "deploy" expires in 5 days',
            severity: 'high',
          }),
        },
      ]);
      expect(sentFor(critical.id)).toEqual([
        {
          recipients: { type: 'entity', entityRef: BOB },
          payload: expect.objectContaining({
            title: 'API token "release" expires in 12 hours',
            severity: 'critical',
          }),
        },
      ]);

      clock.advance(HOUR);
      await check.run();
      expect(notifications.attempts).toHaveLength(3);
    });

    it('notifies again when a nearer threshold is reached', async () => {
      await db.setSetting('EnableUserTokenNotification', '30;7');
      await db.createToken({ expiresAt: clock.in(20 * DAY) });
      const notifications = new RecordingNotificationService();
      const check = createExpiryCheck({ db, clock, notifications });

      await check.run();
      clock.advance(14 * DAY);
      await check.run();

      expect(notifications.sent.map(n => n.payload.severity)).toEqual([
        'normal',
        'high',
      ]);
    });

    it('notifies an owner once when several runs overlap', async () => {
      await db.createToken({ expiresAt: clock.in(10 * DAY) });
      await db.createToken({ expiresAt: clock.in(3 * DAY) });
      const notifications = new RecordingNotificationService();
      const checks = [1, 2, 3, 4].map(() =>
        createExpiryCheck({ db, clock, notifications }),
      );

      await Promise.all(checks.map(check => check.run()));

      expect(notifications.attempts).toHaveLength(2);
      expect(new Set(notifications.sent.map(n => n.payload.scope)).size).toBe(
        2,
      );
    });

    it('does not fail the run when notifying fails, and retries on the next run', async () => {
      await db.createToken({ expiresAt: clock.in(10 * DAY) });
      const notifications = new RecordingNotificationService();
      notifications.failWith = new Error(
        'Failed to send notifications: Error: Request failed with status 404',
      );
      const logger = mockServices.logger.mock();
      const check = createExpiryCheck({ db, clock, notifications, logger });

      const result = await check.run();

      expect(result.raised).toHaveLength(1);
      expect(notifications.attempts).toHaveLength(1);
      expect(notifications.sent).toEqual([]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('status 404'),
      );

      notifications.failWith = undefined;
      clock.advance(HOUR);
      await check.run();
      expect(notifications.sent).toHaveLength(1);

      clock.advance(HOUR);
      await check.run();
      expect(notifications.attempts).toHaveLength(2);
    });

    it('gives up notifying after the maximum number of attempts', async () => {
      await db.createToken({ expiresAt: clock.in(10 * DAY) });
      const notifications = new RecordingNotificationService();
      notifications.failWith = new Error('notifications backend is down');
      const check = createExpiryCheck({ db, clock, notifications });

      for (let run = 0; run < 5; run++) {
        await expect(check.run()).resolves.toBeDefined();
        clock.advance(HOUR);
      }
      expect(notifications.attempts).toHaveLength(5);

      await check.run();
      notifications.failWith = undefined;
      await check.run();
      expect(notifications.attempts).toHaveLength(5);
      expect(notifications.sent).toEqual([]);
    });
  });
});
