import { HumanDuration } from '@backstage/types';

export interface Config {
  apiTokens?: {
    /**
     * Groups whose members the portal's permission policy grants the API
     * token admin permissions. Read by the app's policy, not by this plugin.
     */
    adminGroups?: string[];

    /**
     * A server-side secret mixed into the token digests (HMAC-SHA-256). With
     * it, a stolen database alone cannot be used to test guessed tokens.
     * Changing it invalidates every existing token.
     * @visibility secret
     */
    pepper?: string;

    permanentTokens?: {
      /**
       * The default and maximum lifetime of a permanent token. At most one
       * year, which is the default. Admins can lower it further at runtime
       * with the setting MaximumTokenLifetimeDays; the smaller applies.
       */
      maxLifetime?: HumanDuration | string;

      /**
       * Revokes permanent tokens not used (or, never used, created) for this
       * long, once a day; each revocation is audited and its owner notified.
       * At least one day. Off when not set.
       */
      unusedRevokeAfter?: HumanDuration | string;
    };

    /**
     * Whether new permanent tokens must have a scope (`scope` in
     * `POST /v1/users/{userRef}/tokens`). Defaults to false: a token without
     * a scope has its owner's full power. Existing tokens are not changed.
     */
    requireScope?: boolean;

    temporaryTokens?: {
      /** The lifetime of a temporary token. Defaults to 8 hours; at most 24. */
      lifetime?: HumanDuration | string;

      /**
       * How many temporary tokens one user may have active at once; minting
       * one more revokes their oldest. A whole number of at least 1;
       * defaults to 5.
       */
      maxActivePerUser?: number;
    };

    /**
     * Leak reports from secret scanners (`POST /api/api-tokens/v1/leaks`).
     * Without a key or secret, every report is refused with 401.
     */
    leakReports?: {
      github?: {
        /**
         * GitHub's secret scanning public keys, as
         * https://api.github.com/meta/public_keys/secret_scanning lists them
         * (`key_identifier` as `id`, the PEM `key` as `key`). Kept in
         * config because the portal may not reach the internet.
         */
        publicKeys?: Array<{
          /** The key identifier GitHub sends in Github-Public-Key-Identifier. */
          id: string;
          /** The ECDSA P-256 public key, PEM. */
          key: string;
        }>;
      };
      /**
       * Secrets of the generic scheme: a report whose
       * `X-Leak-Report-Signature: sha256=<hex>` is the HMAC-SHA-256 of its
       * raw body with any of them is accepted. At least 16 characters each.
       * @visibility secret
       */
      hmacSecrets?: string[];
      /** The endpoint's own limit per client address. */
      rateLimit?: {
        /** Requests per window; defaults to 60. */
        maxRequests?: number;
        /** Defaults to one minute; at least one second. */
        window?: HumanDuration | string;
      };
    };

    expiryCheck?: {
      /** How often the expiry check runs. Defaults to every hour. */
      frequency?: HumanDuration | string;
    };

    notifications?: {
      /**
       * Days before expiry at which faults are raised, until an admin sets
       * EnableUserTokenNotification. Defaults to 15.
       */
      defaultDaysBeforeExpiry?: number;

      /**
       * Addresses, separated by semicolons, that expiry emails go to until an
       * admin sets UserTokenExpirationNotificationEmails.
       */
      defaultEmails?: string;

      /** Where the admin pages live, for the link in expiry emails. */
      adminPageUrl?: string;

      /**
       * Expiry emails. With this block, the backend refuses to start unless
       * `from`, `smtp.host` and `smtp.port` are valid; without it, no email
       * is sent, and `defaultEmails` is refused at startup.
       */
      email?: {
        /** The sender of expiry emails, e.g. 'Backstage <backstage@example.com>'. */
        from: string;
        smtp: {
          /** A host name or IP address. */
          host: string;
          /** 1 to 65535. */
          port: number;
          /** Use TLS from the start (port 465); otherwise STARTTLS when offered. */
          secure?: boolean;
          /**
           * With `secure: false`, send only over STARTTLS: refuse a server
           * that does not offer it. Defaults to false.
           */
          requireTls?: boolean;
          username?: string;
          /** @visibility secret */
          password?: string;
        };
        /**
         * Attempts per email and address before it gives up and raises an
         * `email-undeliverable` fault. A whole number from 1 to 10; defaults
         * to 5.
         */
        maxAttempts?: number;
        /**
         * The wait after the first failed attempt; it doubles after each
         * further failure. Positive, at most a day; defaults to 30 minutes.
         */
        retryDelay?: HumanDuration | string;
      };
    };
  };
}
