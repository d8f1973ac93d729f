import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { toError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { API_TOKEN_PREFIX } from '@nholuongut/backstage-plugin-api-tokens-common';
import { randomBytes, randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { ApiTokenCache } from './ApiTokenCache';
import {
  INTERNAL_CALL_HEADER,
  isInternalCallMarker,
  runWithApiTokenLimiterState,
} from './apiTokenRequestContext';
import {
  addressKey,
  clientAddress,
  compileAddressList,
  compileTrustProxy,
  TrustProxy,
  TrustProxySetting,
} from './clientAddress';
import { readBearerToken } from './readBearerToken';
import { sharedCacheFromConfig } from './sharedCache';
import { ApiTokenMiddleware } from './types';

const CONFIG_KEY = 'apiTokens.failureLimit';
const DEFAULT_MAX_FAILURES = 30;
const MAX_MAX_FAILURES = 10_000;
const DEFAULT_WINDOW_MS = 60_000;
const MIN_WINDOW_MS = 1_000;
const MAX_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Bounds this replica's memory under an attack from many addresses. */
const MAX_TRACKED_ADDRESSES = 10_000;
/** The cache namespace of the limiter, as a plugin id would be. */
const CACHE_NAMESPACE = 'api-tokens-failure-limit';
const CACHE_WARNING_INTERVAL_MS = 60_000;
/** How long after a write the shared list is read again to check it. */
const VERIFY_DELAY_MS = 20;
const MAX_SHARED_WRITES = 4;

/** A failed attempt: when, and a unique id so that merges count it once. */
type Failure = [at: number, id: string];

/** @public */
export interface ApiTokenFailureLimiterOptions {
  /** Failed attempts an address may make within `window`; default 30. */
  maxFailures?: number;
  /** The window in milliseconds; default one minute. */
  window?: number;
  /**
   * Which proxies may report the client address in `X-Forwarded-For`, as
   * Express's `trust proxy`: a number of hops, or proxy addresses and CIDR
   * ranges. Default: none, the socket's address is the client's. `true` is
   * refused.
   */
  trustProxy?: TrustProxySetting;
  /** Client addresses and CIDR ranges never limited; default none. */
  exempt?: string[];
  /**
   * Where the failures are kept so that every replica sees them; this
   * replica's memory only when not given.
   */
  cache?: CacheService;
  logger?: LoggerService;
  /** The clock; tests move it. */
  now?: () => number;
}

/**
 * Slows down guessing: a client address that made `maxFailures` failed API
 * token attempts (answered 401) within the window gets 429 for its API token
 * requests until the window has passed. Other addresses, and the same
 * address's requests without an API token, are not affected.
 * `apiTokensRootHttpRouterServiceFactory` and `createApiTokenMiddleware`
 * install it on the root HTTP router.
 *
 * The client address is taken as Express's `trust proxy` takes it
 * (`trustProxy`), so a client cannot choose it with `X-Forwarded-For`; no
 * address is exempt unless `exempt` says so. The failures are kept in the
 * cache (`backend.cache`), shared by every replica, when a shared store is
 * configured, and in this replica's memory otherwise.
 *
 * Attempts in flight count too: an address can have at most `maxFailures`
 * distinct tokens in flight that are not yet known to be good, so a burst of
 * guesses sent at once is cut at the limit rather than after it.
 *
 * Configured by `apiTokens.failureLimit` (`maxFailures`, `window`,
 * `trustProxy`, `exempt`); a bad value throws an error naming the key.
 *
 * @public
 */
export class ApiTokenFailureLimiter {
  static fromConfig(
    config: Config,
    options: { logger?: LoggerService } = {},
  ): ApiTokenFailureLimiter {
    const limit = config.getOptionalConfig(CONFIG_KEY);
    let window: number | undefined;
    if (limit?.has('window')) {
      try {
        window = durationToMilliseconds(
          readDurationFromConfig(limit, { key: 'window' }),
        );
      } catch (error) {
        throw new Error(
          `Invalid ${CONFIG_KEY}.window: ${toError(error).message}`,
        );
      }
    }
    return new ApiTokenFailureLimiter({
      maxFailures: limit?.getOptional<number>('maxFailures'),
      window,
      trustProxy: limit?.getOptional<TrustProxySetting>('trustProxy'),
      exempt: limit?.getOptional<string[]>('exempt'),
      cache: sharedCacheFromConfig(config, CACHE_NAMESPACE, options.logger),
      logger: options.logger,
    });
  }

  private readonly maxFailures: number;
  private readonly window: number;
  private readonly trustProxy: TrustProxy;
  private readonly exempt: TrustProxy;
  private readonly cache?: CacheService;
  private readonly logger?: LoggerService;
  private readonly now: () => number;
  /** Names this replica's failures, so that merges count each once. */
  private readonly replicaId = randomBytes(6).toString('base64url');
  private failureCount = 0;
  private lastCacheWarningAt = Number.NEGATIVE_INFINITY;
  /** This replica's own recent failures, per address key. */
  private readonly ownFailures = new Map<string, Failure[]>();
  /**
   * The attempts admitted and not yet known to be good, per address key: the
   * digest of each token, with how many requests carry it.
   */
  private readonly pending = new Map<string, Map<string, number>>();
  /**
   * The cache reads in flight, per address key: requests from an address
   * that arrive while its failures are being read wait for that read rather
   * than start one of their own, so a busy CI address costs the cache one
   * read per round trip, not one per request.
   */
  private readonly sharedReads = new Map<string, Promise<Failure[]>>();
  /**
   * The key of each address seen lately: parsing an address costs more
   * than the rest of the limiter's work on a request, and a CI client
   * sends from the same few addresses.
   */
  private readonly addressKeys = new Map<string, string>();
  /** The client address of each request in flight, read once per request. */
  private readonly clientAddresses = new WeakMap<
    IncomingMessage,
    string | undefined
  >();

  constructor(options: ApiTokenFailureLimiterOptions = {}) {
    this.maxFailures = checkWholeNumber(
      options.maxFailures ?? DEFAULT_MAX_FAILURES,
      'maxFailures',
      1,
      MAX_MAX_FAILURES,
    );
    this.window = options.window ?? DEFAULT_WINDOW_MS;
    if (!(this.window >= MIN_WINDOW_MS && this.window <= MAX_WINDOW_MS)) {
      throw new Error(
        `Invalid ${CONFIG_KEY}.window: it must be between 1 second and 24 hours`,
      );
    }
    this.trustProxy = compileTrustProxy(
      options.trustProxy,
      `${CONFIG_KEY}.trustProxy`,
    );
    this.exempt = compileAddressList(
      options.exempt ?? [],
      `${CONFIG_KEY}.exempt`,
    );
    this.cache = options.cache;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  /**
   * The client address of a request as the limiter counts it: proxy-aware
   * (`trustProxy`), so a client cannot choose it.
   */
  clientAddressOf(req: IncomingMessage): string | undefined {
    if (this.clientAddresses.has(req)) {
      return this.clientAddresses.get(req);
    }
    const address = clientAddress(req, this.trustProxy);
    this.clientAddresses.set(req, address);
    return address;
  }

  /** The middleware to install. */
  readonly middleware: ApiTokenMiddleware = (req, res, next) => {
    const authorization = req.headers.authorization;
    if (!authorization?.includes(API_TOKEN_PREFIX)) {
      next();
      return;
    }
    // The backend exchanging the token of a request admitted below.
    if (isInternalCallMarker(req.headers[INTERNAL_CALL_HEADER])) {
      next();
      return;
    }
    const address = this.clientAddressOf(req);
    if (address !== undefined && this.exempt(address, 0)) {
      next();
      return;
    }
    const key = address === undefined ? 'unknown' : this.keyOf(address);
    const token = readBearerToken(authorization) ?? authorization;
    const attempt = ApiTokenCache.digest(token);

    this.admit(key, attempt).then(retryAfter => {
      if (retryAfter !== undefined) {
        refuse(res, retryAfter);
        return;
      }
      let settled = false;
      const settle = () => {
        if (!settled) {
          settled = true;
          this.release(key, attempt);
        }
      };
      res.once('finish', () => {
        if (res.statusCode === 401) {
          this.recordFailure(key);
        }
        settle();
      });
      res.once('close', settle);
      runWithApiTokenLimiterState(
        {
          token,
          // From the CSPRNG's buffered UUIDs: unguessable, and cheap on
          // every request, which a fresh randomBytes() is not.
          internalCallMarker: randomUUID(),
          onVerified: settle,
        },
        res,
        next,
      );
    }, next);
  };

  private keyOf(address: string): string {
    let key = this.addressKeys.get(address);
    if (key === undefined) {
      if (this.addressKeys.size >= MAX_TRACKED_ADDRESSES) {
        this.addressKeys.clear();
      }
      key = addressKey(address);
      this.addressKeys.set(address, key);
    }
    return key;
  }

  /**
   * Admits an attempt, reserving its slot, or answers after how many
   * seconds to try again. Checks and reserves after the one await, so that
   * no two attempts of this replica take the same slot.
   */
  private async admit(
    key: string,
    attempt: string,
  ): Promise<number | undefined> {
    const shared = await this.readSharedJoined(key);
    const now = this.now();
    const failures = this.merge(shared, this.ownRecent(key, now), now);
    if (failures.length >= this.maxFailures) {
      const oldest = failures[failures.length - this.maxFailures][0];
      return Math.max(1, Math.ceil((oldest + this.window - now) / 1000));
    }
    let pending = this.pending.get(key);
    const count = pending?.get(attempt);
    if (
      count === undefined &&
      failures.length + (pending?.size ?? 0) >= this.maxFailures
    ) {
      return 1;
    }
    if (!pending) {
      pending = new Map();
      this.pending.set(key, pending);
    }
    pending.set(attempt, (count ?? 0) + 1);
    return undefined;
  }

  private release(key: string, attempt: string) {
    const pending = this.pending.get(key);
    const count = pending?.get(attempt);
    if (!pending || count === undefined) {
      return;
    }
    if (count > 1) {
      pending.set(attempt, count - 1);
      return;
    }
    pending.delete(attempt);
    if (pending.size === 0) {
      this.pending.delete(key);
    }
  }

  private recordFailure(key: string) {
    const now = this.now();
    const own = this.ownRecent(key, now);
    own.push([now, `${this.replicaId}.${++this.failureCount}`]);
    // Only the most recent failures matter for the limit. Re-inserted, so
    // that the address tracked longest ago is the first to be forgotten.
    this.ownFailures.delete(key);
    this.ownFailures.set(key, own.slice(-this.maxFailures));
    if (this.ownFailures.size > MAX_TRACKED_ADDRESSES) {
      const oldest = this.ownFailures.keys().next().value;
      if (oldest !== undefined) {
        this.ownFailures.delete(oldest);
      }
    }
    if (this.cache) {
      void this.writeShared(key);
    }
  }

  private ownRecent(key: string, now: number): Failure[] {
    const since = now - this.window;
    const own = this.ownFailures.get(key);
    if (!own) {
      return [];
    }
    const recent = own.filter(([at]) => at > since);
    if (recent.length === 0) {
      this.ownFailures.delete(key);
    }
    return recent;
  }

  /** The recent failures of both lists, each once, oldest first. */
  private merge(a: Failure[], b: Failure[], now: number): Failure[] {
    const since = now - this.window;
    const byId = new Map<string, Failure>();
    for (const failure of [...a, ...b]) {
      if (failure[0] > since) {
        byId.set(failure[1], failure);
      }
    }
    return [...byId.values()]
      .sort((x, y) => x[0] - y[0])
      .slice(-this.maxFailures);
  }

  /** `readShared`, joining the read in flight for the key if any. */
  private readSharedJoined(key: string): Promise<Failure[]> {
    let read = this.sharedReads.get(key);
    if (!read) {
      read = this.readShared(key).finally(() => this.sharedReads.delete(key));
      this.sharedReads.set(key, read);
    }
    return read;
  }

  private async readShared(key: string): Promise<Failure[]> {
    if (!this.cache) {
      return [];
    }
    try {
      const value = await this.cache.get(key);
      return Array.isArray(value) ? value.filter(isFailure) : [];
    } catch (error) {
      this.warnAboutCache(error);
      return [];
    }
  }

  /**
   * Adds this replica's failures to the shared list. The cache has no
   * atomic update, so two replicas writing at once can drop each other's
   * latest failures: each replica reads the list again a moment after its
   * write and writes once more when its own failures are missing.
   */
  private async writeShared(key: string) {
    for (let write = 0; write < MAX_SHARED_WRITES; write++) {
      const shared = await this.readSharedJoined(key);
      const now = this.now();
      const merged = this.merge(shared, this.ownRecent(key, now), now);
      if (write > 0 && merged.every(failure => includes(shared, failure))) {
        return;
      }
      try {
        await this.cache!.set(key, merged, { ttl: this.window });
      } catch (error) {
        this.warnAboutCache(error);
        return;
      }
      await sleep(VERIFY_DELAY_MS * (1 + Math.random()));
    }
  }

  private warnAboutCache(error: unknown) {
    const now = Date.now();
    if (now - this.lastCacheWarningAt >= CACHE_WARNING_INTERVAL_MS) {
      this.lastCacheWarningAt = now;
      this.logger?.warn(
        'API token failure limiter could not use the cache; counting on this replica only',
        toError(error),
      );
    }
  }
}

function checkWholeNumber(
  value: number,
  key: string,
  min: number,
  max: number,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `Invalid ${CONFIG_KEY}.${key}: it must be a whole number between ${min} and ${max}, got ${value}`,
    );
  }
  return value;
}

function includes(failures: Failure[], [, id]: Failure): boolean {
  return failures.some(failure => failure[1] === id);
}

function sleep(ms: number) {
  return new Promise<void>(resolve => setTimeout(resolve, ms).unref());
}

function isFailure(value: unknown): value is Failure {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'number' &&
    typeof value[1] === 'string'
  );
}

function refuse(res: ServerResponse, retryAfter: number) {
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
}
