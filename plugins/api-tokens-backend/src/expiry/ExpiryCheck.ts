import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import {
  API_TOKENS_AUDIT_EVENTS,
  API_TOKENS_NOTIFICATION_TOPIC,
  DAY_MS,
  daysUntil,
  EXPIRY_CHECK_LISTED_FAULTS,
  timeUntilExpiry,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { randomUUID } from 'node:crypto';
import {
  ApiTokensStore,
  StoredTokenClient,
  StoredTokenUsage,
} from '../database/ApiTokensStore';
import { EmailOutbox, EmailRetryPolicy } from '../database/EmailOutbox';
import {
  FaultLedger,
  StoredFault,
  TokenPosition,
} from '../database/FaultLedger';
import { OwnerNoticeClaims } from '../database/OwnerNoticeClaims';
import { EmailSender } from './EmailSender';
import { composeExpiryEmail } from './expiryEmail';
import { ExpirySettings } from './ExpirySettings';
import { describeUsage, isStillUsed } from './usageLine';

/**
 * Due tokens raised per statement. Their owner notices are claimed by the
 * same statement, so a run that dies leaves at most this many unsent.
 */
const PAGE_SIZE = 1000;
/** A run that dies leaves its emails to the next run after this long. */
const EMAIL_LEASE = 10 * 60 * 1000;
/** Owners are notified at most this many times before the check gives up. */
const MAX_NOTIFY_ATTEMPTS = 5;
/**
 * Owner notifications claimed at once. A run that dies leaves the claimed
 * notices of its batch unsent, so it stays small.
 */
const NOTIFY_BATCH = 100;

function severity(days: number): NotificationSeverity {
  if (days <= 1) {
    return 'critical';
  }
  return days <= 7 ? 'high' : 'normal';
}

/**
 * What one run of the expiry check did.
 *
 * @alpha
 */
export interface ExpiryRunResult {
  /** How many faults this run raised. */
  raisedCount: number;
  /**
   * The first of them in the order of expiry, at most
   * `EXPIRY_CHECK_LISTED_FAULTS`: a run over a large table raises many
   * thousands, and keeping them all would grow with the table.
   */
  raised: StoredFault[];
  /** Faults resolved because their token was revoked, expired or renewed. */
  resolved: number;
  /** Addresses the SMTP server accepted a message for. */
  emailedTo: string[];
  /** Addresses the message could not be delivered to, with the reason. */
  emailFailures: { address: string; reason: string }[];
}

/** @alpha */
export interface ExpiryCheckOptions {
  ledger: FaultLedger;
  ownerNotices: OwnerNoticeClaims;
  outbox: EmailOutbox;
  /** Who still uses the tokens, for the emails and notices. */
  usage: Pick<ApiTokensStore, 'readUsage' | 'listRecentClients'>;
  settings: ExpirySettings;
  /** Absent when no SMTP server is configured. */
  emailSender?: EmailSender;
  notifications: NotificationService;
  auditor: AuditorService;
  logger: LoggerService;
  /** The admin page the emails link to. */
  adminUrl: string;
  now?: () => Date;
}

/**
 * Finds tokens near expiry and tells people, exactly once per token,
 * threshold and expiry: it raises a fault (the ledger row), notifies the
 * owner through Backstage notifications and emails the configured addresses.
 * Every step is recorded in the database before or after it happens, so a
 * run that crashes or misses its turn is completed by the next one.
 *
 * @alpha
 */
export class ExpiryCheck {
  private readonly now: () => Date;

  constructor(private readonly options: ExpiryCheckOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async run(): Promise<ExpiryRunResult> {
    const { ledger, logger } = this.options;
    const now = this.now();
    const settings = await this.options.settings.read();

    if (!this.options.emailSender && settings.emailRecipients.length > 0) {
      // Config alone cannot tell (the addresses are a runtime setting), so
      // this is said on every run rather than refused at startup.
      logger.warn(
        'Expiry emails are not sent: UserTokenExpirationNotificationEmails is set, ' +
          'but no SMTP server is configured (apiTokens.notifications.email)',
      );
    }

    const resolved = await ledger.resolveFaults(now);
    const { raised, raisedCount, notified } = await this.raiseFaults(
      now,
      settings.thresholdDays,
      this.options.emailSender ? settings.emailRecipients : [],
    );
    if (raisedCount > 0 || resolved > 0) {
      await this.auditFaults({ raised: raisedCount, resolved });
    }
    if (notified) {
      await this.notifyOwners(now);
    }
    const { undeliverable, ...emails } = await this.sendEmails(
      now,
      settings.emailRetry,
    );
    if (undeliverable.length > 0) {
      await this.auditFaults({ undeliverable: undeliverable.length });
      for (const fault of undeliverable) {
        logger.warn(
          `Gave up the expiry email for token ${fault.tokenId} to ${fault.emailAddress} ` +
            `after ${settings.emailRetry.maxAttempts} attempts; raised fault ${fault.id}`,
        );
      }
    }
    logger.info(
      `Expiry check: ${raisedCount} faults raised, ${resolved} resolved, ` +
        `${emails.emailedTo.length} emails sent, ${emails.emailFailures.length} failed, ` +
        `${undeliverable.length} given up`,
    );
    return { raisedCount, raised, resolved, ...emails };
  }

  /**
   * Sends the owner notices and emails that are due now, without looking
   * for new faults: a leak report calls it right after raising its fault.
   * The same claims and leases as a run's make each happen once; what
   * fails is retried by the next run.
   */
  async deliverNotices(): Promise<void> {
    const now = this.now();
    const settings = await this.options.settings.read();
    await this.notifyOwners(now);
    const { undeliverable } = await this.sendEmails(now, settings.emailRetry);
    if (undeliverable.length > 0) {
      await this.auditFaults({ undeliverable: undeliverable.length });
    }
  }

  private async auditFaults(meta: {
    raised?: number;
    resolved?: number;
    undeliverable?: number;
  }): Promise<void> {
    await this.options.auditor
      .createEvent({
        eventId: API_TOKENS_AUDIT_EVENTS.faultRaise,
        severityLevel: 'low',
        meta,
      })
      .then(event => event.success());
  }

  /**
   * Each live token gets the fault of the nearest threshold it has reached,
   * so a token already past several thresholds gets one notice. A page's
   * faults are raised with their owner notices claimed by the same
   * statement, and those are sent before the next page: a run that dies
   * leaves at most one page of claimed notices unsent. Once a send fails,
   * the later pages are raised unclaimed, for the next runs to claim.
   * `notified` says whether every send of the run succeeded. Only the
   * first faults are kept, so that a run's memory does not grow with the
   * number of due tokens.
   */
  private async raiseFaults(
    now: Date,
    thresholdDays: number[],
    emailRecipients: string[],
  ): Promise<{
    raised: StoredFault[];
    raisedCount: number;
    notified: boolean;
  }> {
    const raised: StoredFault[] = [];
    let raisedCount = 0;
    let notified = true;
    let previous = 0;
    for (const days of thresholdDays) {
      const after = new Date(now.getTime() + previous * DAY_MS);
      const until = new Date(now.getTime() + days * DAY_MS);
      let from: TokenPosition | undefined;
      do {
        const page = await this.options.ledger.raiseDueFaults({
          thresholdDays: days,
          after,
          until,
          pageSize: PAGE_SIZE,
          from,
          raisedAt: now,
          emailRecipients,
          claimOwnerNotices: notified,
        });
        raisedCount += page.raised.length;
        raised.push(
          ...page.raised.slice(0, EXPIRY_CHECK_LISTED_FAULTS - raised.length),
        );
        if (notified && page.raised.length > 0) {
          notified = await this.sendClaimedNotices(
            page.raised,
            now,
            await this.readRaisedUsage(page, now),
          );
        }
        from = page.next;
      } while (from);
      previous = days;
    }
    return { raised, raisedCount, notified };
  }

  /**
   * The usage of the tokens of a page's new faults, for their notices. The
   * raise returned when each was last used; only the clients of those still
   * used are read, the ones the usage line names.
   */
  private async readRaisedUsage(
    page: { raised: StoredFault[]; lastUsedAt: Map<string, Date> },
    now: Date,
  ): Promise<Map<string, StoredTokenUsage>> {
    const stillUsed = page.raised
      .map(fault => fault.tokenId)
      .filter(tokenId => isStillUsed(page.lastUsedAt.get(tokenId), now));
    const clients =
      stillUsed.length > 0
        ? await this.options.usage.listRecentClients(stillUsed)
        : new Map<string, StoredTokenClient[]>();
    return new Map(
      page.raised.map(({ tokenId }) => [
        tokenId,
        {
          lastUsedAt: page.lastUsedAt.get(tokenId),
          recentClients: clients.get(tokenId) ?? [],
        },
      ]),
    );
  }

  /**
   * Mirrors the open faults whose notice no run has claimed (ones handed
   * back after a failure, leak faults) to their owners. Notices are
   * claimed a batch at a time, one statement each that finds and claims
   * them: claiming them one by one cost a commit per fault, seconds for
   * thousands of faults.
   */
  private async notifyOwners(now: Date) {
    for (;;) {
      // Those another run claimed first are its to notify.
      const toNotify = await this.options.ownerNotices.claimUnnotified({
        notifiedAt: now,
        maxAttempts: MAX_NOTIFY_ATTEMPTS,
        limit: NOTIFY_BATCH,
      });
      if (toNotify.length === 0) {
        return;
      }
      const usage = await this.options.usage.readUsage(
        toNotify.map(fault => fault.tokenId),
      );
      if (!(await this.sendClaimedNotices(toNotify, now, usage))) {
        return;
      }
    }
  }

  /**
   * Sends the owner notices this run claimed, each saying how its token
   * is used (`usage`, by token id). Without a notifications
   * backend every send fails: that is logged once, the failed notice is
   * handed back with its attempt counted and the rest without, to be
   * retried by the next runs, a few times, without failing the check.
   * Returns false when a send failed.
   */
  private async sendClaimedNotices(
    toNotify: StoredFault[],
    now: Date,
    usage: Map<string, StoredTokenUsage>,
  ): Promise<boolean> {
    const { ownerNotices, logger } = this.options;
    for (const [index, fault] of toNotify.entries()) {
      try {
        await this.notifyOwner(
          fault,
          now,
          describeUsage(usage.get(fault.tokenId), now),
        );
      } catch (error) {
        await ownerNotices.release({
          faultIds: [fault.id],
          attempted: true,
        });
        await ownerNotices.release({
          faultIds: toNotify.slice(index + 1).map(later => later.id),
          attempted: false,
        });
        logger.warn(
          `Could not notify token owners; is the notifications backend installed? ${error}`,
        );
        return false;
      }
    }
    return true;
  }

  private async notifyOwner(
    fault: StoredFault,
    now: Date,
    usage: string,
  ): Promise<void> {
    if (fault.kind === 'leaked') {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: fault.ownerRef },
        payload: {
          title: `API token "${fault.tokenName}" leaked and was revoked`,
          description: `A secret scanner found it at ${
            fault.leakUrl ?? 'an unknown address'
          }, so it no longer works. Remove it from there, and ask an admin for a new token.`,
          link: '/settings/api-tokens',
          severity: 'critical',
          topic: API_TOKENS_NOTIFICATION_TOPIC,
          scope: `api-token-leak:${fault.tokenId}`,
        },
      });
      return;
    }
    const days = daysUntil(fault.tokenExpiresAt, now);
    await this.options.notifications.send({
      recipients: { type: 'entity', entityRef: fault.ownerRef },
      payload: {
        title: `API token "${fault.tokenName}" expires ${timeUntilExpiry(
          fault.tokenExpiresAt,
          now,
        )}`,
        description: `It stops working on ${fault.tokenExpiresAt.toISOString()}. Ask an admin for a new token before then. It is ${usage}.`,
        link: '/settings/api-tokens',
        severity: severity(days),
        topic: API_TOKENS_NOTIFICATION_TOPIC,
        scope: `api-token-expiry:${fault.tokenId}`,
      },
    });
  }

  /**
   * Sends the emails that are due. One that was not accepted is tried again
   * by a later run, after a delay that doubles with each failure, until it
   * has had `retry.maxAttempts`; then it gives up and an open
   * `email-undeliverable` fault says so on the Faults page (returned as
   * `undeliverable`). Such a fault sends no email and no owner notice.
   */
  private async sendEmails(
    now: Date,
    retry: EmailRetryPolicy,
  ): Promise<
    Pick<ExpiryRunResult, 'emailedTo' | 'emailFailures'> & {
      undeliverable: StoredFault[];
    }
  > {
    const { emailSender, outbox, auditor, adminUrl, usage } = this.options;
    const result = {
      emailedTo: [] as string[],
      emailFailures: [] as ExpiryRunResult['emailFailures'],
      undeliverable: [] as StoredFault[],
    };
    if (!emailSender) {
      return result;
    }
    const leaseId = randomUUID();
    const pending = await outbox.claimPending({
      leaseId,
      now,
      leaseUntil: new Date(now.getTime() + EMAIL_LEASE),
    });
    for (const { address, faults: due } of pending) {
      const event = await auditor.createEvent({
        eventId: API_TOKENS_AUDIT_EVENTS.emailSend,
        severityLevel: 'low',
        meta: { address, tokenIds: due.map(fault => fault.tokenId) },
      });
      const delivery = await emailSender.send({
        to: address,
        ...composeExpiryEmail({
          faults: due,
          now,
          adminUrl,
          usage: await usage.readUsage(due.map(fault => fault.tokenId)),
        }),
      });
      if (delivery.accepted) {
        await outbox.recordDelivered({
          leaseId,
          address,
          deliveredAt: this.now(),
        });
        await event.success();
        result.emailedTo.push(address);
      } else {
        const reason = delivery.reason ?? 'not accepted';
        result.undeliverable.push(
          ...(await outbox.recordFailed({
            leaseId,
            address,
            error: reason,
            failedAt: this.now(),
            retry,
          })),
        );
        await event.fail({ error: new Error(reason) });
        result.emailFailures.push({ address, reason });
      }
    }
    return result;
  }
}
