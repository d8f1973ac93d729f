import { TestDatabases } from '@backstage/backend-test-utils';
import { EXPIRY_CHECK_LISTED_FAULTS } from '@nholuongut/backstage-plugin-api-tokens-common';
import { createHash, randomUUID } from 'node:crypto';
import {
  ALICE,
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

describe.each(databases.eachSupportedId())(
  'ExpiryCheck paging on %s',
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

    /** Tokens that all expire at the same moment, so pages tie on expiry. */
    async function createTokensExpiringAt(count: number, expiresAt: Date) {
      const rows = Array.from({ length: count }, () => {
        const id = randomUUID();
        return {
          id,
          name: `token ${id.slice(0, 8)}`,
          kind: 'permanent',
          owner_ref: ALICE,
          created_by: 'user:default/admin',
          created_at: T0,
          expires_at: expiresAt,
          digest: createHash('sha256').update(id).digest('hex'),
          hint: id.slice(-4),
        };
      });
      for (let i = 0; i < rows.length; i += 100) {
        await db.knex('api_tokens').insert(rows.slice(i, i + 100));
      }
      return rows.map(row => row.id);
    }

    it('raises and notifies every due token once across pages, ties on expiry included', async () => {
      const ids = await createTokensExpiringAt(2_150, clock.in(10 * DAY));
      const notifications = new RecordingNotificationService();
      const check = createExpiryCheck({ db, clock, notifications });

      const first = await check.run();

      // Every token has its fault; the result counts them all and lists
      // the first 100, in the order of (expiry, id).
      const faultTokens: string[] = await db
        .knex('api_token_faults')
        .pluck('token_id');
      expect(faultTokens).toHaveLength(ids.length);
      expect(new Set(faultTokens)).toEqual(new Set(ids));
      expect(first.raisedCount).toBe(ids.length);
      expect(first.raised.map(fault => fault.tokenId)).toEqual(
        [...ids].sort().slice(0, EXPIRY_CHECK_LISTED_FAULTS),
      );
      const notified = notifications.sent.map(n => n.payload.scope);
      expect(notified).toHaveLength(ids.length);
      expect(new Set(notified).size).toBe(ids.length);

      clock.advance(HOUR);
      expect((await check.run()).raisedCount).toBe(0);
      expect(notifications.attempts).toHaveLength(ids.length);
    });

    it('gives back the claims it did not try when a notification fails', async () => {
      const ids = await createTokensExpiringAt(3, clock.in(10 * DAY));
      const notifications = new RecordingNotificationService();
      notifications.failWith = new Error('notifications backend is down');
      const check = createExpiryCheck({ db, clock, notifications });

      await check.run();

      expect(notifications.attempts).toHaveLength(1);
      const rows = await db
        .knex('api_token_faults')
        .select('notified_at', 'notify_attempts');
      expect(rows).toHaveLength(ids.length);
      expect(rows.every(row => row.notified_at === null)).toBe(true);
      expect(rows.map(row => Number(row.notify_attempts)).sort()).toEqual([
        0, 0, 1,
      ]);

      notifications.failWith = undefined;
      clock.advance(HOUR);
      await check.run();
      expect(notifications.sent).toHaveLength(ids.length);
    });
  },
);
