import { Config } from '@backstage/config';
import { parseNotificationEmails } from '@nholuongut/backstage-plugin-api-tokens-common';
import { domainToASCII } from 'node:url';
import { createTransport, Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

/**
 * What the SMTP server said about one message.
 *
 * @alpha
 */
export interface EmailDelivery {
  /** Whether the server accepted the message for the recipient. */
  accepted: boolean;
  /** The server's reason when it did not. */
  reason?: string;
}

/**
 * Sends one plain-text message to one recipient.
 *
 * @alpha
 */
export interface EmailSender {
  send(message: {
    to: string;
    subject: string;
    text: string;
    html: string;
  }): Promise<EmailDelivery>;
}

const EMAIL = 'apiTokens.notifications.email';
const HOST_KEY = `${EMAIL}.smtp.host`;
const PORT_KEY = `${EMAIL}.smtp.port`;
const FROM_KEY = `${EMAIL}.from`;
const DEFAULT_EMAILS_KEY = 'apiTokens.notifications.defaultEmails';

/** A value for a startup message: quoted, and cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

// A host name, an IPv4 address or an IPv6 address (bracketed or not).
const HOST =
  /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[?[0-9A-Fa-f:.]+\]?)$/;

function readHost(config: Config): string {
  const host = config.getOptional(HOST_KEY);
  if (host === undefined || (typeof host === 'string' && !host.trim())) {
    throw new Error(
      `${HOST_KEY} is not set, but ${EMAIL} is: expiry emails need an SMTP server. ` +
        `Set ${HOST_KEY} (SMTP_HOST in app-config.production.yaml)`,
    );
  }
  if (typeof host !== 'string' || !HOST.test(host.trim())) {
    throw new Error(
      `${HOST_KEY} must be a host name or IP address, got ${shown(host)}`,
    );
  }
  if (isInvalidDomain(host)) {
    throw new Error(
      `${HOST_KEY} is not set: ${shown(
        host,
      )} is in .invalid, which never resolves. ` +
        `Set ${HOST_KEY} (SMTP_HOST in app-config.production.yaml)`,
    );
  }
  return host.trim();
}

/**
 * Whether a host name is in `.invalid`, the top-level domain that never
 * resolves (RFC 6761): the production config's fallback for a variable
 * that is not set.
 */
function isInvalidDomain(host: string): boolean {
  return /(^|\.)invalid\.?$/i.test(host.trim());
}

function readPort(config: Config): number {
  // A number, or a string from an environment variable.
  const value = config.getOptional(PORT_KEY);
  let port = NaN;
  if (typeof value === 'number') {
    port = value;
  } else if (typeof value === 'string' && value.trim()) {
    port = Number(value);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(
      `${PORT_KEY} must be a port number from 1 to 65535, got ${shown(value)}`,
    );
  }
  return port;
}

/** The sender, e.g. `Backstage <backstage@example.com>` or a bare address. */
function readFrom(config: Config): string {
  const from = config.getOptional(FROM_KEY);
  const text = typeof from === 'string' ? from.trim() : '';
  const address = text.match(/<([^<>]*)>$/)?.[1] ?? text;
  let valid = false;
  try {
    valid = parseNotificationEmails(address).length === 1;
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new Error(
      `${FROM_KEY} must be an address, like 'Backstage <backstage@example.com>', got ${shown(
        from,
      )}`,
    );
  }
  if (isInvalidDomain(address.slice(address.lastIndexOf('@') + 1))) {
    throw new Error(
      `${FROM_KEY} is not set: ${shown(
        from,
      )} is in .invalid, which never resolves. ` +
        `Set ${FROM_KEY} (EMAIL_FROM in app-config.production.yaml)`,
    );
  }
  return text;
}

/**
 * Whether two addresses name the same mailbox as far as the delivery
 * verdict goes. Nodemailer lowercases the domain and converts it to
 * punycode before it talks to the server, so the domain is compared that
 * way. The local part is compared without case too: RFC 5321 lets a server
 * treat it as case-sensitive, but each message has one recipient, so any
 * address the server rejected is ours, and a looser match can only count a
 * rejection (never a refused email as delivered).
 */
export function isSameAddress(a: string, b: string): boolean {
  const normalize = (address: string) => {
    const at = address.lastIndexOf('@');
    if (at < 0) {
      return address.toLowerCase();
    }
    const domain = address.slice(at + 1).toLowerCase();
    return `${address.slice(0, at).toLowerCase()}@${
      domainToASCII(domain) || domain
    }`;
  };
  return normalize(a.trim()) === normalize(b.trim());
}

/**
 * Sends email over SMTP with nodemailer, from
 * `apiTokens.notifications.email`. A message counts as delivered unless
 * sending threw (the connection failed, the server refused the message, or
 * refused every recipient) or the server rejected the recipient.
 */
export class SmtpEmailSender implements EmailSender {
  /**
   * Returns undefined when no SMTP server is configured. Throws, naming the
   * key, when `apiTokens.notifications.email` is configured without a
   * usable host, port or sender, or when default addresses are configured
   * without it: the backend does not start with emails that can never go
   * out.
   */
  static fromConfig(config: Config): SmtpEmailSender | undefined {
    if (!config.has(EMAIL)) {
      if (config.has(DEFAULT_EMAILS_KEY)) {
        throw new Error(
          `${DEFAULT_EMAILS_KEY} is set, but ${HOST_KEY} is not: expiry emails need an SMTP server. ` +
            `Configure ${EMAIL} (from and smtp), or remove ${DEFAULT_EMAILS_KEY}`,
        );
      }
      return undefined;
    }
    const host = readHost(config);
    const port = readPort(config);
    const from = readFrom(config);
    const smtp = config.getConfig(`${EMAIL}.smtp`);
    const username = smtp.getOptionalString('username');
    return new SmtpEmailSender(
      createTransport({
        host,
        port,
        secure: smtp.getOptionalBoolean('secure') ?? false,
        requireTLS: smtp.getOptionalBoolean('requireTls') ?? false,
        auth: username
          ? { user: username, pass: smtp.getOptionalString('password') }
          : undefined,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      }),
      from,
    );
  }

  constructor(
    private readonly transport: Transporter<SMTPTransport.SentMessageInfo>,
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
      // Not `info.accepted`: nodemailer reports the address as it sent it
      // (domain lowercased, punycode), which need not equal ours byte for
      // byte. A message whose only recipient is refused throws; a refusal
      // that does not is in `rejected`.
      const rejected = (info.rejected ?? []).map((address: unknown) =>
        typeof address === 'string'
          ? address
          : String((address as { address?: string }).address),
      );
      if (rejected.some(address => isSameAddress(address, message.to))) {
        return {
          accepted: false,
          reason: 'the SMTP server rejected the recipient',
        };
      }
      return { accepted: true };
    } catch (error) {
      return {
        accepted: false,
        reason: error instanceof Error ? error.message : String(error),
      };
    }
  }
}
