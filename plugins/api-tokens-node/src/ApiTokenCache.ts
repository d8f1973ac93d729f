import { hash } from 'node:crypto';
import { RootConfigService } from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { AuthenticationError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/** The default time an exchanged token is trusted before it is verified again. */
export const DEFAULT_API_TOKEN_CACHE_TTL_MS = 4_000;

/**
 * The longest `apiTokens.cache.ttl` accepted. The TTL is how long a revoked
 * token may keep working on a replica, so it stays in seconds, not minutes.
 */
export const MAX_API_TOKEN_CACHE_TTL_MS = 30_000;

/**
 * How long a definitive refusal (expired, revoked, unknown token) is
 * remembered, so a script retrying a dead token in a loop costs one lookup
 * every two seconds instead of one per request.
 */
const NEGATIVE_TTL_MS = 2_000;

/**
 * Bounds the memory an attacker can make us hold by sending many distinct
 * well-formed tokens (the checksum is no secret).
 */
const MAX_ENTRIES = 10_000;

/**
 * The share of the TTL after which a value in use is loaded again in the
 * background (see {@link ApiTokenCache.get}).
 */
const REFRESH_AFTER_TTL_SHARE = 0.75;

type CacheEntry<T> =
  | { validUntil: number; refreshAt: number; value: T; rejection?: undefined }
  | { validUntil: number; value?: undefined; rejection: string };

/**
 * What a load produced: the value, and when it stops being valid regardless
 * of the TTL (e.g. when the API token or the exchanged user token expires),
 * in epoch milliseconds.
 */
export interface ApiTokenCacheLoad<T> {
  value: T;
  expiresAt: number;
}

/** Options for {@link ApiTokenCache}. */
export interface ApiTokenCacheOptions {
  ttlMs: number;
  negativeTtlMs?: number;
  maxEntries?: number;
  /** The clock, in epoch milliseconds; tests replace it. */
  now?: () => number;
}

/**
 * Remembers what API tokens were exchanged for, keyed by the SHA-256 digest
 * of the token so that the cache never holds a token. Concurrent loads of the
 * same token share one request, definitive refusals are remembered briefly,
 * and nothing is remembered about failures to get an answer at all.
 *
 * A value is trusted for at most the TTL counted from the moment its load
 * started, so a token revoked at time t stops working everywhere by t + TTL.
 */
export class ApiTokenCache<T> {
  readonly #ttlMs: number;
  readonly #negativeTtlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  // Insertion order is (roughly) expiry order: entries are re-inserted on
  // every store, so stale ones collect at the front where #sweep finds them.
  readonly #entries = new Map<string, CacheEntry<T>>();
  readonly #loads = new Map<string, Promise<T>>();

  /** Reads `apiTokens.cache.ttl`, refusing values above the maximum. */
  static fromConfig<T>(
    config: RootConfigService,
    options?: { now?: () => number },
  ): ApiTokenCache<T> {
    const key = 'apiTokens.cache.ttl';
    const ttlMs = config.has(key)
      ? durationToMilliseconds(readDurationFromConfig(config, { key }))
      : DEFAULT_API_TOKEN_CACHE_TTL_MS;
    if (!(ttlMs >= 0 && ttlMs <= MAX_API_TOKEN_CACHE_TTL_MS)) {
      throw new Error(
        `Invalid ${key}: it bounds how long a revoked API token keeps working, so it must be between 0 and ${
          MAX_API_TOKEN_CACHE_TTL_MS / 1000
        } seconds`,
      );
    }
    return new ApiTokenCache<T>({ ttlMs, now: options?.now });
  }

  /** The cache key of a token. */
  static digest(token: string): string {
    return hash('sha256', token, 'base64');
  }

  constructor(options: ApiTokenCacheOptions) {
    this.#ttlMs = options.ttlMs;
    this.#negativeTtlMs = options.negativeTtlMs ?? NEGATIVE_TTL_MS;
    this.#maxEntries = options.maxEntries ?? MAX_ENTRIES;
    this.#now = options.now ?? (() => Date.now());
  }

  /**
   * The cached value for a digest, or undefined when there is none that is
   * still valid. Throws the remembered `AuthenticationError` for a token that
   * was refused a moment ago.
   *
   * Given `refresh`, a value that has lived three quarters of its TTL is
   * loaded again in the background while it is still answered, so that a
   * token in steady use is not verified again on a request's time: every
   * request of a busy CI client waited for that load once per TTL. The value
   * answered meanwhile is still one whose load started less than a TTL ago.
   */
  get(
    digest: string,
    refresh?: () => Promise<ApiTokenCacheLoad<T>>,
  ): T | undefined {
    const entry = this.#entries.get(digest);
    if (entry === undefined) {
      return undefined;
    }
    const now = this.#now();
    if (entry.validUntil <= now) {
      this.#entries.delete(digest);
      return undefined;
    }
    if (entry.rejection !== undefined) {
      throw new AuthenticationError(entry.rejection);
    }
    if (refresh && entry.refreshAt <= now && !this.#loads.has(digest)) {
      // What the load finds is remembered; a failure is the loader's to
      // report, and the value stays until it expires.
      this.load(digest, refresh).catch(() => {});
    }
    return entry.value;
  }

  /**
   * Loads the value for a digest, joining a load already in flight for it.
   * The outcome is remembered when it is definitive: a value, or an
   * `AuthenticationError`. Any other error is passed on and forgotten, so the
   * next request tries again.
   */
  load(
    digest: string,
    loader: () => Promise<ApiTokenCacheLoad<T>>,
  ): Promise<T> {
    const inFlight = this.#loads.get(digest);
    if (inFlight) {
      return inFlight;
    }
    const startedAt = this.#now();
    const load = loader()
      .then(
        ({ value, expiresAt }) => {
          this.#store(digest, {
            value,
            validUntil: Math.min(startedAt + this.#ttlMs, expiresAt),
            refreshAt: startedAt + this.#ttlMs * REFRESH_AFTER_TTL_SHARE,
          });
          return value;
        },
        (error: unknown) => {
          if (AuthenticationError.is(error)) {
            this.#store(digest, {
              rejection: error.message,
              validUntil: startedAt + this.#negativeTtlMs,
            });
          }
          throw error;
        },
      )
      .finally(() => {
        this.#loads.delete(digest);
      });
    this.#loads.set(digest, load);
    return load;
  }

  /** Forgets the values for which `matches` is true. */
  forget(matches: (key: string, value: T) => boolean): void {
    for (const [key, entry] of this.#entries) {
      if (entry.value !== undefined && matches(key, entry.value)) {
        this.#entries.delete(key);
      }
    }
  }

  #store(digest: string, entry: CacheEntry<T>) {
    this.#entries.delete(digest);
    this.#entries.set(digest, entry);
    this.#sweep();
  }

  #sweep() {
    const now = this.#now();
    for (const [digest, entry] of this.#entries) {
      if (entry.validUntil > now && this.#entries.size <= this.#maxEntries) {
        return;
      }
      this.#entries.delete(digest);
    }
  }
}
