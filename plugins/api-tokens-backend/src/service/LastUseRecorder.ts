import { LoggerService } from '@backstage/backend-plugin-api';
import { ApiTokensStore } from '../database/ApiTokensStore';

/** Last use is recorded at most this often per token. */
export const LAST_USE_INTERVAL = 60_000;

/**
 * Records when tokens are used, at most once a minute per token and never
 * on the request's time: the write happens after the answer, and a replica
 * skips tokens it wrote for recently without asking the database.
 */
export class LastUseRecorder {
  private readonly lastWritten = new Map<string, number>();

  constructor(
    private readonly store: ApiTokensStore,
    private readonly logger: LoggerService,
  ) {}

  record(tokenId: string, usedAt: Date): void {
    const last = this.lastWritten.get(tokenId);
    if (last !== undefined && usedAt.getTime() - last < LAST_USE_INTERVAL) {
      return;
    }
    this.lastWritten.set(tokenId, usedAt.getTime());
    if (this.lastWritten.size > 100_000) {
      this.lastWritten.clear();
    }
    this.store
      .recordUse({ id: tokenId, usedAt, minInterval: LAST_USE_INTERVAL })
      .catch(error =>
        this.logger.warn(`Could not record the use of token ${tokenId}`, error),
      );
  }
}
