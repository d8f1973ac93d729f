import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  DatabaseApiTokensStore,
  DatabaseEmailOutbox,
  DatabaseFaultLedger,
  DatabaseOwnerNoticeClaims,
  DatabaseSettingsStore,
  ExpiryCheck,
  ExpirySettings,
} from '@nholuongut/backstage-plugin-api-tokens-backend/testing';
import { BenchDatabase } from '../database/BenchDatabase';
import { MemorySampler } from '../memory';
import { BenchResults } from '../results';
import { elapsedMs } from '../stats';

/** Keeps the check's routine logging out of the bench output. */
const quietLogger: LoggerService = {
  error: message => process.stderr.write(`  [expiry check] ${message}\n`),
  warn: message => process.stderr.write(`  [expiry check] ${message}\n`),
  info: () => {},
  debug: () => {},
  child: () => quietLogger,
};

const noAuditor: AuditorService = {
  createEvent: async () => ({ success: async () => {}, fail: async () => {} }),
};

/** Notifications are accepted and dropped: the bench measures the check. */
const noNotifications: NotificationService = { send: async () => {} };

async function timedMs<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, elapsedMs(start)];
}

/**
 * `expiry-scan-1m-seconds` and `expiry-scan-1m-peak-mb`: one run of the real
 * expiry check over the filled table, with the default 15-day threshold,
 * owner notifications to a no-op service and no SMTP server (so no email
 * outbox). The first run raises a fault for every due token; a second run
 * finds nothing new. The baseline is a plain `SELECT count(*)` over the
 * table.
 */
export async function measureExpiryScan(options: {
  results: BenchResults;
  database: BenchDatabase;
  dueTokens: number;
  /** `1m`: the figures of the main table; `10m`: of the large one. */
  size: '1m' | '10m';
}): Promise<void> {
  const { results, database, size } = options;
  const { knex } = database;

  await knex('api_tokens').count({ n: '*' });
  const [, countMs] = await timedMs(() => knex('api_tokens').count({ n: '*' }));

  const outbox = new DatabaseEmailOutbox(knex);
  const check = new ExpiryCheck({
    ledger: new DatabaseFaultLedger(knex, outbox),
    ownerNotices: new DatabaseOwnerNoticeClaims(knex),
    outbox,
    usage: new DatabaseApiTokensStore(knex),
    settings: ExpirySettings.fromConfig(
      new ConfigReader({}),
      new DatabaseSettingsStore(knex),
    ),
    notifications: noNotifications,
    auditor: noAuditor,
    logger: quietLogger,
    adminUrl: 'http://localhost:3000/api-tokens/admin/faults',
  });

  // Over 10 M tokens, also the heap the run holds, collected once a second
  // (a run of several seconds; a few milliseconds each).
  const sampler = MemorySampler.start({
    liveEveryMs: size === '10m' ? 1000 : undefined,
  });
  const [first, firstMs] = await timedMs(() => check.run());
  const peak = sampler.stop();
  if (first.raisedCount !== options.dueTokens) {
    throw new Error(
      `The expiry check raised ${first.raisedCount} faults for ${options.dueTokens} due tokens`,
    );
  }
  const [second, secondMs] = await timedMs(() => check.run());
  if (second.raisedCount !== 0) {
    throw new Error(`A second run raised ${second.raisedCount} faults again`);
  }

  if (size === '10m') {
    results.add('expiry-scan-10m-seconds', firstMs / 1000, 3);
    results.add('expiry-scan-10m-peak-mb', peak.rssMb, 1);
    results.add('expiry-scan-10m-peak-heap-mb', peak.heapUsedMb, 1);
    results.add('expiry-scan-10m-live-heap-mb', peak.liveHeapMb, 1);
    results.add('expiry-scan-10m-rerun-seconds', secondMs / 1000, 3);
    results.add('expiry-scan-10m-count-all-ms', countMs);
    results.add('expiry-scan-10m-vs-seqscan-ratio', firstMs / countMs);
    return;
  }
  results.add('expiry-scan-1m-seconds', firstMs / 1000, 3);
  results.add('expiry-scan-1m-peak-mb', peak.rssMb, 1);
  results.add('expiry-scan-1m-peak-heap-mb', peak.heapUsedMb, 1);
  results.add('expiry-scan-1m-rerun-seconds', secondMs / 1000, 3);
  results.add('expiry-scan-count-all-ms', countMs);
  results.add('expiry-scan-vs-seqscan-ratio', firstMs / countMs);
}
