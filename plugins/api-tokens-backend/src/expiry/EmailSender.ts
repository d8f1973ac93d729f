import { Config } from '@backstage/config';
import { createTransport, Transporter } from 'nodemailer';

/** What the SMTP server said about one message. */
export interface EmailDelivery {
  /** Whether the server accepted the message for the recipient. */
  accepted: boolean;
  /** The server's reason when it did not. */
  reason?: string;
}

/** Sends one plain-text message to one recipient. */
export interface EmailSender {
  send(message: {
    to: string;
    subject: string;
    text: string;
    html: string;
  }): Promise<EmailDelivery>;
}

/**
 * Sends email over SMTP with nodemailer, from
 * `apiTokens.notifications.email`. A message counts as delivered only when
 * the server accepted it for the recipient.
 */
export class SmtpEmailSender implements EmailSender {
  /** Returns undefined when no SMTP server is configured. */
  static fromConfig(config: Config): SmtpEmailSender | undefined {
    const email = config.getOptionalConfig('apiTokens.notifications.email');
    if (!email) {
      return undefined;
    }
    const smtp = email.getConfig('smtp');
    const username = smtp.getOptionalString('username');
    return new SmtpEmailSender(
      createTransport({
        host: smtp.getString('host'),
        port: smtp.getNumber('port'),
        secure: smtp.getOptionalBoolean('secure') ?? false,
        auth: username
          ? { user: username, pass: smtp.getOptionalString('password') }
          : undefined,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      }),
      email.getString('from'),
    );
  }

  constructor(
    private readonly transport: Transporter,
    private readonly from: string,
  ) {}

  async send(message: {
    to: string;
    subject: string;
    text: string;
    html: string;
  }): Promise<EmailDelivery> {
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        ...message,
      });
      return info.accepted?.includes(message.to)
        ? { accepted: true }
        : { accepted: false, reason: info.response ?? 'not accepted' };
    } catch (error) {
      return {
        accepted: false,
        reason: error instanceof Error ? error.message : String(error),
      };
    }
  }
}
