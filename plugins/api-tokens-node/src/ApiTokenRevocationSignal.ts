import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import { announceApiTokenRevoked } from './apiTokenRevocations';

/**
 * The cache namespace of the shared revocation list: the api-tokens
 * plugin's, so that the backend writes it with its own `coreServices.cache`.
 */
export const API_TOKEN_REVOCATIONS_CACHE_NAMESPACE = 'api-tokens';
const KEY = 'revocations';

/**
 * How long a revocation stays on the list. A replica drops what it cached
 * within `apiTokens.cache.ttl` (at most 30 s) anyway, so a replica that missed
 * the signal for longer has nothing left to drop.
 */
const RETENTION_MS = 60_000;
/**
 * After a write, the list is read again this long later, and the write
 * repeated when another replica's write replaced it in between.
 */
const VERIFY_DELAY_MS = 150;
const MAX_WRITES = 5;
/**
 * How long `announce` waits for the cache: a revocation must not hang on a
 * cache that does not answer (the write goes on in the background).
 */
const ANNOUNCE_TIMEOUT_MS = 1_000;

/** How often replicas read the list by default. */
export const DEFAULT_REVOCATION_POLL_INTERVAL_MS = 200;

/** A revocation on the list: the token id and when, in epoch ms. */
type Revocation = [tokenId: string, at: number];

function isRevocation(value: unknown): value is Revocation {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'number'
  );
}

function sleep(ms: number) {
  return new Promise<void>(resolve => setTimeout(resolve, ms).unref());
}

/**
 * Options for {@link ApiTokenRevocationSignal}.
 *
 * @public
 */
export interface ApiTokenRevocationSignalOptions {
  /**
   * The cache of the api-tokens plugin (`coreServices.cache`), or
   * `CacheManager.forPlugin('api-tokens')`: with `backend.cache.store: redis`
   * every replica shares it.
   */
  cache: CacheService;
  /** Where failures of the cache are reported. */
  logger?: LoggerService;
  /** The clock, in epoch milliseconds; tests move it. */
  now?: () => number;
}

/**
 * Tells every replica that API tokens were revoked (or rotated), so that
 * their token handlers stop using what they cached for them within a poll
 * interval rather than the cache TTL.
 *
 * The signal is a short list of recent revocations under one key of the
 * shared cache (`backend.cache`). `announce` drops this process's cached
 * entries at once (`announceApiTokenRevoked`) and adds the ids to the list;
 * every replica's token-handler decorator reads the list every 200 ms (one
 * cache read per process, never on a request's time) and drops its entries
 * for the ids it has not seen yet.
 *
 * The cache has no atomic append, so two replicas writing at the same moment
 * can replace each other's write: each writer reads the list again a moment
 * later and writes once more what is missing. Should the cache fail, the
 * revocation still reaches every replica when its cache entries expire
 * (`apiTokens.cache.ttl`).
 *
 * @public
 */
export class ApiTokenRevocationSignal {
  readonly #cache: CacheService;
  readonly #logger?: LoggerService;
  readonly #now: () => number;
  /** Revocations not yet written, with how many writes they have had. */
  readonly #pending = new Map<string, { at: number; writes: number }>();
  #writing: Promise<void> = Promise.resolve();
  /** Revocations already acted on by `poll`, until they leave the list. */
  readonly #seen = new Map<string, number>();

  constructor(options: ApiTokenRevocationSignalOptions) {
    this.#cache = options.cache;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => Date.now());
  }

  /**
   * Drops this process's cached entries for the tokens at once and puts them
   * on the shared list; resolves once the list has them, or after a second
   * when the cache does not answer (a failure of the cache is logged, not
   * thrown: the revocation itself has happened).
   */
  announce(...tokenIds: string[]): Promise<void> {
    const at = this.#now();
    for (const tokenId of tokenIds) {
      announceApiTokenRevoked(tokenId);
      this.#seen.set(tokenId, at);
      this.#pending.set(tokenId, { at, writes: 0 });
    }
    return Promise.race([this.#flush(), sleep(ANNOUNCE_TIMEOUT_MS)]);
  }

  /**
   * Reads the shared list and announces, in this process, the revocations it
   * has not seen before; returns their token ids.
   */
  async poll(): Promise<string[]> {
    const revocations = await this.#read();
    const now = this.#now();
    for (const [tokenId, at] of this.#seen) {
      if (at < now - RETENTION_MS * 2) {
        this.#seen.delete(tokenId);
      }
    }
    const fresh: string[] = [];
    for (const [tokenId, at] of revocations) {
      const seenAt = this.#seen.get(tokenId);
      if (seenAt === undefined || seenAt < at) {
        this.#seen.set(tokenId, at);
        announceApiTokenRevoked(tokenId);
        fresh.push(tokenId);
      }
    }
    return fresh;
  }

  /**
   * Polls every `intervalMs` until the returned function is called. Failures
   * are logged at most once a minute.
   */
  startPolling(
    intervalMs: number = DEFAULT_REVOCATION_POLL_INTERVAL_MS,
  ): () => void {
    let lastWarningAt = Number.NEGATIVE_INFINITY;
    let polling = false;
    const timer = setInterval(() => {
      if (polling) {
        return;
      }
      polling = true;
      this.poll()
        .catch(error => {
          if (this.#now() - lastWarningAt >= 60_000) {
            lastWarningAt = this.#now();
            this.#logger?.warn(
              'Could not read the API token revocations of other replicas from the cache; they take effect here within apiTokens.cache.ttl',
              toError(error),
            );
          }
        })
        .finally(() => {
          polling = false;
        });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  async #read(): Promise<Revocation[]> {
    const stored = await this.#cache.get(KEY);
    return Array.isArray(stored) ? stored.filter(isRevocation) : [];
  }

  /** Writes what is pending, one write at a time in this process. */
  #flush(): Promise<void> {
    const write = this.#writing.then(() => this.#write());
    this.#writing = write;
    return write;
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0) {
      return;
    }
    const batch = new Map(this.#pending);
    this.#pending.clear();
    try {
      const now = this.#now();
      const merged = new Map<string, number>();
      for (const [tokenId, at] of await this.#read()) {
        if (at > now - RETENTION_MS) {
          merged.set(tokenId, at);
        }
      }
      for (const [tokenId, { at }] of batch) {
        merged.set(tokenId, Math.max(at, merged.get(tokenId) ?? at));
      }
      await this.#cache.set(KEY, [...merged], { ttl: RETENTION_MS });
    } catch (error) {
      this.#logger?.warn(
        'Could not tell other replicas of an API token revocation through the cache; it takes effect there within apiTokens.cache.ttl',
        toError(error),
      );
      return;
    }
    this.#verifyLater(batch);
  }

  /** Writes again what another replica's write replaced. */
  #verifyLater(batch: Map<string, { at: number; writes: number }>) {
    sleep(VERIFY_DELAY_MS + Math.random() * VERIFY_DELAY_MS)
      .then(() => this.#read())
      .then(revocations => {
        const listed = new Map(revocations);
        let missing = false;
        for (const [tokenId, { at, writes }] of batch) {
          if ((listed.get(tokenId) ?? -1) < at && writes + 1 < MAX_WRITES) {
            this.#pending.set(tokenId, { at, writes: writes + 1 });
            missing = true;
          }
        }
        return missing ? this.#flush() : undefined;
      })
      .catch(error =>
        this.#logger?.warn(
          'Could not check the API token revocations in the cache',
          toError(error),
        ),
      );
  }
}
