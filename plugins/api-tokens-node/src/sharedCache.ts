import { CacheManager } from '@backstage/backend-defaults/cache';
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

/**
 * The cache of `backend.cache` under `namespace` when it is a store that the
 * replicas share (redis, memcache, …), or undefined for the default memory
 * store, which only this process would see.
 */
export function sharedCacheFromConfig(
  config: Config,
  namespace: string,
  logger?: LoggerService,
): CacheService | undefined {
  const store = config.getOptionalString('backend.cache.store') ?? 'memory';
  if (store === 'memory') {
    return undefined;
  }
  return CacheManager.fromConfig(config, { logger }).forPlugin(namespace);
}
