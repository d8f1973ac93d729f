import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { toError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { durationToMilliseconds } from '@backstage/types';
import {
  API_TOKENS_AUDIT_EVENTS,
  API_TOKENS_NOTIFICATION_TOPIC,
  DAY_MS,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { ApiTokensStore, StoredApiToken } from '../database/ApiTokensStore';

const CONFIG_KEY = 'apiTokens.permanentTokens.unusedRevokeAfter';
/** Who revoked a token that was not used: the plugin itself. */
export const UNUSED_REVOKER = 'plugin:api-tokens';
/** The reason recorded in the auditor event. */
export const UNUSED_REVOCATION_REASON = 'unused';
const PAGE_SIZE = 500;

/** @alpha */
export interface UnusedTokenRevokerOptions {
  store: Pick<ApiTokensStore, 'findUnusedTokens' | 'revokeToken'>;
  /** Tokens not used for this long, in ms, are revoked. */
  unusedFor: number;
  auditor: AuditorService;
  notifications: NotificationService;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * Revokes permanent tokens nobody used for `unusedFor` (a stale token is a
 * leak waiting to happen), audits each revocation and tells the owner.
 * `apiTokens.permanentTokens.unusedRevokeAfter` turns it on; the plugin
 * runs it once a day.
 *
 * @alpha
 */
export class UnusedTokenRevoker {
  /** The revoker that config asks for, or undefined when it is off. */
  static fromConfig(
    config: Config,
    options: Omit<UnusedTokenRevokerOptions, 'unusedFor'>,
  ): UnusedTokenRevoker | undefined {
    if (!config.has(CONFIG_KEY)) {
      return undefined;
    }
    const unusedFor = durationToMilliseconds(
      readDurationFromConfig(config, { key: CONFIG_KEY }),
    );
    if (!(unusedFor >= DAY_MS)) {
      throw new Error(`${CONFIG_KEY} must be a duration of at least one day`);
    }
    return new UnusedTokenRevoker({ ...options, unusedFor });
  }

  private readonly now: () => Date;

  constructor(private readonly options: UnusedTokenRevokerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Revokes the tokens unused for too long; returns them, revoked. */
  async run(): Promise<StoredApiToken[]> {
    const { store, unusedFor, logger } = this.options;
    const now = this.now();
    const revoked: StoredApiToken[] = [];
    for (;;) {
      const unused = await store.findUnusedTokens({
        unusedSince: new Date(now.getTime() - unusedFor),
        now,
        limit: PAGE_SIZE,
      });
      for (const token of unused) {
        const done = await this.revoke(token, now);
        if (done) {
          revoked.push(done);
        }
      }
      if (unused.length < PAGE_SIZE) {
        break;
      }
    }
    if (revoked.length > 0) {
      logger.info(`Revoked ${revoked.length} API tokens not used for a while`);
    }
    return revoked;
  }

  private async revoke(
    token: StoredApiToken,
    now: Date,
  ): Promise<StoredApiToken | undefined> {
    const { store, auditor, notifications, logger, unusedFor } = this.options;
    const lastActivity = token.lastUsedAt ?? token.createdAt;
    const event = await auditor.createEvent({
      eventId: API_TOKENS_AUDIT_EVENTS.tokenRevoke,
      severityLevel: 'medium',
      meta: {
        tokenId: token.id,
        ownerRef: token.ownerRef,
        reason: UNUSED_REVOCATION_REASON,
        lastActivityAt: lastActivity.toISOString(),
      },
    });
    let revoked: StoredApiToken | undefined;
    try {
      revoked = await store.revokeToken({
        id: token.id,
        revokedBy: UNUSED_REVOKER,
        revokedAt: now,
      });
      await event.success();
    } catch (error) {
      await event.fail({ error: toError(error) });
      logger.warn(
        `Could not revoke unused API token ${token.id}`,
        toError(error),
      );
      return undefined;
    }
    const days = Math.floor(unusedFor / DAY_MS);
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: token.ownerRef },
        payload: {
          title: `API token "${token.name}" was revoked: not used for ${days} days`,
          description: `It was last used (or created) on ${lastActivity.toISOString()}. Ask an admin for a new token if you still need one.`,
          link: '/settings/api-tokens',
          severity: 'normal',
          topic: API_TOKENS_NOTIFICATION_TOPIC,
          scope: `api-token-unused:${token.id}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Could not notify the owner of unused API token ${token.id}; is the notifications backend installed? ${error}`,
      );
    }
    return revoked;
  }
}
