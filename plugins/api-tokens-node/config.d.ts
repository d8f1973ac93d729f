export interface Config {
  apiTokens?: {
    /**
     * How the token-handler decorator caches API tokens it has exchanged for
     * Backstage user tokens.
     */
    cache?: {
      /**
       * How long an exchanged API token is trusted before it is verified
       * again, e.g. `{ seconds: 4 }` or `'4s'`. This bounds how long a revoked
       * or expired token keeps working on a replica that has just used it.
       * Default 4 seconds, at most 30 seconds; 0 disables caching (concurrent
       * requests still share one exchange).
       */
      ttl?:
        | {
            milliseconds?: number;
            seconds?: number;
          }
        | string;
    };

    /**
     * Limits on failed API token attempts (answered 401) per client address,
     * enforced by `ApiTokenFailureLimiter` on each replica.
     */
    failureLimit?: {
      /** Failed attempts allowed within the window; default 30. */
      maxFailures?: number;
      /** The window, e.g. `{ minutes: 1 }` (the default). */
      window?:
        | {
            milliseconds?: number;
            seconds?: number;
            minutes?: number;
          }
        | string;
      /**
       * Take the client address from the first `X-Forwarded-For` entry.
       * Enable only behind a proxy that sets it; default false.
       */
      trustProxy?: boolean;
    };
  };
}
