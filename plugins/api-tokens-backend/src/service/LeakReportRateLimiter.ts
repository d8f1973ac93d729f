import { CacheService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { CustomErrorBase } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

const CONFIG_KEY = 'apiTokens.leakReports.rateLimit';
const DEFAULT_MAX_REQUESTS = 60;
const DEFAULT_WINDOW_MS = 60_000;

/** 429: the client sent more leak reports than the window allows. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;

  get statusCode() {
    return 429;
  }
}

/**
 * The leak endpoint's own limit: at most `maxRequests` requests per client
 * address in each fixed window, signed or not (counted before the
 * signature is checked, so that a flood of forged reports costs no more
 * than the limit of signature checks).
 *
 * The counts are kept in Backstage's `CacheService` (Redis in production),
 * so every replica sees them, and in this replica's memory, whose count is
 * exact for its own requests: the cache has no atomic increment, so two
 * replicas counting at the same instant may each miss the other's request.
 * The limit is a brake on floods, not an exact quota, and that is enough.
 */
export class LeakReportRateLimiter {
  static fromConfig(
    config: Config,
    cache: CacheService,
  ): LeakReportRateLimiter {
    const limit = config.getOptionalConfig(CONFIG_KEY);
    const maxRequests =
      limit?.getOptionalNumber('maxRequests') ?? DEFAULT_MAX_REQUESTS;
    if (!Number.isInteger(maxRequests) || maxRequests < 1) {
      throw new Error(
        `${CONFIG_KEY}.maxRequests must be a whole number of at least 1`,
      );
    }
    const windowMs = limit?.has('window')
      ? durationToMilliseconds(readDurationFromConfig(limit, { key: 'window' }))
      : DEFAULT_WINDOW_MS;
    if (!(windowMs >= 1000)) {
      throw new Error(`${CONFIG_KEY}.window must be at least one second`);
    }
    return new LeakReportRateLimiter({ cache, maxRequests, windowMs });
  }

  private readonly local = new Map<string, number>();
  private localWindow = -1;

  constructor(
    private readonly options: {
      cache: CacheService;
      maxRequests: number;
      windowMs: number;
      now?: () => number;
    },
  ) {}

  /**
   * Counts a request from `address`. Returns undefined when it is within the
   * limit, or the seconds to wait when it is over.
   */
  async take(address: string): Promise<number | undefined> {
    const { cache, maxRequests, windowMs } = this.options;
    const now = (this.options.now ?? Date.now)();
    const window = Math.floor(now / windowMs);
    if (window !== this.localWindow) {
      this.local.clear();
      this.localWindow = window;
    }
    const localCount = (this.local.get(address) ?? 0) + 1;
    this.local.set(address, localCount);

    const key = `leak-reports:${window}:${address}`;
    let sharedCount = localCount;
    try {
      sharedCount = (Number(await cache.get(key)) || 0) + 1;
      await cache.set(key, sharedCount, { ttl: windowMs });
    } catch {
      // Without the cache, this replica's count still limits.
    }
    if (Math.max(localCount, sharedCount) <= maxRequests) {
      return undefined;
    }
    return Math.ceil(((window + 1) * windowMs - now) / 1000);
  }
}
