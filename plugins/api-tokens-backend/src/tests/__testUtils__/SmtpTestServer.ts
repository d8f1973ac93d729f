import { simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerError } from 'smtp-server';

/** A message the test server accepted, as the recipient would read it. */
export interface ReceivedEmail {
  /** The envelope sender. */
  from: string;
  /** The envelope recipients the server accepted. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId?: string;
}

function smtpError(responseCode: number, message: string): SMTPServerError {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * A real SMTP server in the test process (smtp-server on 127.0.0.1), which
 * parses what it accepts with mailparser. Tests can refuse recipients (RCPT
 * TO) or whole messages (DATA) with the reply code a real server would use.
 */
export class SmtpTestServer {
  /** Every message accepted so far, in order. */
  readonly received: ReceivedEmail[] = [];
  /** Every RCPT TO the server saw, accepted or not. */
  readonly recipientAttempts: string[] = [];
  /** Addresses refused at RCPT TO, with the reply (e.g. 550). */
  readonly refusedRecipients = new Map<
    string,
    { responseCode: number; message: string }
  >();
  /** When set, the next messages are refused after DATA with this reply. */
  refuseData?: { responseCode: number; message: string; times: number };
  /** Credentials clients logged in with. */
  readonly logins: Array<{ username?: string; password?: string | null }> = [];

  private readonly server: SMTPServer;
  private listeningPort = 0;

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onAuth: (auth, _session, callback) => {
        this.logins.push({ username: auth.username, password: auth.password });
        callback(null, { user: auth.username });
      },
      onRcptTo: (address, _session, callback) => {
        this.recipientAttempts.push(address.address);
        const refusal = this.refusedRecipients.get(address.address);
        callback(
          refusal ? smtpError(refusal.responseCode, refusal.message) : null,
        );
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const refusal = this.refuseData;
          if (refusal && refusal.times > 0) {
            refusal.times -= 1;
            callback(smtpError(refusal.responseCode, refusal.message));
            return;
          }
          // Reply 250 only once the message is recorded, as a real server
          // replies only once it has queued it.
          simpleParser(Buffer.concat(chunks)).then(
            parsed => {
              this.received.push({
                from: session.envelope.mailFrom
                  ? session.envelope.mailFrom.address
                  : '',
                to: session.envelope.rcptTo.map(rcpt => rcpt.address),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                messageId: parsed.messageId,
              });
              callback();
            },
            error => callback(error),
          );
        });
      },
    });
  }

  /** The port the server listens on, on 127.0.0.1. */
  get port(): number {
    return this.listeningPort;
  }

  /**
   * Starts a server on `port`, or on a free port when none is given.
   * STARTTLS is disabled: the server's certificate would be self-signed.
   */
  static async start(options: { port?: number } = {}): Promise<SmtpTestServer> {
    const instance = new SmtpTestServer();
    await new Promise<void>((resolve, reject) => {
      instance.server.once('error', reject);
      instance.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    instance.listeningPort = (
      instance.server.server.address() as AddressInfo
    ).port;
    return instance;
  }

  /**
   * A port on 127.0.0.1 where nothing listens (a server that is down); a
   * test may start a server on it later.
   */
  static async freePort(): Promise<number> {
    const probe = await SmtpTestServer.start();
    await probe.close();
    return probe.port;
  }

  /** The messages accepted for one address. */
  receivedBy(address: string): ReceivedEmail[] {
    return this.received.filter(email => email.to.includes(address));
  }

  async close(): Promise<void> {
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }
}
