import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ALICE,
  DAY,
  ExpiryTestDatabase,
  HOUR,
} from '../tests/__testUtils__/expiryFixtures';
import { DatabaseOwnerNoticeClaims } from './DatabaseOwnerNoticeClaims';
import { StoredFault } from './FaultLedger';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const T0 = new Date('2027-03-01T09:00:00.000Z');
const MAX_ATTEMPTS = 3;

const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(databases.eachSupportedId())(
  'DatabaseOwnerNoticeClaims on %s',
  databaseId => {
    let db: ExpiryTestDatabase;
    let claims: DatabaseOwnerNoticeClaims;

    beforeAll(async () => {
      db = await ExpiryTestDatabase.create(await databases.init(databaseId));
      claims = db.ownerNotices;
    });

    beforeEach(async () => {
      await db.clear();
    });

    /** Raises one open fault per raising time, in that order. */
    async function raiseFaults(raisedAt: Date[]): Promise<StoredFault[]> {
      const raised: StoredFault[] = [];
      for (const time of raisedAt) {
        const token = await db.createToken({ expiresAt: at(5 * DAY) });
        raised.push(
          ...(await db.faults.raiseFaults({
            tokens: [token],
            thresholdDays: 15,
            raisedAt: time,
            emailRecipients: [],
          })),
        );
      }
      return raised;
    }

    /** What a run may send: the ids of the notices it claimed. */
    const claimIds = async (limit = 10, notifiedAt = T0) =>
      (
        await claims.claimUnnotified({
          notifiedAt,
          maxAttempts: MAX_ATTEMPTS,
          limit,
        })
      ).map(fault => fault.id);

    it('claims the open faults whose owner was not notified, oldest first, a limit at a time', async () => {
      const [second, first, resolved] = await raiseFaults([
        at(2),
        at(1),
        at(3),
      ]);
      await db.tokens.revokeToken({
        id: resolved.tokenId,
        revokedBy: ALICE,
        revokedAt: at(HOUR),
      });
      await db.faults.resolveFaults(at(HOUR));

      expect(await claimIds(1)).toEqual([first.id]);
      expect(await claimIds()).toEqual([second.id]);
      expect(await claimIds()).toEqual([]);
    });

    it('never claims a give-up fault: it is for admins, and sends no notice', async () => {
      const token = await db.createToken({ expiresAt: at(5 * DAY) });
      const [expiry] = await db.faults.raiseFaults({
        tokens: [token],
        thresholdDays: 15,
        raisedAt: T0,
        emailRecipients: ['ops@example.com'],
      });
      expect(await claimIds()).toEqual([expiry.id]);
      await db.outbox.claimPending({
        leaseId: 'run-1',
        now: T0,
        leaseUntil: at(HOUR),
      });
      const [undeliverable] = await db.outbox.recordFailed({
        leaseId: 'run-1',
        address: 'ops@example.com',
        error: '550 no such user',
        failedAt: at(1),
        retry: { maxAttempts: 1, firstDelayMs: HOUR },
      });
      expect(undeliverable).toMatchObject({ kind: 'email-undeliverable' });

      expect(await claimIds()).toEqual([]);
    });

    it('finds and claims the oldest unnotified notices in one statement, each for one run only', async () => {
      const faults = await raiseFaults([at(3), at(1), at(2), at(4), at(5)]);
      const [, acknowledged] = faults;
      await db.faults.acknowledgeFault({
        id: acknowledged.id,
        acknowledgedBy: ALICE,
        acknowledgedAt: at(HOUR),
      });

      expect(await claimIds(2, at(HOUR))).toEqual([faults[2].id, faults[0].id]);

      const runs = await Promise.all([
        claimIds(5, at(HOUR)),
        claimIds(5, at(HOUR)),
      ]);
      expect(runs.flat().sort()).toEqual([faults[3].id, faults[4].id].sort());
      expect(await claimIds(5, at(HOUR))).toEqual([]);
      const rows = await db
        .knex('api_token_faults')
        .select('id', 'notify_attempts')
        .orderBy('raised_at');
      expect(rows.map(row => Number(row.notify_attempts))).toEqual([
        0, 1, 1, 1, 1,
      ]);
    });

    it('hands back failed notices with the attempt counted, until maxAttempts', async () => {
      const [fault] = await raiseFaults([at(1)]);

      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        expect(await claimIds(10, at(attempt * HOUR))).toEqual([fault.id]);
        await claims.release({ faultIds: [fault.id], attempted: true });
      }

      expect(await claimIds()).toEqual([]);
    });

    it('hands back notices a run did not get to without counting an attempt', async () => {
      const [fault] = await raiseFaults([at(1)]);

      for (let run = 0; run < MAX_ATTEMPTS + 2; run++) {
        expect(await claimIds()).toEqual([fault.id]);
        await claims.release({ faultIds: [fault.id], attempted: false });
      }

      expect(await claimIds()).toEqual([fault.id]);
      await claims.release({ faultIds: [], attempted: true });
    });
  },
);
