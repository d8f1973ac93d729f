import {
  ApiToken,
  CreatedApiToken,
} from '@nholuongut/backstage-plugin-api-tokens-common';

// A token that expires sooner than this is replaced rather than handed out,
// so that what the user copies still works for a while.
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

/** What the browser keeps of a temporary token: enough to reuse and revoke it. */
export interface StoredTemporaryToken {
  id: string;
  secret: string;
  /** ISO 8601. */
  expiresAt: string;
}

/**
 * Runs a callback while holding a lock that other tabs of the same origin
 * wait for; the shape of `navigator.locks`.
 */
export interface TabLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * The signed-in user's temporary token in this browser: minted on first use,
 * then kept in browser storage and reused, across reloads and (with
 * `localStorage`) tabs, until it is about to expire or the backend refuses it.
 * That keeps a user at one temporary token however many tabs they open,
 * instead of one per page load.
 *
 * Entries are keyed by the user's entity ref, so another user signing in on
 * the same browser never reads them. Callers in one tab that ask at the same
 * time share one answer; with `locks`, tabs take turns, so tabs opening at
 * once mint one token between them.
 */
export class SessionTemporaryToken {
  /** Every entry's key starts with this, followed by the user's entity ref. */
  static readonly storageKeyPrefix = 'api-tokens:temporary-token:';

  static storageKey(userRef: string): string {
    return `${SessionTemporaryToken.storageKeyPrefix}${userRef}`;
  }

  private readonly storage: Storage;
  private readonly create: () => Promise<CreatedApiToken>;
  private readonly check: (secret: string) => Promise<ApiToken | undefined>;
  private readonly revoke: (id: string) => Promise<void>;
  private readonly locks?: TabLocks;
  private readonly pending = new Map<string, Promise<CreatedApiToken>>();

  constructor(options: {
    storage: Storage;
    /** Mints a temporary token for the signed-in user. */
    create: () => Promise<CreatedApiToken>;
    /**
     * The token a secret belongs to, as the backend sees it; `undefined`
     * when the backend refuses the secret (revoked, expired, unknown).
     */
    check: (secret: string) => Promise<ApiToken | undefined>;
    revoke: (id: string) => Promise<void>;
    locks?: TabLocks;
  }) {
    this.storage = options.storage;
    this.create = options.create;
    this.check = options.check;
    this.revoke = options.revoke;
    this.locks = options.locks;
  }

  /** The user's token: the stored one while the backend accepts it, else a new one. */
  get(userRef: string): Promise<CreatedApiToken> {
    let answer = this.pending.get(userRef);
    if (!answer) {
      answer = this.withLock(userRef, () =>
        this.reuseOrCreate(userRef),
      ).finally(() => this.pending.delete(userRef));
      this.pending.set(userRef, answer);
    }
    return answer;
  }

  /** Drops the user's stored token if it is `tokenId`, e.g. after it was revoked. */
  forget(userRef: string, tokenId: string): void {
    if (this.read(userRef)?.id === tokenId) {
      this.storage.removeItem(SessionTemporaryToken.storageKey(userRef));
    }
  }

  /**
   * For sign-out: removes every temporary token secret this storage holds,
   * then revokes the user's. The secrets are gone even if the revoke fails.
   */
  async revokeAndClear(userRef: string): Promise<void> {
    const stored = this.read(userRef);
    for (const key of this.keys()) {
      this.storage.removeItem(key);
    }
    if (stored) {
      await this.revoke(stored.id);
    }
  }

  private withLock<T>(userRef: string, callback: () => Promise<T>): Promise<T> {
    return this.locks
      ? this.locks.request(SessionTemporaryToken.storageKey(userRef), callback)
      : callback();
  }

  private async reuseOrCreate(userRef: string): Promise<CreatedApiToken> {
    const stored = this.read(userRef);
    if (
      stored &&
      Date.parse(stored.expiresAt) - Date.now() > RENEW_BEFORE_EXPIRY_MS
    ) {
      const token = await this.check(stored.secret);
      if (
        token &&
        token.id === stored.id &&
        token.ownerRef === userRef &&
        token.state === 'active'
      ) {
        return { token, secret: stored.secret };
      }
    }
    const created = await this.create();
    const entry: StoredTemporaryToken = {
      id: created.token.id,
      secret: created.secret,
      expiresAt: created.token.expiresAt,
    };
    this.storage.setItem(
      SessionTemporaryToken.storageKey(userRef),
      JSON.stringify(entry),
    );
    return created;
  }

  private read(userRef: string): StoredTemporaryToken | undefined {
    return parseEntry(
      this.storage.getItem(SessionTemporaryToken.storageKey(userRef)),
    );
  }

  private keys(): string[] {
    const keys: string[] = [];
    for (let i = 0; i < this.storage.length; i++) {
      const key = this.storage.key(i);
      if (key?.startsWith(SessionTemporaryToken.storageKeyPrefix)) {
        keys.push(key);
      }
    }
    return keys;
  }
}

function parseEntry(text: string | null): StoredTemporaryToken | undefined {
  if (!text) return undefined;
  try {
    const entry = JSON.parse(text);
    if (
      typeof entry?.id === 'string' &&
      typeof entry.secret === 'string' &&
      typeof entry.expiresAt === 'string'
    ) {
      return {
        id: entry.id,
        secret: entry.secret,
        expiresAt: entry.expiresAt,
      };
    }
  } catch {
    // Unreadable: treated as absent, and replaced by the next token.
  }
  return undefined;
}
