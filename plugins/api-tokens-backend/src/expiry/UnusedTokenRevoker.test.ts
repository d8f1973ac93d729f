import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  BOB,
  DAY,
  ExpiryTestDatabase,
  RecordingNotificationService,
  TestClock,
} from '../tests/__testUtils__/expiryFixtures';
import { UNUSED_REVOKER, UnusedTokenRevoker } from './UnusedTokenRevoker';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const T0 = new Date('2027-03-01T09:00:00.000Z');

describe.each(databases.eachSupportedId())(
  'UnusedTokenRevoker on %s',
  databaseId => {
    let db: ExpiryTestDatabase;
    let clock: TestClock;

    beforeAll(async () => {
      db = await ExpiryTestDatabase.create(await databases.init(databaseId));
    });

    beforeEach(async () => {
      await db.clear();
      clock = new TestClock(T0);
    });

    const deps = () => ({
      store: db.tokens,
      auditor: mockServices.auditor.mock(),
      notifications: new RecordingNotificationService(),
      logger: mockServices.logger.mock(),
      now: clock.now,
    });

    it('is off unless configured, and refuses less than a day', () => {
      expect(
        UnusedTokenRevoker.fromConfig(new ConfigReader({}), deps()),
      ).toBeUndefined();
      expect(() =>
        UnusedTokenRevoker.fromConfig(
          new ConfigReader({
            apiTokens: { permanentTokens: { unusedRevokeAfter: '2h' } },
          }),
          deps(),
        ),
      ).toThrow(/unusedRevokeAfter must be a duration of at least one day/);
    });

    it('revokes permanent tokens not used for the configured time, audited, owner notified', async () => {
      const yearAhead = clock.in(300 * DAY);
      const neverUsed = await db.createToken({
        name: 'never used',
        ownerRef: BOB,
        expiresAt: yearAhead,
        createdAt: clock.in(-100 * DAY),
      });
      const usedLongAgo = await db.createToken({
        name: 'used long ago',
        ownerRef: BOB,
        expiresAt: yearAhead,
        createdAt: clock.in(-100 * DAY),
      });
      await db.tokens.recordUse({
        id: usedLongAgo.id,
        usedAt: clock.in(-91 * DAY),
        minInterval: 0,
      });
      const usedRecently = await db.createToken({
        expiresAt: yearAhead,
        createdAt: clock.in(-100 * DAY),
      });
      await db.tokens.recordUse({
        id: usedRecently.id,
        usedAt: clock.in(-DAY),
        minInterval: 0,
      });
      const newlyCreated = await db.createToken({
        expiresAt: yearAhead,
        createdAt: clock.in(-10 * DAY),
      });
      const temporary = await db.createToken({
        kind: 'temporary',
        expiresAt: clock.in(DAY),
        createdAt: clock.in(-100 * DAY),
      });
      const options = deps();
      const revoker = UnusedTokenRevoker.fromConfig(
        new ConfigReader({
          apiTokens: { permanentTokens: { unusedRevokeAfter: { days: 90 } } },
        }),
        options,
      )!;

      const revoked = await revoker.run();

      expect(revoked.map(t => t.id).sort()).toEqual(
        [neverUsed.id, usedLongAgo.id].sort(),
      );
      for (const id of [neverUsed.id, usedLongAgo.id]) {
        expect(await db.tokens.getToken(id)).toMatchObject({
          revokedAt: clock.now(),
          revokedBy: UNUSED_REVOKER,
        });
      }
      for (const id of [usedRecently.id, newlyCreated.id, temporary.id]) {
        expect((await db.tokens.getToken(id))?.revokedAt).toBeUndefined();
      }
      expect(
        options.auditor.createEvent.mock.calls.map(([event]) => [
          event.eventId,
          event.meta?.reason,
        ]),
      ).toEqual([
        ['token-revoke', 'unused'],
        ['token-revoke', 'unused'],
      ]);
      expect(
        options.notifications.sent.map(n => n.payload.title).sort(),
      ).toEqual([
        'API token "never used" was revoked: not used for 90 days',
        'API token "used long ago" was revoked: not used for 90 days',
      ]);

      expect(await revoker.run()).toEqual([]);
    });
  },
);
