import { CreatedApiToken } from '@internal/plugin-api-tokens-common';

// A token that expires sooner than this is replaced rather than handed out.
const MIN_REMAINING_MS = 60_000;

/**
 * The temporary token of one browser session: created on first use, then
 * kept in session storage until it is about to expire, so that reloading the
 * page shows the same token instead of minting a new one. Callers that ask
 * while it is being created (two components, or React's strict mode running
 * effects twice) share that one creation.
 */
export class SessionTemporaryToken {
  /** Where the browser session keeps its temporary token. */
  static readonly storageKey = 'api-tokens:temporary-token';

  private readonly create: () => Promise<CreatedApiToken>;
  private readonly storage: Storage;
  private pending?: Promise<CreatedApiToken>;

  constructor(options: {
    create: () => Promise<CreatedApiToken>;
    storage: Storage;
  }) {
    this.create = options.create;
    this.storage = options.storage;
  }

  /** The session's token for `userRef`, created if there is none to reuse. */
  async get(userRef: string): Promise<CreatedApiToken> {
    return this.readStored(userRef) ?? this.createOnce();
  }

  /** Forgets the session's token, e.g. after it was revoked. */
  forget(): void {
    this.storage.removeItem(SessionTemporaryToken.storageKey);
  }

  private readStored(userRef: string): CreatedApiToken | undefined {
    try {
      const stored = this.storage.getItem(SessionTemporaryToken.storageKey);
      if (!stored) return undefined;
      const created = JSON.parse(stored) as CreatedApiToken;
      const remaining = Date.parse(created.token.expiresAt) - Date.now();
      if (
        created.token.ownerRef !== userRef ||
        !(remaining > MIN_REMAINING_MS)
      ) {
        return undefined;
      }
      return created;
    } catch {
      return undefined;
    }
  }

  private createOnce(): Promise<CreatedApiToken> {
    if (!this.pending) {
      this.pending = this.create()
        .then(created => {
          this.storage.setItem(
            SessionTemporaryToken.storageKey,
            JSON.stringify(created),
          );
          return created;
        })
        .finally(() => {
          this.pending = undefined;
        });
    }
    return this.pending;
  }
}
