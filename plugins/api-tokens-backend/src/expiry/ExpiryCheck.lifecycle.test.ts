import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createHash, randomUUID } from 'node:crypto';
import {
  BOB,
  createExpiryCheck,
  DAY,
  ExpiryTestDatabase,
  HOUR,
  RecordingNotificationService,
  TestClock,
} from '../tests/__testUtils__/expiryFixtures';
import { SmtpTestServer } from '../tests/__testUtils__/SmtpTestServer';
import { EmailSender, SmtpEmailSender } from './EmailSender';

// The expiry check and the token lifecycle: who still uses a token, and
// rotated tokens.

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const T0 = new Date('2027-03-01T09:00:00.000Z');
const OPS = 'ops@example.com';

function smtpSender(port: number): EmailSender {
  return SmtpEmailSender.fromConfig(
    new ConfigReader({
      apiTokens: {
        notifications: {
          email: {
            from: 'Backstage <backstage@example.com>',
            smtp: { host: '127.0.0.1', port },
          },
        },
      },
    }),
  )!;
}

describe.each(databases.eachSupportedId())(
  'ExpiryCheck and the token lifecycle on %s',
  databaseId => {
    let db: ExpiryTestDatabase;
    let clock: TestClock;
    let server: SmtpTestServer | undefined;

    beforeAll(async () => {
      db = await ExpiryTestDatabase.create(await databases.init(databaseId));
    });

    beforeEach(async () => {
      await db.clear();
      await db.setSetting('UserTokenExpirationNotificationEmails', OPS);
      clock = new TestClock(T0);
    });

    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    const useFrom = async (
      tokenId: string,
      address: string,
      userAgent: string,
      usedAt: Date,
    ) => {
      await db.tokens.recordUse({ id: tokenId, usedAt, minInterval: 0 });
      await db.tokens.recordClientUse(
        { tokenId, address, userAgent, usedAt },
        { minInterval: 0, keep: 5 },
      );
    };

    it('names the last address and agent of a used token in the email and the owner notice, and says how long others were not used', async () => {
      server = await SmtpTestServer.start();
      const notifications = new RecordingNotificationService();
      const used = await db.createToken({
        name: 'deploy-bot',
        ownerRef: BOB,
        expiresAt: new Date('2027-03-11T17:30:00.000Z'),
      });
      await useFrom(
        used.id,
        '10.9.9.9',
        'python-requests/2.31',
        clock.in(-DAY),
      );
      await useFrom(used.id, '10.1.2.3', 'curl/8.5.0', clock.in(-2 * HOUR));
      const idle = await db.createToken({
        name: 'old-bot',
        ownerRef: BOB,
        expiresAt: new Date('2027-03-12T17:30:00.000Z'),
      });
      await useFrom(idle.id, '10.4.4.4', 'wget', clock.in(-40 * DAY));
      await db.createToken({
        name: 'new-bot',
        ownerRef: BOB,
        expiresAt: new Date('2027-03-13T17:30:00.000Z'),
      });

      await createExpiryCheck({
        db,
        clock,
        notifications,
        emailSender: smtpSender(server.port),
      }).run();

      const [email] = server.receivedBy(OPS);
      expect(email.text).toContain(
        '"deploy-bot" of user:default/bob expires 2027-03-11 17:30 UTC (in 11 days); still used 2 hours ago from 10.1.2.3 (curl/8.5.0)',
      );
      expect(email.text).toContain(
        '"old-bot" of user:default/bob expires 2027-03-12 17:30 UTC (in 12 days); not used for 40 days',
      );
      expect(email.html).toContain(
        '<td>still used 2 hours ago from 10.1.2.3 (curl/8.5.0)</td>',
      );
      const notices = Object.fromEntries(
        notifications.sent.map(n => [n.payload.title, n.payload.description]),
      );
      expect(notices['API token "deploy-bot" expires in 11 days']).toContain(
        'It is still used 2 hours ago from 10.1.2.3 (curl/8.5.0).',
      );
      expect(notices['API token "old-bot" expires in 12 days']).toContain(
        'It is not used for 40 days.',
      );
      expect(notices['API token "new-bot" expires in 13 days']).toContain(
        'It is never used.',
      );
    });

    it('raises no fault and sends nothing for a rotated token, and resolves its open faults', async () => {
      server = await SmtpTestServer.start();
      const check = createExpiryCheck({
        db,
        clock,
        emailSender: smtpSender(server.port),
      });
      const old = await db.createToken({
        name: 'deploy-bot',
        ownerRef: BOB,
        expiresAt: clock.in(10 * DAY),
      });
      const rotatedBefore = await db.createToken({
        name: 'other-bot',
        ownerRef: BOB,
        expiresAt: clock.in(40 * DAY),
      });
      const rotate = (tokenId: string, overlapEndsAt: Date) => {
        const id = randomUUID();
        return db.tokens.rotateToken({
          id: tokenId,
          overlapEndsAt,
          successor: {
            id,
            name: 'successor',
            kind: 'permanent',
            ownerRef: BOB,
            createdBy: 'user:default/alice',
            createdAt: clock.now(),
            expiresAt: clock.in(365 * DAY),
            digest: createHash('sha256').update(id).digest('hex'),
            hint: id.slice(-4),
            scope: null,
          },
        });
      };
      // Rotated with a long overlap: it still expires within the threshold.
      await rotate(rotatedBefore.id, clock.in(5 * DAY));

      const first = await check.run();
      expect(first.raised.map(f => f.tokenId)).toEqual([old.id]);

      // Open faults that rotation could not resolve are resolved by the check.
      await rotate(old.id, clock.in(2 * DAY));
      clock.advance(HOUR);
      const second = await check.run();
      expect(second).toMatchObject({ raised: [], resolved: 1 });
      expect((await db.allFaults()).map(f => f.resolution)).toEqual([
        'rotated',
      ]);
      expect(server.received).toHaveLength(1);
    });
  },
);
