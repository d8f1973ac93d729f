import { BenchOptions } from '../options';
import { PortalClient } from '../portal/PortalClient';
import { BenchResults } from '../results';
import { mean, median, percentile } from '../stats';
import { CATALOG_PATH, load } from './authOverhead';

/** How long a revoked token may keep working before the bench gives up. */
const REVOCATION_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** A replica, and the tokens the bench uses on it. */
export interface BenchReplica {
  client: PortalClient;
  /** Alice's user token, signed by this replica's auth backend. */
  adminToken: string;
  /** The owner's user token, likewise. */
  userToken: string;
}

/**
 * `two-replica-auth-overhead-ratio`: the throughput of the catalog route
 * through both replicas at once (half the connections on each) with the
 * owner's API token, over the same with the owner's user token. Runs
 * alternate ABBA, as in `auth-overhead-ratio`.
 */
export async function measureTwoReplicaAuthOverhead(options: {
  bench: BenchOptions;
  results: BenchResults;
  replicas: BenchReplica[];
  apiToken: string;
}): Promise<void> {
  const { bench, results, replicas } = options;
  const connections = Math.max(1, Math.floor(bench.connections / 2));
  const throughBoth = async (kind: 'api' | 'user', seconds: number) => {
    const runs = await Promise.all(
      replicas.map(replica =>
        load(
          `${replica.client.baseUrl}${CATALOG_PATH}`,
          kind === 'api' ? options.apiToken : replica.userToken,
          seconds,
          connections,
        ),
      ),
    );
    return runs.reduce((sum, run) => sum + run.requestsPerSecond, 0);
  };
  await throughBoth('api', bench.warmupSeconds);
  await throughBoth('user', bench.warmupSeconds);
  const throughput = { api: new Array<number>(), user: new Array<number>() };
  for (let round = 0; round < bench.loadRounds; round++) {
    const order: Array<'api' | 'user'> =
      round % 2 === 0 ? ['api', 'user'] : ['user', 'api'];
    for (const kind of order) {
      const requestsPerSecond = await throughBoth(kind, bench.loadSeconds);
      throughput[kind].push(requestsPerSecond);
      process.stderr.write(
        `  ${kind} token, both replicas: ${requestsPerSecond.toFixed(
          0,
        )} req/s\n`,
      );
    }
  }
  const api = mean(throughput.api);
  const user = mean(throughput.user);
  results.add('two-replica-auth-overhead-ratio', api / user, 3);
  results.add('two-replica-api-token-req-per-sec', api, 0);
  results.add('two-replica-user-token-req-per-sec', user, 0);
}

/**
 * `revocation-visible-p99-ms`: for each of `bench.revocations` tokens, used
 * on replica B (so that B has it cached) and then revoked through replica A,
 * the time from sending the revocation until B refuses the token (401),
 * asking B every 10 ms.
 */
export async function measureRevocationVisible(options: {
  bench: BenchOptions;
  results: BenchResults;
  replicas: BenchReplica[];
  ownerRef: string;
}): Promise<void> {
  const { bench, results } = options;
  const [a, b] = options.replicas;
  const statusOnB = async (secret: string) => {
    const response = await fetch(`${b.client.baseUrl}${CATALOG_PATH}`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    await response.arrayBuffer();
    return response.status;
  };
  const visibleAfterMs: number[] = [];
  for (let i = 0; i < bench.revocations; i++) {
    const { id, secret } = await a.client.createToken({
      adminToken: a.adminToken,
      userRef: options.ownerRef,
      name: `bench revoked ${i}`,
    });
    const warm = await statusOnB(secret);
    if (warm !== 200) {
      throw new Error(`A new token answered ${warm} on replica B`);
    }
    const revokedAt = performance.now();
    await a.client.revokeToken({ adminToken: a.adminToken, tokenId: id });
    for (;;) {
      const status = await statusOnB(secret);
      if (status === 401) {
        break;
      }
      if (status !== 200) {
        throw new Error(`Replica B answered ${status} for a revoked token`);
      }
      if (performance.now() - revokedAt > REVOCATION_TIMEOUT_MS) {
        throw new Error(
          `Replica B still accepted a token ${REVOCATION_TIMEOUT_MS} ms after its revocation`,
        );
      }
      await sleep(10);
    }
    visibleAfterMs.push(performance.now() - revokedAt);
  }
  results.add('revocation-visible-p99-ms', percentile(visibleAfterMs, 99), 0);
  results.add('revocation-visible-p50-ms', median(visibleAfterMs), 0);
}
