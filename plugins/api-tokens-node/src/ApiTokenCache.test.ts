import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthenticationError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { generateApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { ApiTokenCache, ApiTokenCacheLoad } from './ApiTokenCache';

function createCache(options?: { ttlMs?: number; maxEntries?: number }) {
  let now = 1_000_000;
  const cache = new ApiTokenCache<string>({
    ttlMs: options?.ttlMs ?? 4_000,
    maxEntries: options?.maxEntries,
    now: () => now,
  });
  return {
    cache,
    advance(ms: number) {
      now += ms;
    },
    now: () => now,
  };
}

function loaded(value: string, expiresAt = Number.POSITIVE_INFINITY) {
  return async (): Promise<ApiTokenCacheLoad<string>> => ({ value, expiresAt });
}

describe('ApiTokenCache', () => {
  it('keys entries by a SHA-256 digest, never the token', () => {
    const token = generateApiToken();
    const digest = ApiTokenCache.digest(token);

    expect(digest).not.toContain(token);
    expect(digest).toHaveLength(44);
    expect(ApiTokenCache.digest(token)).toBe(digest);
    expect(ApiTokenCache.digest(generateApiToken())).not.toBe(digest);
  });

  it('caches a loaded value for the TTL, counted from the start of the load', async () => {
    const { cache, advance } = createCache({ ttlMs: 4_000 });
    const loader = jest.fn(async () => {
      advance(1_000);
      return { value: 'user-token', expiresAt: Number.POSITIVE_INFINITY };
    });

    await expect(cache.load('d', loader)).resolves.toBe('user-token');
    expect(cache.get('d')).toBe('user-token');

    advance(2_999);
    expect(cache.get('d')).toBe('user-token');
    advance(1);
    expect(cache.get('d')).toBeUndefined();
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('never trusts a value past its own expiry', async () => {
    const { cache, advance, now } = createCache({ ttlMs: 4_000 });

    await cache.load('d', loaded('user-token', now() + 1_000));
    advance(999);
    expect(cache.get('d')).toBe('user-token');
    advance(1);
    expect(cache.get('d')).toBeUndefined();
  });

  it('shares a load in flight between concurrent callers', async () => {
    const { cache } = createCache();
    let resolve: (load: ApiTokenCacheLoad<string>) => void = () => {};
    const loader = jest.fn(
      () =>
        new Promise<ApiTokenCacheLoad<string>>(r => {
          resolve = r;
        }),
    );

    const results = Promise.all(
      Array.from({ length: 100 }, () => cache.load('d', loader)),
    );
    resolve({ value: 'user-token', expiresAt: Number.POSITIVE_INFINITY });

    expect(await results).toEqual(Array(100).fill('user-token'));
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('remembers a refusal briefly and throws it again', async () => {
    const { cache, advance } = createCache();
    const refuse = jest.fn(async () => {
      throw new AuthenticationError('API token has been revoked');
    });

    await expect(cache.load('d', refuse)).rejects.toThrow(
      'API token has been revoked',
    );
    expect(() => cache.get('d')).toThrow(AuthenticationError);
    expect(() => cache.get('d')).toThrow('API token has been revoked');

    advance(2_000);
    expect(cache.get('d')).toBeUndefined();
    expect(refuse).toHaveBeenCalledTimes(1);
  });

  it('remembers nothing about failures to get an answer', async () => {
    const { cache } = createCache();

    await expect(
      cache.load('d', async () => {
        throw new ServiceUnavailableError('auth backend is down');
      }),
    ).rejects.toThrow(ServiceUnavailableError);
    expect(cache.get('d')).toBeUndefined();

    await expect(cache.load('d', loaded('user-token'))).resolves.toBe(
      'user-token',
    );
  });

  it('loads a value in use again in the background once three quarters of its TTL have passed', async () => {
    const { cache, advance } = createCache({ ttlMs: 4_000 });
    await cache.load('d', loaded('first'));
    let resolve: (load: ApiTokenCacheLoad<string>) => void = () => {};
    const refresh = jest.fn(
      () =>
        new Promise<ApiTokenCacheLoad<string>>(r => {
          resolve = r;
        }),
    );

    advance(2_999);
    expect(cache.get('d', refresh)).toBe('first');
    expect(refresh).not.toHaveBeenCalled();

    advance(1);
    expect(cache.get('d', refresh)).toBe('first');
    expect(cache.get('d', refresh)).toBe('first');
    expect(refresh).toHaveBeenCalledTimes(1);

    resolve({ value: 'second', expiresAt: Number.POSITIVE_INFINITY });
    await new Promise(r => setImmediate(r));
    // Valid for a TTL from the start of the refresh, past the first's end.
    advance(3_999);
    expect(cache.get('d')).toBe('second');
    advance(1);
    expect(cache.get('d')).toBeUndefined();
  });

  it('answers a refusal found by a background refresh from then on', async () => {
    const { cache, advance } = createCache({ ttlMs: 4_000 });
    await cache.load('d', loaded('user-token'));
    advance(3_000);
    const revoked = async (): Promise<ApiTokenCacheLoad<string>> => {
      throw new AuthenticationError('API token has been revoked');
    };

    expect(cache.get('d', revoked)).toBe('user-token');
    await new Promise(resolve => setImmediate(resolve));

    expect(() => cache.get('d')).toThrow('API token has been revoked');
  });

  it('keeps a value until it expires when a background refresh fails to get an answer', async () => {
    const { cache, advance } = createCache({ ttlMs: 4_000 });
    await cache.load('d', loaded('user-token'));
    advance(3_000);
    const down = jest.fn(async (): Promise<ApiTokenCacheLoad<string>> => {
      throw new ServiceUnavailableError('auth backend is down');
    });

    expect(cache.get('d', down)).toBe('user-token');
    await new Promise(resolve => setImmediate(resolve));

    expect(down).toHaveBeenCalledTimes(1);
    expect(cache.get('d')).toBe('user-token');
    advance(1_000);
    expect(cache.get('d')).toBeUndefined();
  });

  it('caches nothing with a TTL of 0', async () => {
    const { cache } = createCache({ ttlMs: 0 });

    await cache.load('d', loaded('user-token'));
    expect(cache.get('d')).toBeUndefined();
  });

  it('holds at most maxEntries entries, dropping the oldest', async () => {
    const { cache } = createCache({ maxEntries: 2 });

    await cache.load('a', loaded('A'));
    await cache.load('b', loaded('B'));
    await cache.load('c', loaded('C'));

    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe('B');
    expect(cache.get('c')).toBe('C');
  });

  describe('fromConfig', () => {
    it('defaults to a TTL of 4 seconds', async () => {
      let now = 0;
      const cache = ApiTokenCache.fromConfig<string>(
        mockServices.rootConfig(),
        { now: () => now },
      );

      await cache.load('d', loaded('user-token'));
      now = 3_999;
      expect(cache.get('d')).toBe('user-token');
      now = 4_000;
      expect(cache.get('d')).toBeUndefined();
    });

    it('reads apiTokens.cache.ttl in any duration form', async () => {
      let now = 0;
      const cache = ApiTokenCache.fromConfig<string>(
        mockServices.rootConfig({
          data: { apiTokens: { cache: { ttl: '10s' } } },
        }),
        { now: () => now },
      );

      await cache.load('d', loaded('user-token'));
      now = 9_999;
      expect(cache.get('d')).toBe('user-token');
      now = 10_000;
      expect(cache.get('d')).toBeUndefined();
    });

    it('refuses a TTL above 30 seconds', () => {
      expect(() =>
        ApiTokenCache.fromConfig(
          mockServices.rootConfig({
            data: { apiTokens: { cache: { ttl: { minutes: 1 } } } },
          }),
        ),
      ).toThrow(/between 0 and 30 seconds/);
    });
  });
});
