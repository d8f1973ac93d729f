import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ALICE,
  DAY,
  ExpiryTestDatabase,
  HOUR,
  MINUTE,
} from '../tests/__testUtils__/expiryFixtures';
import { DatabaseEmailOutbox } from './DatabaseEmailOutbox';
import { StoredFault } from './FaultLedger';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const T0 = new Date('2027-03-01T09:00:00.000Z');
const OPS = 'ops@example.com';
const SECURITY = 'security@example.com';

const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(databases.eachSupportedId())(
  'DatabaseEmailOutbox on %s',
  databaseId => {
    let db: ExpiryTestDatabase;
    let outbox: DatabaseEmailOutbox;

    beforeAll(async () => {
      db = await ExpiryTestDatabase.create(await databases.init(databaseId));
      outbox = db.outbox;
    });

    beforeEach(async () => {
      await db.clear();
    });

    /** Raises a fault for each expiry, queueing emails to `recipients`. */
    async function raiseFaults(
      expiries: Date[],
      recipients: string[],
    ): Promise<StoredFault[]> {
      const tokens = [];
      for (const expiresAt of expiries) {
        tokens.push(await db.createToken({ expiresAt }));
      }
      return db.faults.raiseFaults({
        tokens,
        thresholdDays: 15,
        raisedAt: T0,
        emailRecipients: recipients,
      });
    }

    const lease = (leaseId: string, now = T0) =>
      outbox.claimPending({
        leaseId,
        now,
        leaseUntil: new Date(now.getTime() + 10 * MINUTE),
      });

    it('leases the pending emails, one per address with its faults by expiry', async () => {
      const [later, sooner] = await raiseFaults(
        [at(9 * DAY), at(3 * DAY)],
        [SECURITY, OPS],
      );

      expect(await lease('run-1')).toEqual([
        { address: OPS, faults: [sooner, later] },
        { address: SECURITY, faults: [sooner, later] },
      ]);
    });

    it('leases each email to one run until the lease lapses', async () => {
      await raiseFaults([at(3 * DAY)], [OPS]);

      const [first, second] = await Promise.all([
        lease('run-1'),
        lease('run-2'),
      ]);
      expect([...first, ...second].map(email => email.address)).toEqual([OPS]);
      expect(await lease('run-3', at(10 * MINUTE))).toEqual([]);
      expect(
        (await lease('run-4', at(10 * MINUTE + 1))).map(email => email.address),
      ).toEqual([OPS]);
    });

    it('records a delivery, after which the email is never leased again', async () => {
      await raiseFaults([at(3 * DAY)], [OPS, SECURITY]);
      await lease('run-1');

      await outbox.recordDelivered({
        leaseId: 'run-1',
        address: OPS,
        deliveredAt: at(MINUTE),
      });

      expect(await db.outboxRows()).toEqual([
        { address: OPS, delivered: true, attempts: 1, lastError: null },
        { address: SECURITY, delivered: false, attempts: 0, lastError: null },
      ]);
      expect(
        (await lease('run-2', at(HOUR))).map(email => email.address),
      ).toEqual([SECURITY]);
    });

    const RETRY = { maxAttempts: 3, firstDelayMs: 30 * MINUTE };

    const fail = (leaseId: string, failedAt: Date, address = OPS) =>
      outbox.recordFailed({
        leaseId,
        address,
        error: '550 no such user',
        failedAt,
        retry: RETRY,
      });

    it('records a failure and leases the email again once its delay has passed', async () => {
      await raiseFaults([at(3 * DAY)], [OPS]);
      await lease('run-1');

      await expect(
        outbox.recordFailed({
          leaseId: 'run-1',
          address: OPS,
          error: `550 no such user ${'x'.repeat(2000)}`,
          failedAt: T0,
          retry: RETRY,
        }),
      ).resolves.toEqual([]);

      const [row] = await db.outboxRows();
      expect(row).toMatchObject({
        address: OPS,
        delivered: false,
        attempts: 1,
      });
      expect(row.lastError).toHaveLength(1000);
      expect(row.lastError).toMatch(/^550 no such user x/);
      expect(await lease('run-2', at(30 * MINUTE - 1))).toEqual([]);
      expect(
        (await lease('run-3', at(30 * MINUTE))).map(email => email.address),
      ).toEqual([OPS]);
    });

    it('doubles the delay after each failure and gives up after maxAttempts, raising one open fault per fault and address', async () => {
      const [fault] = await raiseFaults([at(3 * DAY)], [OPS, SECURITY]);

      await lease('run-1', T0);
      await fail('run-1', T0);
      // 30 minutes after the first failure, 60 after the second.
      await lease('run-2', at(30 * MINUTE));
      await fail('run-2', at(30 * MINUTE));
      expect(await lease('run-3', at(90 * MINUTE - 1))).toEqual([
        expect.objectContaining({ address: SECURITY }),
      ]);
      await outbox.recordDelivered({
        leaseId: 'run-3',
        address: SECURITY,
        deliveredAt: at(90 * MINUTE - 1),
      });
      await lease('run-4', at(90 * MINUTE));
      const raised = await fail('run-4', at(90 * MINUTE));

      expect(raised).toEqual([
        expect.objectContaining({
          kind: 'email-undeliverable',
          emailAddress: OPS,
          tokenId: fault.tokenId,
          tokenName: fault.tokenName,
          thresholdDays: fault.thresholdDays,
          tokenExpiresAt: fault.tokenExpiresAt,
          raisedAt: at(90 * MINUTE),
          status: 'open',
        }),
      ]);
      expect(await db.outboxRows()).toEqual([
        {
          address: OPS,
          delivered: false,
          attempts: 3,
          lastError: '550 no such user',
        },
        { address: SECURITY, delivered: true, attempts: 1, lastError: null },
      ]);
      // Given up: never leased again, and its fault stays open.
      expect(await lease('run-5', at(30 * DAY))).toEqual([]);
      expect(
        (await db.allFaults()).map(f => [f.kind, f.emailAddress, f.status]),
      ).toEqual([
        ['expiry', undefined, 'open'],
        ['email-undeliverable', OPS, 'open'],
      ]);
    });

    it('raises one give-up fault however often the failure is recorded', async () => {
      await raiseFaults([at(3 * DAY)], [OPS]);
      const once = { ...RETRY, maxAttempts: 1 };
      await lease('run-1');
      await outbox.recordFailed({
        leaseId: 'run-1',
        address: OPS,
        error: 'refused',
        failedAt: T0,
        retry: once,
      });
      // A run that held a lapsed lease records its failure late.
      await db.knex('api_token_fault_emails').update({
        gave_up_at: null,
        lease_id: 'late-run',
      });
      await expect(
        outbox.recordFailed({
          leaseId: 'late-run',
          address: OPS,
          error: 'refused',
          failedAt: at(MINUTE),
          retry: once,
        }),
      ).resolves.toEqual([]);

      expect(
        (await db.allFaults()).filter(f => f.kind === 'email-undeliverable'),
      ).toHaveLength(1);
    });

    it('only records for the run that holds the lease', async () => {
      await raiseFaults([at(3 * DAY)], [OPS]);
      await lease('run-1');

      await outbox.recordDelivered({
        leaseId: 'another-run',
        address: OPS,
        deliveredAt: at(MINUTE),
      });

      expect(await db.outboxRows()).toEqual([
        { address: OPS, delivered: false, attempts: 0, lastError: null },
      ]);
    });

    it('does not lease the emails of resolved faults', async () => {
      const [fault] = await raiseFaults([at(3 * DAY)], [OPS]);
      await db.tokens.revokeToken({
        id: fault.tokenId,
        revokedBy: ALICE,
        revokedAt: at(MINUTE),
      });
      await db.faults.resolveFaults(at(MINUTE));

      expect(await lease('run-1', at(HOUR))).toEqual([]);
    });

    it('queues nothing when the transaction rolls back', async () => {
      const [fault] = await raiseFaults([at(3 * DAY)], []);

      await expect(
        db.knex.transaction(async tx => {
          await outbox.enqueue(tx, { faults: [fault], recipients: [OPS] });
          throw new Error('the fault was not raised after all');
        }),
      ).rejects.toThrow('the fault was not raised after all');

      expect(await db.outboxRows()).toEqual([]);
    });
  },
);
