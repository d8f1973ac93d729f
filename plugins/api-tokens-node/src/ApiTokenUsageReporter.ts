import { DiscoveryService, LoggerService } from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import { ApiTokenClientInfo } from './apiTokenRequestContext';

/** A token and client address is reported at most this often. */
const REPORT_INTERVAL_MS = 60_000;
/** Uses are gathered this long before they are sent in one request. */
const FLUSH_DELAY_MS = 1_000;
/** The most uses one report carries (the route takes up to 1000). */
const MAX_BATCH = 500;
/** Entries remembered before the reporter forgets what it reported. */
const MAX_REMEMBERED = 100_000;
const REPORT_TIMEOUT_MS = 5_000;

/** One use of a token by a client, as reported. */
interface ReportedUse {
  tokenId: string;
  address: string;
  userAgent: string;
}

/**
 * Reports which client addresses and user agents use which API tokens to
 * the api-tokens backend (`POST /api/api-tokens/internal/tokens/usage`),
 * for usage forensics. Never on the request's time: uses are gathered and
 * sent a moment later, in the background, and each token and address is
 * reported at most once a minute (`lastReported` is shared by every plugin
 * of the backend). A report that fails is logged and dropped; usage is
 * forensics, not accounting.
 */
export class ApiTokenUsageReporter {
  readonly #discovery: DiscoveryService;
  readonly #serviceToken: () => Promise<string>;
  readonly #logger: LoggerService;
  readonly #lastReported: Map<string, number>;
  #pending: ReportedUse[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: {
    discovery: DiscoveryService;
    /** A service token of the reporting plugin for the api-tokens backend. */
    serviceToken: () => Promise<string>;
    logger: LoggerService;
    lastReported: Map<string, number>;
  }) {
    this.#discovery = options.discovery;
    this.#serviceToken = options.serviceToken;
    this.#logger = options.logger;
    this.#lastReported = options.lastReported;
  }

  record(tokenId: string, client: ApiTokenClientInfo): void {
    const key = `${tokenId} ${client.address}`;
    const now = Date.now();
    const last = this.#lastReported.get(key);
    if (last !== undefined && now - last < REPORT_INTERVAL_MS) {
      return;
    }
    if (this.#lastReported.size >= MAX_REMEMBERED) {
      this.#lastReported.clear();
    }
    this.#lastReported.set(key, now);
    this.#pending.push({ tokenId, ...client });
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#flush(), FLUSH_DELAY_MS);
      this.#timer.unref?.();
    }
  }

  async #flush(): Promise<void> {
    this.#timer = undefined;
    const uses = this.#pending.splice(0, this.#pending.length);
    for (let i = 0; i < uses.length; i += MAX_BATCH) {
      await this.#send(uses.slice(i, i + MAX_BATCH));
    }
  }

  async #send(uses: ReportedUse[]): Promise<void> {
    try {
      const baseUrl = await this.#discovery.getBaseUrl('api-tokens');
      const response = await fetch(`${baseUrl}/internal/tokens/usage`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await this.#serviceToken()}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ uses }),
        signal: AbortSignal.timeout(REPORT_TIMEOUT_MS),
      });
      if (!response.ok) {
        throw new Error(`the api-tokens backend answered ${response.status}`);
      }
    } catch (error) {
      this.#logger.warn(
        `Could not report the use of ${uses.length} API tokens`,
        toError(error),
      );
    }
  }
}
