import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { API_TOKEN_PREFIX } from '@internal/plugin-api-tokens-common';
import { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { ApiTokenMiddleware } from './types';

const DEFAULT_MAX_FAILURES = 30;
const DEFAULT_WINDOW = 60_000;
// Bounds memory under an attack from many addresses.
const MAX_TRACKED_ADDRESSES = 10_000;

/** The addresses of this host: the backend's own calls between plugins. */
function ownAddresses(): string[] {
  const addresses = ['127.0.0.1', '::1', '::ffff:127.0.0.1'];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      addresses.push(entry.address, `::ffff:${entry.address}`);
    }
  }
  return addresses;
}

/** @public */
export interface ApiTokenFailureLimiterOptions {
  /** Failed attempts an address may make within `window` milliseconds. */
  maxFailures?: number;
  window?: number;
  /** Use the first `X-Forwarded-For` address, behind a trusted proxy. */
  trustProxy?: boolean;
  /** Addresses never limited; defaults to this host's own addresses. */
  allowList?: string[];
  /** The clock; tests move it. */
  now?: () => number;
}

/**
 * Slows down guessing: an address that made `maxFailures` failed API token
 * attempts (answered 401) within the window gets 429 for its API token
 * requests until the window has passed. Other addresses, and the same
 * address's other requests, are not affected. The count is per replica.
 * `apiTokensRootHttpRouterServiceFactory` and `createApiTokenMiddleware`
 * install it on the root HTTP router.
 *
 * Configured by `apiTokens.failureLimit` (`maxFailures`, default 30;
 * `window`, default one minute; `trustProxy`, default false).
 *
 * @public
 */
export class ApiTokenFailureLimiter {
  static fromConfig(config: Config): ApiTokenFailureLimiter {
    const limit = config.getOptionalConfig('apiTokens.failureLimit');
    return new ApiTokenFailureLimiter({
      maxFailures: limit?.getOptionalNumber('maxFailures'),
      window: limit?.has('window')
        ? durationToMilliseconds(
            readDurationFromConfig(limit, { key: 'window' }),
          )
        : undefined,
      trustProxy: limit?.getOptionalBoolean('trustProxy'),
    });
  }

  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly window: number;
  private readonly trustProxy: boolean;
  private readonly allowList: Set<string>;
  private readonly now: () => number;

  constructor(options: ApiTokenFailureLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? DEFAULT_MAX_FAILURES;
    this.window = options.window ?? DEFAULT_WINDOW;
    this.trustProxy = options.trustProxy ?? false;
    this.allowList = new Set(options.allowList ?? ownAddresses());
    this.now = options.now ?? Date.now;
  }

  /** The middleware to install. */
  readonly middleware: ApiTokenMiddleware = (req, res, next) => {
    if (!req.headers.authorization?.includes(API_TOKEN_PREFIX)) {
      next();
      return;
    }
    const address = this.clientAddress(req);
    if (address === undefined || this.allowList.has(address)) {
      next();
      return;
    }
    const retryAfter = this.retryAfterSeconds(address);
    if (retryAfter > 0) {
      res.statusCode = 429;
      res.setHeader('Retry-After', String(retryAfter));
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(
        JSON.stringify({
          error: {
            name: 'TooManyRequestsError',
            message: `Too many failed API token attempts from this address; try again in ${retryAfter} seconds`,
          },
          response: { statusCode: 429 },
        }),
      );
      return;
    }
    res.on('finish', () => {
      if (res.statusCode === 401) {
        this.recordFailure(address);
      }
    });
    next();
  };

  private clientAddress(req: IncomingMessage): string | undefined {
    if (this.trustProxy) {
      const forwarded = req.headers['x-forwarded-for'];
      const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)
        ?.split(',')[0]
        ?.trim();
      if (first) {
        return first;
      }
    }
    return req.socket.remoteAddress;
  }

  private recent(address: string): number[] {
    const since = this.now() - this.window;
    const times = (this.failures.get(address) ?? []).filter(t => t > since);
    if (times.length === 0) {
      this.failures.delete(address);
    } else {
      this.failures.set(address, times);
    }
    return times;
  }

  private retryAfterSeconds(address: string): number {
    const times = this.recent(address);
    if (times.length < this.maxFailures) {
      return 0;
    }
    const oldest = times[times.length - this.maxFailures];
    return Math.max(1, Math.ceil((oldest + this.window - this.now()) / 1000));
  }

  private recordFailure(address: string): void {
    const times = this.recent(address);
    if (
      !this.failures.has(address) &&
      this.failures.size >= MAX_TRACKED_ADDRESSES
    ) {
      // Forget the address tracked longest ago.
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) {
        this.failures.delete(oldest);
      }
    }
    times.push(this.now());
    // Only the most recent failures matter for the limit.
    this.failures.set(address, times.slice(-this.maxFailures));
  }
}
