import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import {
  ApiTokenKind,
  ApiTokenSettingKey,
} from '@nholuongut/backstage-plugin-api-tokens-common';
import { Knex } from 'knex';
import { createHash, randomUUID } from 'node:crypto';
import { StoredApiToken } from '../../database/ApiTokensStore';
import { DatabaseApiTokensStore } from '../../database/DatabaseApiTokensStore';
import { DatabaseEmailOutbox } from '../../database/DatabaseEmailOutbox';
import { DatabaseFaultLedger } from '../../database/DatabaseFaultLedger';
import { DatabaseOwnerNoticeClaims } from '../../database/DatabaseOwnerNoticeClaims';
import { DatabaseSettingsStore } from '../../database/DatabaseSettingsStore';
import { StoredFault } from '../../database/FaultLedger';
import { MIGRATIONS_DIRECTORY } from '../../database/migrations';
import { EmailSender } from '../../expiry/EmailSender';
import { ExpiryCheck } from '../../expiry/ExpiryCheck';
import { ExpirySettings } from '../../expiry/ExpirySettings';

export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const ALICE = 'user:default/alice';
export const BOB = 'user:default/bob';
export const ADMIN_URL =
  'https://backstage.example.com/api-tokens/admin/faults';

/** A settable clock, the `now` option of the expiry check. */
export class TestClock {
  constructor(private time: Date) {}

  now = (): Date => new Date(this.time);

  /** Moves the clock on by `ms` milliseconds. */
  advance(ms: number): Date {
    this.time = new Date(this.time.getTime() + ms);
    return this.now();
  }

  /** `ms` milliseconds from now. */
  in(ms: number): Date {
    return new Date(this.time.getTime() + ms);
  }
}

/**
 * A notification service that records what it is asked to send, and fails
 * while `failWith` is set, like one whose backend is missing.
 */
export class RecordingNotificationService implements NotificationService {
  /** Every call, failed or not. */
  readonly attempts: NotificationSendOptions[] = [];
  /** The calls that succeeded. */
  readonly sent: NotificationSendOptions[] = [];
  failWith?: Error;

  async send(options: NotificationSendOptions): Promise<void> {
    this.attempts.push(options);
    if (this.failWith) {
      throw this.failWith;
    }
    this.sent.push(options);
  }
}

/** The plugin's stores on a migrated test database. */
export class ExpiryTestDatabase {
  readonly tokens: DatabaseApiTokensStore;
  /** The fault ledger. */
  readonly faults: DatabaseFaultLedger;
  readonly ownerNotices: DatabaseOwnerNoticeClaims;
  readonly outbox: DatabaseEmailOutbox;
  readonly settings: DatabaseSettingsStore;

  private constructor(readonly knex: Knex) {
    this.tokens = new DatabaseApiTokensStore(knex);
    this.outbox = new DatabaseEmailOutbox(knex);
    this.faults = new DatabaseFaultLedger(knex, this.outbox);
    this.ownerNotices = new DatabaseOwnerNoticeClaims(knex);
    this.settings = new DatabaseSettingsStore(knex);
  }

  static async create(knex: Knex): Promise<ExpiryTestDatabase> {
    await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
    return new ExpiryTestDatabase(knex);
  }

  /** Empties the plugin's tables, children first. */
  async clear(): Promise<void> {
    await this.knex('api_token_fault_emails').delete();
    await this.knex('api_token_faults').delete();
    await this.knex('api_token_settings').delete();
    await this.knex('api_token_clients').delete();
    await this.knex('api_tokens').delete();
  }

  /** A token; permanent, created a year before it expires, unless said. */
  async createToken(options: {
    expiresAt: Date;
    name?: string;
    kind?: ApiTokenKind;
    ownerRef?: string;
    createdAt?: Date;
  }): Promise<StoredApiToken> {
    const id = randomUUID();
    const kind = options.kind ?? 'permanent';
    const ownerRef = options.ownerRef ?? ALICE;
    return this.tokens.createToken({
      id,
      name: options.name ?? `token ${id.slice(0, 8)}`,
      kind,
      scope: null,
      ownerRef,
      createdBy: kind === 'temporary' ? ownerRef : 'user:default/admin',
      createdAt:
        options.createdAt ??
        new Date(
          options.expiresAt.getTime() -
            (kind === 'temporary' ? 8 * HOUR : 365 * DAY),
        ),
      expiresAt: options.expiresAt,
      digest: createHash('sha256').update(id).digest('hex'),
      hint: id.slice(-4),
    });
  }

  async setSetting(key: ApiTokenSettingKey, value: string): Promise<void> {
    await this.settings.putSetting({
      key,
      value,
      updatedAt: new Date(),
      updatedBy: 'user:default/admin',
    });
  }

  /** Every fault, oldest first. */
  async allFaults(): Promise<StoredFault[]> {
    const { items } = await this.faults.listFaults({ limit: 1000 });
    return items.reverse();
  }

  /** The outbox rows, as the database holds them. */
  async outboxRows(): Promise<
    Array<{
      address: string;
      delivered: boolean;
      attempts: number;
      lastError: string | null;
    }>
  > {
    const rows = await this.knex('api_token_fault_emails')
      .select('address', 'delivered_at', 'attempts', 'last_error')
      .orderBy('address');
    return rows.map(row => ({
      address: row.address,
      delivered: row.delivered_at !== null,
      attempts: Number(row.attempts),
      lastError: row.last_error,
    }));
  }
}

/** An expiry check on a test database, with the defaults a test can change. */
export function createExpiryCheck(options: {
  db: ExpiryTestDatabase;
  clock: TestClock;
  notifications?: NotificationService;
  emailSender?: EmailSender;
  config?: object;
  auditor?: ReturnType<typeof mockServices.auditor.mock>;
  logger?: ReturnType<typeof mockServices.logger.mock>;
}): ExpiryCheck {
  return new ExpiryCheck({
    ledger: options.db.faults,
    ownerNotices: options.db.ownerNotices,
    outbox: options.db.outbox,
    usage: options.db.tokens,
    settings: ExpirySettings.fromConfig(
      new ConfigReader(options.config ?? {}),
      options.db.settings,
    ),
    emailSender: options.emailSender,
    notifications: options.notifications ?? new RecordingNotificationService(),
    auditor: options.auditor ?? mockServices.auditor.mock(),
    logger: options.logger ?? mockServices.logger.mock(),
    adminUrl: ADMIN_URL,
    now: options.clock.now,
  });
}
