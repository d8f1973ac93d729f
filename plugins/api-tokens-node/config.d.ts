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
  };
}
