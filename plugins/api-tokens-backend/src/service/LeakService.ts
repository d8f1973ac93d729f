import { ApiTokenRevocationSignal } from '@nholuongut/backstage-plugin-api-tokens-node';
import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError, toError } from '@backstage/errors';
import {
  API_TOKEN_PREFIX,
  API_TOKENS_AUDIT_EVENTS,
  apiTokensReadPermission,
  isWellFormedApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { createHash } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';
import { LeakCandidate, LeakStore } from '../database/LeakStore';
import { audited } from './audited';
import { Authorizer } from './Authorizer';
import { Caller, Request } from './Caller';
import { PayloadTooLargeError } from './requestChecks';
import { LeakReporter, LeakReportVerifier } from './LeakReportVerifier';
import { TokenDigester } from './TokenDigester';

/** The most values one leak report may carry. */
export const MAX_LEAK_REPORT_VALUES = 1000;
/** The largest leak report body, in bytes. */
export const MAX_LEAK_REPORT_BYTES = 1024 * 1024;
/** The longest leak address kept; a longer one is cut. */
const MAX_LEAK_URL_LENGTH = 2048;

/** One value a secret scanner found, in GitHub's partner format. */
export interface LeakReportItem {
  token: string;
  type: string;
  url?: string;
  source?: string;
}

/** The answer about one reported value, in GitHub's partner format. */
export interface LeakVerdict {
  /** SHA-256 hex of the reported value; the value itself is never repeated. */
  token_hash: string;
  token_type: string;
  label: 'true_positive' | 'false_positive';
}

/** A report whose signature checked out, ready for the spec's validator. */
export interface AuthenticatedLeakReport {
  reporter: LeakReporter;
  /** The parsed body: a JSON array of at most {@link MAX_LEAK_REPORT_VALUES}. */
  body: unknown;
}

/** @internal */
export interface LeakServiceOptions {
  store: LeakStore;
  verifier: LeakReportVerifier;
  digester: TokenDigester;
  authorizer: Authorizer;
  auditor: AuditorService;
  logger: LoggerService;
  /** Who gets the admins' email about a leak; none without an SMTP server. */
  emailRecipients: () => Promise<string[]>;
  /** Sends the owner notices and emails that are due (the expiry check's). */
  deliverNotices: () => Promise<void>;
  /** Tells the token handlers of every replica that tokens were revoked. */
  revocations: Pick<ApiTokenRevocationSignal, 'announce'>;
  now?: () => Date;
}

const sha256 = (value: string) =>
  createHash('sha256').update(value).digest('hex');

/** What `revokedBy` says of a token a leak report revoked. */
function revokedByOf(reporter: LeakReporter): string {
  return `leak-report:${reporter.scheme}`;
}

/**
 * Where a token was found, as it is kept: without control characters,
 * without any API token it might contain, and at most 2,048 characters.
 */
export function cleanLeakUrl(url: string | undefined): string {
  const cleaned = (url ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(
      new RegExp(`${API_TOKEN_PREFIX}[0-9A-Za-z]+`, 'g'),
      `${API_TOKEN_PREFIX}[redacted]`,
    )
    .trim();
  if (!cleaned) {
    return 'an unknown address';
  }
  return cleaned.length > MAX_LEAK_URL_LENGTH
    ? `${cleaned.slice(0, MAX_LEAK_URL_LENGTH - 1)}…`
    : cleaned;
}

/**
 * Incident response: leak reports from secret scanners, which revoke the
 * reported tokens and tell everyone who must know, and the admins' lookup
 * of a token value. Reported values are digested at once: neither they nor
 * anything derived from them but digests is logged, stored or answered.
 */
export class LeakService {
  private readonly now: () => Date;

  constructor(private readonly options: LeakServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Checks a report's signature over its raw body and parses it; throws
   * `AuthenticationError` (401) for an unsigned or wrongly signed report,
   * recorded by the auditor as a failed report, 400 for a body that is not
   * JSON and 413 for more than {@link MAX_LEAK_REPORT_VALUES} values.
   */
  async authenticate(
    rawBody: Buffer,
    headers: IncomingHttpHeaders,
    request: Request,
  ): Promise<AuthenticatedLeakReport> {
    let reporter: LeakReporter;
    try {
      reporter = this.options.verifier.verify(rawBody, headers);
    } catch (error) {
      const event = await this.options.auditor.createEvent({
        eventId: API_TOKENS_AUDIT_EVENTS.leakReport,
        request,
        severityLevel: 'medium',
        meta: { bytes: rawBody.length },
      });
      await event.fail({ error: toError(error) });
      throw error;
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new InputError('Request body must be valid JSON');
    }
    if (Array.isArray(body) && body.length > MAX_LEAK_REPORT_VALUES) {
      throw new PayloadTooLargeError(
        `A leak report may carry at most ${MAX_LEAK_REPORT_VALUES} values`,
      );
    }
    return { reporter, body };
  }

  /**
   * Acts on a signed report: each reported value that is one of our active
   * tokens is revoked at once (reason `leaked`, the address kept), with one
   * open `leaked` fault, a notice to its owner and an email to the admins'
   * list, each exactly once however often the report arrives. Answers each
   * value's SHA-256 with `true_positive` for our tokens that were active,
   * or had already been revoked by a leak report (so that a repeated report
   * gets the same answer), and `false_positive` for everything else.
   */
  async report(
    reporter: LeakReporter,
    items: LeakReportItem[],
    request: Request,
  ): Promise<LeakVerdict[]> {
    const { store, digester, auditor, logger } = this.options;
    const event = await auditor.createEvent({
      eventId: API_TOKENS_AUDIT_EVENTS.leakReport,
      request,
      severityLevel: 'high',
      meta: { ...reporter, values: items.length },
    });
    try {
      // Digests only, from here on.
      const reported = items.map(item => ({
        hash: sha256(item.token),
        digest: isWellFormedApiToken(item.token)
          ? digester.digest(item.token)
          : undefined,
        type: item.type,
        url: cleanLeakUrl(item.url),
      }));
      const candidates = new Map<string, LeakCandidate>(
        (
          await store.findTokensByDigests(
            reported.flatMap(value => (value.digest ? [value.digest] : [])),
          )
        ).map(token => [token.digest, token]),
      );
      const revoked: LeakCandidate[] = [];
      const recipients = await this.options.emailRecipients();
      const verdicts: LeakVerdict[] = [];
      for (const value of reported) {
        let token = value.digest ? candidates.get(value.digest) : undefined;
        if (token && !token.revokedAt && token.expiresAt > this.now()) {
          const revocation = await store.revokeLeakedToken({
            tokenId: token.id,
            leakUrl: value.url,
            revokedBy: revokedByOf(reporter),
            revokedAt: this.now(),
            emailRecipients: recipients,
          });
          if (revocation) {
            await this.options.revocations.announce(revocation.token.id);
            revoked.push(revocation.token);
            await this.auditRevocation(revocation.token, request);
            token = revocation.token;
          } else {
            // Another report, or this one on another replica, got there first.
            [token] = await store.findTokensByDigests([token.digest]);
          }
          if (token) {
            candidates.set(token.digest, token);
          }
        }
        const ours = token?.revokedReason === 'leaked';
        verdicts.push({
          token_hash: value.hash,
          token_type: value.type,
          label: ours ? 'true_positive' : 'false_positive',
        });
      }
      const truePositives = verdicts.filter(
        verdict => verdict.label === 'true_positive',
      ).length;
      await event.success({
        meta: {
          revokedTokenIds: revoked.map(token => token.id),
          truePositives,
          falsePositives: verdicts.length - truePositives,
        },
      });
      if (revoked.length > 0) {
        logger.warn(
          `Leak report (${reporter.scheme}) revoked ${revoked.length} API ${
            revoked.length === 1 ? 'token' : 'tokens'
          }: ${revoked.map(token => token.id).join(', ')}`,
        );
        // Not awaited: the scanner gets its answer without waiting for SMTP.
        // What fails here is retried by the next run of the expiry check.
        this.options.deliverNotices().catch(error => {
          logger.warn(`Could not deliver the leak notices yet: ${error}`);
        });
      }
      return verdicts;
    } catch (error) {
      await event.fail({ error: toError(error) });
      throw error;
    }
  }

  /**
   * The token a value is, for an admin (`api-tokens.token.read`) who holds
   * a value and needs to know whose it is; never for a request made with
   * an API token. Not found for a value that is not one of our tokens; the
   * value is neither kept nor repeated.
   */
  async lookup(caller: Caller, value: string): Promise<LeakCandidate> {
    return audited(this.options.auditor, {
      eventId: API_TOKENS_AUDIT_EVENTS.tokenLookup,
      caller,
      meta: {},
      run: async () => {
        await this.options.authorizer.requirePermission(
          caller,
          apiTokensReadPermission,
        );
        const [token] = isWellFormedApiToken(value)
          ? await this.options.store.findTokensByDigests([
              this.options.digester.digest(value),
            ])
          : [];
        if (!token) {
          throw new NotFoundError('No API token has this value');
        }
        return token;
      },
      outcome: token => ({ tokenId: token.id, ownerRef: token.ownerRef }),
    });
  }

  private async auditRevocation(
    token: LeakCandidate,
    request: Request,
  ): Promise<void> {
    const event = await this.options.auditor.createEvent({
      eventId: API_TOKENS_AUDIT_EVENTS.tokenRevoke,
      request,
      severityLevel: 'high',
      meta: { tokenId: token.id, reason: 'leaked' },
    });
    await event.success({ meta: { ownerRef: token.ownerRef } });
  }
}
