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
     * enforced by `ApiTokenFailureLimiter` on the root HTTP router. The
     * counts are shared by every replica through `backend.cache` when it
     * names a shared store (e.g. redis), and kept per replica otherwise.
     * A bad value stops the backend at startup.
     */
    failureLimit?: {
      /** Failed attempts allowed within the window; default 30, at most 10000. */
      maxFailures?: number;
      /**
       * The window, e.g. `{ minutes: 1 }` (the default); between 1 second and
       * 24 hours.
       */
      window?:
        | {
            milliseconds?: number;
            seconds?: number;
            minutes?: number;
            hours?: number;
          }
        | string;
      /**
       * Which proxies in front of the backend may report the client address
       * in `X-Forwarded-For`, as Express's `trust proxy`: the number of
       * proxies (e.g. `1` behind one load balancer), or their addresses and
       * CIDR ranges (e.g. `['10.0.0.0/8']`; also `loopback`, `linklocal`,
       * `uniquelocal`). The client address is the right-most entry not
       * written by a trusted proxy, never one the client wrote itself.
       * Default: none, the address of the connection is the client's. `true`
       * (trust every hop) is refused.
       */
      trustProxy?: false | number | string | string[];
      /**
       * Client addresses and CIDR ranges that are never limited, e.g.
       * `['192.0.2.10/32']`; default none.
       */
      exempt?: string[];
    };
  };
}
