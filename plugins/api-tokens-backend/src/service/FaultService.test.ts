import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { DAY_MS } from '@nholuongut/backstage-plugin-api-tokens-common';
import {
  ALICE,
  BOB,
  CAROL,
  DAN,
  testPermissions,
} from '../__testUtils__/testPolicy';
import { EmailDelivery, EmailSender } from '../expiry/EmailSender';
import {
  createExpiryCheck,
  ExpiryTestDatabase,
  RecordingNotificationService,
  TestClock,
} from '../tests/__testUtils__/expiryFixtures';
import { Authorizer } from './Authorizer';
import { Caller, Request } from './Caller';
import { FaultService } from './FaultService';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const caller = (userRef: string): Caller => ({
  credentials: mockCredentials.user(userRef),
  request: { headers: {} } as unknown as Request,
});

describe.each(databases.eachSupportedId())('FaultService on %s', databaseId => {
  let db: ExpiryTestDatabase;
  let faults: FaultService;

  beforeAll(async () => {
    db = await ExpiryTestDatabase.create(await databases.init(databaseId));
  });

  beforeEach(async () => {
    await db.clear();
    const clock = new TestClock(new Date());
    faults = new FaultService({
      ledger: db.faults,
      expiryCheck: createExpiryCheck({ db, clock }),
      authorizer: new Authorizer(testPermissions),
      auditor: mockServices.auditor.mock(),
    });
  });

  it('runs the check for admins, and shows each user the faults of their own tokens', async () => {
    const bobs = await db.createToken({
      ownerRef: BOB,
      expiresAt: new Date(Date.now() + 3 * DAY_MS),
    });
    await db.createToken({
      ownerRef: CAROL,
      expiresAt: new Date(Date.now() + 3 * DAY_MS),
    });

    await expect(faults.runExpiryCheck(caller(BOB))).rejects.toThrow(
      NotAllowedError,
    );
    const result = await faults.runExpiryCheck(caller(ALICE));
    expect(result.raised).toHaveLength(2);

    expect(
      (await faults.listOwn(caller(BOB))).map(fault => fault.tokenId),
    ).toEqual([bobs.id]);
  });

  it('lets a reader of faults read them but not run the check, which writes faults and sends emails', async () => {
    await db.createToken({
      ownerRef: BOB,
      expiresAt: new Date(Date.now() + 3 * DAY_MS),
    });

    await expect(faults.runExpiryCheck(caller(DAN))).rejects.toThrow(
      new NotAllowedError(
        'You are not allowed to do this (api-tokens.faults.run)',
      ),
    );
    expect((await faults.list(caller(DAN), {})).items).toEqual([]);

    await faults.runExpiryCheck(caller(ALICE));
    expect((await faults.list(caller(DAN), {})).items).toHaveLength(1);
  });

  it('lists every fault for admins, by owner and status', async () => {
    await db.createToken({
      ownerRef: BOB,
      expiresAt: new Date(Date.now() + 3 * DAY_MS),
    });
    await faults.runExpiryCheck(caller(ALICE));

    const all = await faults.list(caller(ALICE), {});
    expect(all.items).toHaveLength(1);
    expect(
      (await faults.list(caller(ALICE), { ownerRef: 'bob', status: 'open' }))
        .items,
    ).toEqual(all.items);
    expect(
      (await faults.list(caller(ALICE), { ownerRef: CAROL })).items,
    ).toEqual([]);
    await expect(
      faults.list(caller(ALICE), { ownerRef: 'group:default/admins' }),
    ).rejects.toThrow(
      new InputError('ownerRef must refer to a User, not a group'),
    );
    await expect(faults.list(caller(BOB), {})).rejects.toThrow(NotAllowedError);
  });

  describe('acknowledge', () => {
    /** An SMTP stand-in that accepts or refuses every message. */
    class SwitchableSender implements EmailSender {
      accept = false;
      readonly accepted: string[] = [];
      async send(message: { to: string }): Promise<EmailDelivery> {
        if (!this.accept) return { accepted: false, reason: '451 try later' };
        this.accepted.push(message.to);
        return { accepted: true };
      }
    }

    async function setUpPendingFault() {
      const clock = new TestClock(new Date());
      const notifications = new RecordingNotificationService();
      notifications.failWith = new Error('no notifications backend');
      const sender = new SwitchableSender();
      const auditor = mockServices.auditor.mock();
      const service = new FaultService({
        ledger: db.faults,
        expiryCheck: createExpiryCheck({
          db,
          clock,
          notifications,
          emailSender: sender,
        }),
        authorizer: new Authorizer(testPermissions),
        auditor,
        now: clock.now,
      });
      await db.setSetting(
        'UserTokenExpirationNotificationEmails',
        'ops@example.com',
      );
      await db.createToken({
        ownerRef: BOB,
        expiresAt: new Date(Date.now() + 3 * DAY_MS),
      });
      const { raised } = await service.runExpiryCheck(caller(ALICE));
      // Neither the email nor the notice went out; both are due again later.
      expect(raised).toHaveLength(1);
      sender.accept = true;
      notifications.failWith = undefined;
      clock.advance(DAY_MS);
      return {
        service,
        clock,
        notifications,
        sender,
        auditor,
        fault: raised[0],
      };
    }

    it('without it, the next run sends the email and the notice', async () => {
      const { service, notifications, sender } = await setUpPendingFault();
      await service.runExpiryCheck(caller(ALICE));
      expect(sender.accepted).toEqual(['ops@example.com']);
      expect(notifications.sent).toHaveLength(1);
    });

    it('stops the emails and notices of an open fault and records who and when', async () => {
      const { service, clock, notifications, sender, auditor, fault } =
        await setUpPendingFault();
      const acknowledged = await service.acknowledge(caller(ALICE), fault.id);
      expect(acknowledged).toMatchObject({
        id: fault.id,
        status: 'open',
        acknowledgedBy: ALICE,
        acknowledgedAt: clock.now(),
      });
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'fault-acknowledge',
          meta: { faultId: fault.id },
        }),
      );

      await service.runExpiryCheck(caller(ALICE));
      expect(sender.accepted).toEqual([]);
      expect(notifications.sent).toEqual([]);

      // Acknowledging again keeps the first acknowledgement.
      clock.advance(1000);
      const again = await service.acknowledge(caller(ALICE), fault.id);
      expect(again.acknowledgedAt).toEqual(acknowledged.acknowledgedAt);
    });

    it('takes the permission, an existing fault, and an open one', async () => {
      const { service, fault } = await setUpPendingFault();
      await expect(service.acknowledge(caller(DAN), fault.id)).rejects.toThrow(
        new NotAllowedError(
          'You are not allowed to do this (api-tokens.faults.update)',
        ),
      );
      await expect(
        service.acknowledge(
          caller(ALICE),
          '00000000-0000-4000-8000-000000000000',
        ),
      ).rejects.toThrow(NotFoundError);
      await db.knex('api_token_faults').update({ status: 'resolved' });
      await expect(
        service.acknowledge(caller(ALICE), fault.id),
      ).rejects.toThrow(
        new InputError('Only an open fault can be acknowledged'),
      );
    });
  });
});
