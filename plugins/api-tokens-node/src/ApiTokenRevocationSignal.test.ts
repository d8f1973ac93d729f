import { CacheManager } from '@backstage/backend-defaults/cache';
import { CacheService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { onApiTokenRevoked } from './apiTokenRevocations';
import { ApiTokenRevocationSignal } from './ApiTokenRevocationSignal';
import { eventually } from './__testUtils__/eventually';

/** One cache as every replica sees it with a shared store, in memory. */
function sharedCache(): CacheService {
  return CacheManager.fromConfig(new ConfigReader({})).forPlugin('api-tokens');
}

/** The token ids announced in this process while `run` runs. */
async function announcedDuring(run: () => Promise<unknown>) {
  const announced: string[] = [];
  const stop = onApiTokenRevoked(tokenId => announced.push(tokenId));
  try {
    await run();
  } finally {
    stop();
  }
  return announced;
}

describe('ApiTokenRevocationSignal', () => {
  it('announces a revocation in this process at once and to other replicas on their next poll', async () => {
    const cache = sharedCache();
    const replicaA = new ApiTokenRevocationSignal({ cache });
    const replicaB = new ApiTokenRevocationSignal({ cache });

    const inA = await announcedDuring(() => replicaA.announce('token-1'));
    expect(inA).toEqual(['token-1']);

    let fresh: string[] = [];
    const inB = await announcedDuring(async () => {
      fresh = await replicaB.poll();
    });
    expect(fresh).toEqual(['token-1']);
    expect(inB).toEqual(['token-1']);

    // Seen once is enough, and the announcing replica had it already.
    await expect(replicaB.poll()).resolves.toEqual([]);
    await expect(replicaA.poll()).resolves.toEqual([]);
  });

  it('keeps both revocations when two replicas write the list at the same moment', async () => {
    const cache = sharedCache();
    // Reads that take a while, so both replicas read the empty list before
    // either writes: the second write replaces the first.
    const slowReads: CacheService = {
      ...cache,
      get: async <T extends JsonValue>(key: string) => {
        const value = await cache.get<T>(key);
        await new Promise(resolve => setTimeout(resolve, 30));
        return value;
      },
      set: (key, value, options) => cache.set(key, value, options),
      delete: key => cache.delete(key),
      withOptions: options => cache.withOptions(options),
    };
    const replicaA = new ApiTokenRevocationSignal({ cache: slowReads });
    const replicaB = new ApiTokenRevocationSignal({ cache: slowReads });
    const observer = new ApiTokenRevocationSignal({ cache });

    await Promise.all([
      replicaA.announce('token-a'),
      replicaB.announce('token-b'),
    ]);
    expect(((await cache.get('revocations')) as unknown[]).length).toBe(1);

    const seen = new Set<string>();
    await eventually(async () => {
      for (const tokenId of await observer.poll()) {
        seen.add(tokenId);
      }
      expect(seen).toEqual(new Set(['token-a', 'token-b']));
    });
  });

  it('batches the revocations of one process into few writes', async () => {
    const cache = sharedCache();
    const set = jest.spyOn(cache, 'set');
    const signal = new ApiTokenRevocationSignal({ cache });

    await Promise.all(
      Array.from({ length: 20 }, (_, i) => signal.announce(`token-${i}`)),
    );

    expect(set.mock.calls.length).toBeLessThanOrEqual(2);
    const observer = new ApiTokenRevocationSignal({ cache });
    expect((await observer.poll()).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `token-${i}`).sort(),
    );
  });

  it('drops revocations older than a minute from the list', async () => {
    const cache = sharedCache();
    let time = 1_000_000;
    const signal = new ApiTokenRevocationSignal({ cache, now: () => time });

    await signal.announce('old');
    time += 61_000;
    await signal.announce('new');

    const observer = new ApiTokenRevocationSignal({ cache });
    await expect(observer.poll()).resolves.toEqual(['new']);
  });

  it('still revokes in this process when the cache is down, and says so', async () => {
    const failing: CacheService = {
      get: jest.fn().mockRejectedValue(new Error('redis is down')),
      set: jest.fn().mockRejectedValue(new Error('redis is down')),
      delete: jest.fn(),
      withOptions: jest.fn(),
    };
    const logger = mockServices.logger.mock();
    const signal = new ApiTokenRevocationSignal({ cache: failing, logger });

    const announced = await announcedDuring(() => signal.announce('token-1'));

    expect(announced).toEqual(['token-1']);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('within apiTokens.cache.ttl'),
      expect.objectContaining({ message: 'redis is down' }),
    );
    await expect(signal.poll()).rejects.toThrow('redis is down');
  });

  it('does not hold up a revocation when the cache does not answer', async () => {
    const silent: CacheService = {
      get: () => new Promise(() => {}),
      set: () => new Promise(() => {}),
      delete: jest.fn(),
      withOptions: jest.fn(),
    };
    const signal = new ApiTokenRevocationSignal({ cache: silent });

    const startedAt = Date.now();
    const announced = await announcedDuring(() => signal.announce('token-1'));

    expect(announced).toEqual(['token-1']);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('polls until stopped', async () => {
    const cache = sharedCache();
    const signal = new ApiTokenRevocationSignal({ cache });
    const announced: string[] = [];
    const stopListening = onApiTokenRevoked(tokenId => announced.push(tokenId));

    const stopPolling = signal.startPolling(20);
    await cache.set('revocations', [['token-1', Date.now()]]);
    await eventually(async () => expect(announced).toEqual(['token-1']), 1_000);
    stopPolling();
    await cache.set('revocations', [['token-2', Date.now()]]);
    await new Promise(resolve => setTimeout(resolve, 100));
    stopListening();

    expect(announced).toEqual(['token-1']);
  });
});
