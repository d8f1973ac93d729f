import { LoggerService } from '@backstage/backend-plugin-api';
import { ApiTokensStore, TokenClientUse } from '../database/ApiTokensStore';

/** Last use is recorded at most this often per token, and per token and address. */
export const LAST_USE_INTERVAL = 60_000;
/** The client addresses kept per token. */
export const RECENT_CLIENTS_KEPT = 5;
/** Entries remembered before a replica forgets what it wrote. */
const MAX_REMEMBERED = 100_000;

/**
 * Records when tokens are used, and by which client addresses and user
 * agents, at most once a minute per token (and per token and address), and
 * never on the request's time: the write happens after the answer, and a
 * replica skips what it wrote recently without asking the database.
 */
export class LastUseRecorder {
  private readonly lastWritten = new Map<string, number>();
  private readonly lastClientWritten = new Map<string, number>();

  constructor(
    private readonly store: ApiTokensStore,
    private readonly logger: LoggerService,
  ) {}

  record(tokenId: string, usedAt: Date): void {
    if (!isDue(this.lastWritten, tokenId, usedAt)) {
      return;
    }
    this.store
      .recordUse({ id: tokenId, usedAt, minInterval: LAST_USE_INTERVAL })
      .catch(error =>
        this.logger.warn(`Could not record the use of token ${tokenId}`, error),
      );
  }

  /** Records a use by a client address, and the use of the token itself. */
  recordClient(use: TokenClientUse): void {
    this.record(use.tokenId, use.usedAt);
    const key = `${use.tokenId} ${use.address}`;
    if (!isDue(this.lastClientWritten, key, use.usedAt)) {
      return;
    }
    this.store
      .recordClientUse(use, {
        minInterval: LAST_USE_INTERVAL,
        keep: RECENT_CLIENTS_KEPT,
      })
      .catch(error =>
        this.logger.warn(
          `Could not record a client of token ${use.tokenId}`,
          error,
        ),
      );
  }
}

/** Whether `key` was last written long enough ago; if so, notes the write. */
function isDue(lastWritten: Map<string, number>, key: string, usedAt: Date) {
  const last = lastWritten.get(key);
  if (last !== undefined && usedAt.getTime() - last < LAST_USE_INTERVAL) {
    return false;
  }
  if (lastWritten.size >= MAX_REMEMBERED) {
    lastWritten.clear();
  }
  lastWritten.set(key, usedAt.getTime());
  return true;
}
