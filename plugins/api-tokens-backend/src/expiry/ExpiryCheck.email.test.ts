import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  API_TOKENS_AUDIT_EVENTS,
  ApiTokenFault,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import request from 'supertest';
import {
  ALICE as ADMIN,
  BASE,
  headers,
  startApiTokensBackend,
} from '../__testUtils__/startApiTokensBackend';
import {
  ADMIN_URL,
  BOB,
  createExpiryCheck,
  DAY,
  ExpiryTestDatabase,
  HOUR,
  MINUTE,
  RecordingNotificationService,
  TestClock,
} from '../tests/__testUtils__/expiryFixtures';
import { SmtpTestServer } from '../tests/__testUtils__/SmtpTestServer';
import { EmailDelivery, EmailSender, SmtpEmailSender } from './EmailSender';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const T0 = new Date('2027-03-01T09:00:00.000Z');
const OPS = 'ops@example.com';
const SECURITY = 'security@example.com';
const FROM = 'backstage@example.com';

function smtpSender(port: number): EmailSender {
  return SmtpEmailSender.fromConfig(
    new ConfigReader({
      apiTokens: {
        notifications: {
          email: {
            from: `Backstage <${FROM}>`,
            smtp: { host: '127.0.0.1', port },
          },
        },
      },
    }),
  )!;
}

describe.each(databases.eachSupportedId())(
  'ExpiryCheck emails on %s',
  databaseId => {
    let db: ExpiryTestDatabase;
    let clock: TestClock;
    let server: SmtpTestServer | undefined;

    beforeAll(async () => {
      db = await ExpiryTestDatabase.create(await databases.init(databaseId));
    });

    beforeEach(async () => {
      await db.clear();
      await db.setSetting(
        'UserTokenExpirationNotificationEmails',
        `${OPS};${SECURITY}`,
      );
      clock = new TestClock(T0);
    });

    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('emails each configured address once, listing the token', async () => {
      server = await SmtpTestServer.start();
      const token = await db.createToken({
        name: 'deploy-bot',
        ownerRef: BOB,
        expiresAt: new Date('2027-03-11T17:30:00.000Z'),
      });
      const check = createExpiryCheck({
        db,
        clock,
        emailSender: smtpSender(server.port),
      });

      const result = await check.run();

      expect(result.raised).toEqual([
        expect.objectContaining({ tokenId: token.id }),
      ]);
      expect(result.emailedTo.sort()).toEqual([OPS, SECURITY]);
      expect(result.emailFailures).toEqual([]);
      for (const address of [OPS, SECURITY]) {
        const received = server.receivedBy(address);
        expect(received).toHaveLength(1);
        const [email] = received;
        expect(email.from).toBe(FROM);
        expect(email.to).toEqual([address]);
        expect(email.subject).toBe('API token "deploy-bot" expires in 11 days');
        expect(email.text).toContain(
          '"deploy-bot" of user:default/bob expires 2027-03-11 17:30 UTC (in 11 days)',
        );
        expect(email.text).toContain(ADMIN_URL);
        expect(email.html).toContain('deploy-bot');
        expect(email.html).toContain(`href="${ADMIN_URL}"`);
      }

      clock.advance(HOUR);
      const again = await check.run();
      expect(again).toMatchObject({ raised: [], emailedTo: [] });
      expect(server.received).toHaveLength(2);
      expect(await db.outboxRows()).toEqual([
        { address: OPS, delivered: true, attempts: 1, lastError: null },
        { address: SECURITY, delivered: true, attempts: 1, lastError: null },
      ]);
    });

    it('lists every token due in one run in a single message per address', async () => {
      server = await SmtpTestServer.start();
      await db.createToken({ name: 'first', expiresAt: clock.in(3 * DAY) });
      await db.createToken({ name: 'second', expiresAt: clock.in(9 * DAY) });
      const check = createExpiryCheck({
        db,
        clock,
        emailSender: smtpSender(server.port),
      });

      await check.run();

      const [email] = server.receivedBy(OPS);
      expect(server.receivedBy(OPS)).toHaveLength(1);
      expect(email.subject).toBe('2 API tokens expire soon');
      expect(email.text).toMatch(
        /"first".*in 3 days[\s\S]*"second".*in 9 days/,
      );
    });

    it('sends nothing and queues nothing when no address is configured', async () => {
      server = await SmtpTestServer.start();
      await db.settings.deleteSetting('UserTokenExpirationNotificationEmails');
      await db.createToken({ expiresAt: clock.in(3 * DAY) });
      const check = createExpiryCheck({
        db,
        clock,
        emailSender: smtpSender(server.port),
      });

      const result = await check.run();

      expect(result.raised).toHaveLength(1);
      expect(result.emailedTo).toEqual([]);
      expect(server.recipientAttempts).toEqual([]);
      expect(await db.outboxRows()).toEqual([]);
    });

    it('uses the app-config default addresses until an admin sets them', async () => {
      server = await SmtpTestServer.start();
      await db.settings.deleteSetting('UserTokenExpirationNotificationEmails');
      await db.createToken({ expiresAt: clock.in(3 * DAY) });
      const check = createExpiryCheck({
        db,
        clock,
        emailSender: smtpSender(server.port),
        config: {
          apiTokens: { notifications: { defaultEmails: 'audit@example.com' } },
        },
      });

      expect((await check.run()).emailedTo).toEqual(['audit@example.com']);
      expect(server.receivedBy('audit@example.com')).toHaveLength(1);
    });

    it('retries when the SMTP server was down, sending each address one message in total', async () => {
      const port = await SmtpTestServer.freePort();
      await db.createToken({ expiresAt: clock.in(10 * DAY) });
      const check = createExpiryCheck({
        db,
        clock,
        emailSender: smtpSender(port),
      });

      const down = await check.run();

      expect(down.raised).toHaveLength(1);
      expect(down.emailedTo).toEqual([]);
      expect(down.emailFailures).toEqual(
        expect.arrayContaining([
          { address: OPS, reason: expect.stringMatching(/ECONNREFUSED/) },
          { address: SECURITY, reason: expect.stringMatching(/ECONNREFUSED/) },
        ]),
      );
      expect(down.emailFailures).toHaveLength(2);
      expect(await db.outboxRows()).toEqual([
        expect.objectContaining({
          address: OPS,
          delivered: false,
          attempts: 1,
        }),
        expect.objectContaining({
          address: SECURITY,
          delivered: false,
          attempts: 1,
        }),
      ]);

      server = await SmtpTestServer.start({ port });
      clock.advance(HOUR);
      const up = await check.run();

      expect(up.raised).toEqual([]);
      expect(up.emailedTo.sort()).toEqual([OPS, SECURITY]);
      expect(up.emailFailures).toEqual([]);

      clock.advance(HOUR);
      await check.run();
      expect(server.receivedBy(OPS)).toHaveLength(1);
      expect(server.receivedBy(SECURITY)).toHaveLength(1);
      expect(server.received).toHaveLength(2);
    });

    it("reports a refused address with the server's reason, delivers to the other, and retries the refused one", async () => {
      server = await SmtpTestServer.start();
      server.refusedRecipients.set(SECURITY, {
        responseCode: 550,
        message: 'Mailbox security@example.com unavailable',
      });
      await db.createToken({ expiresAt: clock.in(10 * DAY) });
      const auditor = mockServices.auditor.mock();
      const check = createExpiryCheck({
        db,
        clock,
        auditor,
        emailSender: smtpSender(server.port),
      });

      const first = await check.run();

      expect(first.emailedTo).toEqual([OPS]);
      expect(first.emailFailures).toEqual([
        {
          address: SECURITY,
          reason: expect.stringContaining(
            'Mailbox security@example.com unavailable',
          ),
        },
      ]);
      expect(first.emailFailures[0].reason).toContain('550');
      expect(server.receivedBy(OPS)).toHaveLength(1);
      expect(server.receivedBy(SECURITY)).toHaveLength(0);
      expect(await db.outboxRows()).toEqual([
        { address: OPS, delivered: true, attempts: 1, lastError: null },
        {
          address: SECURITY,
          delivered: false,
          attempts: 1,
          lastError: expect.stringContaining('unavailable'),
        },
      ]);
      const emailEvents = auditor.createEvent.mock.calls.filter(
        ([options]) => options.eventId === API_TOKENS_AUDIT_EVENTS.emailSend,
      );
      expect(
        emailEvents.map(([options]) => options.meta?.address).sort(),
      ).toEqual([OPS, SECURITY]);

      clock.advance(HOUR);
      const second = await check.run();
      expect(second.emailedTo).toEqual([]);
      expect(second.emailFailures).toEqual([
        { address: SECURITY, reason: expect.stringContaining('550') },
      ]);
      expect(
        server.recipientAttempts.filter(address => address === SECURITY),
      ).toHaveLength(2);

      server.refusedRecipients.clear();
      clock.advance(HOUR);
      const third = await check.run();
      expect(third.emailedTo).toEqual([SECURITY]);
      expect(server.receivedBy(SECURITY)).toHaveLength(1);
      expect(server.receivedBy(OPS)).toHaveLength(1);
    });

    it('counts an email as sent only once the server accepted the message', async () => {
      server = await SmtpTestServer.start();
      server.refuseData = {
        responseCode: 451,
        message: 'Local error in processing',
        times: 2,
      };
      await db.createToken({ expiresAt: clock.in(10 * DAY) });
      const check = createExpiryCheck({
        db,
        clock,
        emailSender: smtpSender(server.port),
      });

      const refused = await check.run();
      expect(refused.emailedTo).toEqual([]);
      expect(refused.emailFailures).toHaveLength(2);
      expect(refused.emailFailures[0].reason).toContain(
        'Local error in processing',
      );
      expect(
        (await db.outboxRows()).filter(email => email.delivered),
      ).toHaveLength(0);

      clock.advance(HOUR);
      const accepted = await check.run();
      expect(accepted.emailedTo.sort()).toEqual([OPS, SECURITY]);
      expect(server.receivedBy(OPS)).toHaveLength(1);
      expect(server.receivedBy(SECURITY)).toHaveLength(1);
    });

    it('does not email about a fault whose token was revoked before the email went out', async () => {
      const port = await SmtpTestServer.freePort();
      const token = await db.createToken({ expiresAt: clock.in(10 * DAY) });
      const check = createExpiryCheck({
        db,
        clock,
        emailSender: smtpSender(port),
      });
      expect((await check.run()).emailFailures).toHaveLength(2);

      await db.tokens.revokeToken({
        id: token.id,
        revokedBy: 'user:default/admin',
        revokedAt: clock.advance(HOUR),
      });
      server = await SmtpTestServer.start({ port });
      const result = await check.run();

      expect(result).toMatchObject({ resolved: 1, emailedTo: [] });
      expect(server.recipientAttempts).toEqual([]);
    });

    it('completes the emails of a run that died after claiming them, once its lease lapsed', async () => {
      server = await SmtpTestServer.start();
      const token = await db.createToken({ expiresAt: clock.in(10 * DAY) });
      // A run raised the fault, claimed its emails and died before sending.
      await db.faults.raiseFaults({
        tokens: [token],
        thresholdDays: 15,
        raisedAt: clock.now(),
        emailRecipients: [OPS, SECURITY],
      });
      const claimed = await db.outbox.claimPending({
        leaseId: 'crashed-run',
        now: clock.now(),
        leaseUntil: clock.in(10 * MINUTE),
      });
      expect(claimed.map(pending => pending.address)).toEqual([OPS, SECURITY]);
      const check = createExpiryCheck({
        db,
        clock,
        emailSender: smtpSender(server.port),
      });

      clock.advance(5 * MINUTE);
      const leased = await check.run();
      expect(leased).toMatchObject({ raised: [], emailedTo: [] });
      expect(server.received).toEqual([]);

      clock.advance(5 * MINUTE + 1000);
      const completed = await check.run();
      expect(completed.raised).toEqual([]);
      expect(completed.emailedTo.sort()).toEqual([OPS, SECURITY]);

      clock.advance(HOUR);
      await check.run();
      expect(server.receivedBy(OPS)).toHaveLength(1);
      expect(server.receivedBy(SECURITY)).toHaveLength(1);
    });

    it('sends no duplicate to an address a crashed run had already delivered to', async () => {
      server = await SmtpTestServer.start();
      await db.createToken({ expiresAt: clock.in(10 * DAY) });
      const smtp = smtpSender(server.port);
      // Delivers the first message, then the process "dies" mid-run.
      let sends = 0;
      const dyingSender: EmailSender = {
        async send(message): Promise<EmailDelivery> {
          sends += 1;
          if (sends > 1) {
            throw new Error('process killed');
          }
          return smtp.send(message);
        },
      };
      const crashing = createExpiryCheck({
        db,
        clock,
        emailSender: dyingSender,
      });
      await expect(crashing.run()).rejects.toThrow('process killed');
      expect(server.received).toHaveLength(1);
      const [deliveredTo] = server.received[0].to;

      const check = createExpiryCheck({ db, clock, emailSender: smtp });
      clock.advance(MINUTE);
      expect((await check.run()).emailedTo).toEqual([]);

      clock.advance(10 * MINUTE);
      const completed = await check.run();
      expect(completed.emailedTo).toEqual([
        deliveredTo === OPS ? SECURITY : OPS,
      ]);
      expect(server.receivedBy(OPS)).toHaveLength(1);
      expect(server.receivedBy(SECURITY)).toHaveLength(1);
    });

    it('sends nothing about temporary tokens: no fault, no owner notice, no email', async () => {
      server = await SmtpTestServer.start();
      const notifications = new RecordingNotificationService();
      // Any signed-in user mints temporary tokens, named as they like, and
      // each expires within the nearest threshold.
      await db.createToken({
        kind: 'temporary',
        ownerRef: BOB,
        name: 'URGENT: click http://evil.example/reset to renew',
        expiresAt: clock.in(8 * HOUR),
      });
      for (let i = 0; i < 50; i++) {
        await db.createToken({
          kind: 'temporary',
          ownerRef: BOB,
          name: `spam ${i}`,
          expiresAt: clock.in(8 * HOUR + i),
        });
      }
      await db.setSetting('EnableUserTokenNotification', '15;1');
      const check = createExpiryCheck({
        db,
        clock,
        notifications,
        emailSender: smtpSender(server.port),
      });

      const result = await check.run();
      clock.advance(HOUR);
      await check.run();

      expect(result).toEqual({
        raisedCount: 0,
        raised: [],
        resolved: 0,
        emailedTo: [],
        emailFailures: [],
      });
      expect(await db.allFaults()).toEqual([]);
      expect(await db.outboxRows()).toEqual([]);
      expect(notifications.attempts).toEqual([]);
      expect(server.recipientAttempts).toEqual([]);

      // A permanent token due at the same time still goes through, alone.
      const permanent = await db.createToken({
        name: 'deploy-bot',
        expiresAt: clock.in(8 * HOUR),
      });
      const withPermanent = await check.run();
      expect(withPermanent.raised.map(fault => fault.tokenId)).toEqual([
        permanent.id,
      ]);
      expect(notifications.sent).toHaveLength(1);
      expect(server.received).toHaveLength(2);
      for (const email of server.received) {
        expect(email.subject).toBe('API token "deploy-bot" expires in 8 hours');
        expect(email.text).not.toContain('evil.example');
        expect(email.text).not.toContain('spam');
      }
    });

    it('delivers once to an address whose domain the client lowercases, and never resends it', async () => {
      server = await SmtpTestServer.start();
      const MIXED_CASE = 'Ops@EXAMPLE.COM';
      await db.setSetting('UserTokenExpirationNotificationEmails', MIXED_CASE);
      await db.createToken({ expiresAt: clock.in(10 * DAY) });
      const check = createExpiryCheck({
        db,
        clock,
        emailSender: smtpSender(server.port),
      });

      const results = [];
      for (let run = 0; run < 3; run++) {
        results.push(await check.run());
        clock.advance(DAY);
      }

      // nodemailer sends `Ops@example.com`; the server accepted it.
      expect(server.recipientAttempts).toEqual(['Ops@example.com']);
      expect(server.receivedBy('Ops@example.com')).toHaveLength(1);
      expect(results.map(result => result.emailedTo)).toEqual([
        [MIXED_CASE],
        [],
        [],
      ]);
      expect(results.flatMap(result => result.emailFailures)).toEqual([]);
      expect(await db.outboxRows()).toEqual([
        { address: MIXED_CASE, delivered: true, attempts: 1, lastError: null },
      ]);
    });

    it('tries a refused address maxAttempts (5) times, waiting longer each time, then raises one open fault that admins see on GET /v1/faults', async () => {
      server = await SmtpTestServer.start();
      server.refusedRecipients.set(SECURITY, {
        responseCode: 550,
        message: 'Mailbox security@example.com unavailable',
      });
      const notifications = new RecordingNotificationService();
      const token = await db.createToken({
        name: 'deploy-bot',
        ownerRef: BOB,
        expiresAt: clock.in(10 * DAY),
      });
      const check = createExpiryCheck({
        db,
        clock,
        notifications,
        emailSender: smtpSender(server.port),
      });
      const attemptsAt = () =>
        server!.recipientAttempts.filter(address => address === SECURITY)
          .length;

      await check.run();
      expect(attemptsAt()).toBe(1);
      // The defaults: 5 attempts; 30 minutes after the first failure,
      // doubling after each.
      for (const [attempt, delay] of [
        [2, 30 * MINUTE],
        [3, 60 * MINUTE],
        [4, 120 * MINUTE],
        [5, 240 * MINUTE],
      ]) {
        clock.advance(delay - MINUTE);
        const early = await check.run();
        expect(early.emailFailures).toEqual([]);
        expect(attemptsAt()).toBe(attempt - 1);

        clock.advance(MINUTE);
        const due = await check.run();
        expect(due.emailFailures).toEqual([
          { address: SECURITY, reason: expect.stringContaining('550') },
        ]);
        expect(attemptsAt()).toBe(attempt);
      }
      for (let run = 0; run < 3; run++) {
        clock.advance(DAY);
        await check.run();
      }

      expect(attemptsAt()).toBe(5);
      expect(server.receivedBy(OPS)).toHaveLength(1);
      expect(server.received).toHaveLength(1);
      // The give-up fault notifies nobody: one notice, for the expiry fault.
      expect(notifications.attempts).toHaveLength(1);
      expect(await db.outboxRows()).toEqual([
        { address: OPS, delivered: true, attempts: 1, lastError: null },
        {
          address: SECURITY,
          delivered: false,
          attempts: 5,
          lastError: expect.stringContaining('unavailable'),
        },
      ]);

      const backend = await startApiTokensBackend({ knex: db.knex });
      try {
        const admin = await request(backend.url)
          .get(`${BASE}/v1/faults?status=open`)
          .set(headers.user(ADMIN));
        expect(admin.status).toBe(200);
        const faults: ApiTokenFault[] = admin.body.items;
        expect(faults).toEqual([
          expect.objectContaining({
            kind: 'email-undeliverable',
            emailAddress: SECURITY,
            tokenId: token.id,
            tokenName: 'deploy-bot',
            ownerRef: BOB,
            thresholdDays: 15,
            status: 'open',
            resolution: null,
          }),
          expect.objectContaining({
            kind: 'expiry',
            emailAddress: null,
            tokenId: token.id,
            status: 'open',
          }),
        ]);
        // The owner's own list does not show the admins' address.
        const own = await request(backend.url)
          .get(`${BASE}/v1/tokens/faults`)
          .set(headers.user(BOB));
        expect(own.status).toBe(200);
        expect(own.body.items).toEqual([
          expect.objectContaining({ kind: 'expiry', emailAddress: null }),
        ]);
      } finally {
        await backend.stop();
      }
    });

    it('says on each run that addresses are set but no SMTP server is configured', async () => {
      await db.createToken({ expiresAt: clock.in(3 * DAY) });
      const logger = mockServices.logger.mock();
      const check = createExpiryCheck({ db, clock, logger });

      const result = await check.run();

      expect(result.raised).toHaveLength(1);
      expect(await db.outboxRows()).toEqual([]);
      expect(logger.warn).toHaveBeenCalledWith(
        'Expiry emails are not sent: UserTokenExpirationNotificationEmails is set, ' +
          'but no SMTP server is configured (apiTokens.notifications.email)',
      );
    });

    it('never sends the same email from two runs at once', async () => {
      server = await SmtpTestServer.start();
      for (let i = 0; i < 5; i++) {
        await db.createToken({ expiresAt: clock.in((i + 2) * DAY) });
      }
      const checks = [1, 2, 3].map(() =>
        createExpiryCheck({
          db,
          clock,
          emailSender: smtpSender(server!.port),
        }),
      );

      const results = await Promise.all(checks.map(check => check.run()));

      expect(results.flatMap(result => result.raised)).toHaveLength(5);
      expect(results.flatMap(result => result.emailedTo).sort()).toEqual([
        OPS,
        SECURITY,
      ]);
      expect(server.receivedBy(OPS)).toHaveLength(1);
      expect(server.receivedBy(SECURITY)).toHaveLength(1);
    });
  },
);
