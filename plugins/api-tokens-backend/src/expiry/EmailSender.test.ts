import { ConfigReader } from '@backstage/config';
import { SmtpTestServer } from '../tests/__testUtils__/SmtpTestServer';
import { isSameAddress, SmtpEmailSender } from './EmailSender';

const FROM = 'backstage@example.com';
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

function senderFor(
  port: number,
  smtp: Record<string, unknown> = {},
): SmtpEmailSender {
  const sender = SmtpEmailSender.fromConfig(
    new ConfigReader({
      apiTokens: {
        notifications: {
          email: {
            from: `Backstage <${FROM}>`,
            smtp: { host: '127.0.0.1', port, ...smtp },
          },
        },
      },
    }),
  );
  if (!sender) {
    throw new Error('expected an SMTP sender');
  }
  return sender;
}

const message = (to: string) => ({
  to,
  subject: 'API token "deploy" expires in 3 days',
  text: 'The token expires soon.\n',
  html: '<p>The token expires soon.</p>',
});

describe('SmtpEmailSender', () => {
  let server: SmtpTestServer;

  beforeEach(async () => {
    server = await SmtpTestServer.start();
  });

  afterEach(async () => {
    await server.close();
  });

  it('is absent when no SMTP server is configured', () => {
    expect(SmtpEmailSender.fromConfig(new ConfigReader({}))).toBeUndefined();
    expect(
      SmtpEmailSender.fromConfig(
        new ConfigReader({
          apiTokens: { notifications: { defaultDaysBeforeExpiry: 15 } },
        }),
      ),
    ).toBeUndefined();
  });

  it('delivers one message and reports it accepted', async () => {
    const delivery = await senderFor(server.port).send(message(ALICE));

    expect(delivery).toEqual({ accepted: true });
    expect(server.received).toEqual([
      expect.objectContaining({
        from: FROM,
        to: [ALICE],
        subject: 'API token "deploy" expires in 3 days',
        text: 'The token expires soon.\n',
        html: '<p>The token expires soon.</p>',
      }),
    ]);
  });

  it('reports delivered a message to an address the client rewrote (domain lowercased)', async () => {
    const delivery = await senderFor(server.port).send(
      message('Ops@EXAMPLE.COM'),
    );

    expect(delivery).toEqual({ accepted: true });
    expect(server.recipientAttempts).toEqual(['Ops@example.com']);
    expect(server.receivedBy('Ops@example.com')).toHaveLength(1);
  });

  it('refuses, naming the key, an SMTP host or a sender in .invalid (an unset production variable)', () => {
    const config = (email: Record<string, unknown>) =>
      new ConfigReader({
        apiTokens: {
          notifications: {
            email: {
              from: `Backstage <${FROM}>`,
              smtp: { host: 'smtp.example.com', port: 587 },
              ...email,
            },
          },
        },
      });

    expect(() =>
      SmtpEmailSender.fromConfig(
        config({ smtp: { host: 'smtp-host-is-not-set.invalid', port: 587 } }),
      ),
    ).toThrow(
      'apiTokens.notifications.email.smtp.host is not set: "smtp-host-is-not-set.invalid" is in .invalid, which never resolves. Set apiTokens.notifications.email.smtp.host (SMTP_HOST in app-config.production.yaml)',
    );
    expect(() =>
      SmtpEmailSender.fromConfig(
        config({ from: 'backstage@email-from-is-not-set.invalid' }),
      ),
    ).toThrow(/^apiTokens\.notifications\.email\.from is not set/);
  });

  it('logs in with the configured username and password', async () => {
    const sender = senderFor(server.port, {
      username: 'mailer',
      password: 's3cret',
    });

    await expect(sender.send(message(ALICE))).resolves.toEqual({
      accepted: true,
    });
    expect(server.logins).toEqual([{ username: 'mailer', password: 's3cret' }]);
  });

  it("reports a refused recipient with the server's reason", async () => {
    server.refusedRecipients.set(BOB, {
      responseCode: 550,
      message: 'No such mailbox here',
    });

    const delivery = await senderFor(server.port).send(message(BOB));

    expect(delivery.accepted).toBe(false);
    expect(delivery.reason).toContain('550');
    expect(delivery.reason).toContain('No such mailbox here');
    expect(server.received).toEqual([]);
  });

  it('does not count a message the server refused after DATA', async () => {
    server.refuseData = {
      responseCode: 451,
      message: 'Mailbox temporarily unavailable',
      times: 1,
    };
    const sender = senderFor(server.port);

    const refused = await sender.send(message(ALICE));
    expect(refused.accepted).toBe(false);
    expect(refused.reason).toContain('Mailbox temporarily unavailable');
    expect(server.received).toEqual([]);

    await expect(sender.send(message(ALICE))).resolves.toEqual({
      accepted: true,
    });
    expect(server.receivedBy(ALICE)).toHaveLength(1);
  });

  it('reports a server that is down instead of throwing', async () => {
    const port = await SmtpTestServer.freePort();

    const delivery = await senderFor(port).send(message(ALICE));

    expect(delivery.accepted).toBe(false);
    expect(delivery.reason).toMatch(/ECONNREFUSED/);
  });
});

describe('isSameAddress', () => {
  it.each([
    ['ops@example.com', 'ops@example.com', true],
    ['Ops@EXAMPLE.COM', 'Ops@example.com', true],
    ['ops@bücher.example', 'ops@xn--bcher-kva.example', true],
    // One recipient per message: a looser match only counts a rejection.
    ['Ops@example.com', 'ops@example.com', true],
    ['ops@example.com', 'ops@example.org', false],
    ['ops@example.com', 'sec@example.com', false],
  ])('%s and %s: %s', (a, b, same) => {
    expect(isSameAddress(a, b)).toBe(same);
  });
});
