import { BenchOptions } from '../options';
import { PortalClient } from '../portal/PortalClient';
import { BenchResults } from '../results';
import { elapsedMs, median, percentile } from '../stats';
import { CATALOG_PATH } from './authOverhead';

async function timedRequest(url: string, token: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();
  const ms = elapsedMs(start);
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status}`);
  }
  return ms;
}

/**
 * `exchange-p50-ms` and `exchange-p99-ms`: the latency of the first request
 * made with a token the backend has never seen, which pays for the
 * exchange (auth backend, verify route, catalog sign-in, user token). The
 * baseline is the second request with each token, served from the cache.
 */
export async function measureExchange(options: {
  bench: BenchOptions;
  results: BenchResults;
  client: PortalClient;
  adminToken: string;
  ownerRef: string;
}): Promise<void> {
  const { bench, results, client } = options;
  const secrets: string[] = [];
  for (let i = 0; i < bench.coldExchanges; i++) {
    const created = await client.createToken({
      adminToken: options.adminToken,
      userRef: options.ownerRef,
      name: `bench cold ${i}`,
    });
    secrets.push(created.secret);
  }
  const url = `${client.baseUrl}${CATALOG_PATH}`;
  const cold: number[] = [];
  const cached: number[] = [];
  // One at a time, each cold request followed by a cached one, so that both
  // see the same machine.
  for (const secret of secrets) {
    cold.push(await timedRequest(url, secret));
    cached.push(await timedRequest(url, secret));
  }
  results.add('exchange-p50-ms', median(cold));
  results.add('exchange-p99-ms', percentile(cold, 99));
  results.add('exchange-cached-p50-ms', median(cached));
  results.add('exchange-vs-cached-p50-ratio', median(cold) / median(cached));
}
