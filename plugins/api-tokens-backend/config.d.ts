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
       * year, which is the default.
       */
      maxLifetime?: HumanDuration | string;
    };

    temporaryTokens?: {
      /** The lifetime of a temporary token. Defaults to 8 hours; at most 24. */
      lifetime?: HumanDuration | string;
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

      email?: {
        /** The sender of expiry emails, e.g. 'Backstage <backstage@example.com>'. */
        from: string;
        smtp: {
          host: string;
          port: number;
          /** Use TLS from the start (port 465); otherwise STARTTLS when offered. */
          secure?: boolean;
          username?: string;
          /** @visibility secret */
          password?: string;
        };
      };
    };
  };
}
