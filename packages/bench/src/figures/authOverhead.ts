import autocannon from 'autocannon';
import { BenchOptions } from '../options';
import { BenchResults } from '../results';
import { mean } from '../stats';

/** The route under load: cheap, authenticated and permission-checked. */
export const CATALOG_PATH = '/api/catalog/entities?limit=1';

export interface LoadRun {
  requestsPerSecond: number;
  p50Ms: number;
}

export async function load(
  url: string,
  token: string,
  seconds: number,
  connections: number,
): Promise<LoadRun> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
  });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0 || result.requests.total === 0) {
    throw new Error(
      `Load on ${url} failed: ${result.requests.total} requests, ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`,
    );
  }
  return {
    requestsPerSecond: result.requests.total / seconds,
    p50Ms: result.latency.p50,
  };
}

/**
 * `auth-overhead-ratio`: the throughput of one catalog route with the
 * owner's API token over the same with the owner's Backstage user token, on
 * one backend under the same load. Runs alternate ABBA, so that a drift of
 * the machine during the run weighs on both sides alike.
 */
export async function measureAuthOverhead(options: {
  bench: BenchOptions;
  results: BenchResults;
  baseUrl: string;
  apiToken: string;
  userToken: string;
}): Promise<void> {
  const { bench, results } = options;
  const url = `${options.baseUrl}${CATALOG_PATH}`;
  const kinds = [
    { name: 'api', token: options.apiToken, runs: new Array<LoadRun>() },
    { name: 'user', token: options.userToken, runs: new Array<LoadRun>() },
  ];
  for (const kind of kinds) {
    await load(url, kind.token, bench.warmupSeconds, bench.connections);
  }
  for (let round = 0; round < bench.loadRounds; round++) {
    const order = round % 2 === 0 ? kinds : [...kinds].reverse();
    for (const kind of order) {
      const run = await load(
        url,
        kind.token,
        bench.loadSeconds,
        bench.connections,
      );
      kind.runs.push(run);
      process.stderr.write(
        `  ${kind.name} token: ${run.requestsPerSecond.toFixed(0)} req/s\n`,
      );
    }
  }
  const [api, user] = kinds.map(kind => ({
    requestsPerSecond: mean(kind.runs.map(run => run.requestsPerSecond)),
    p50Ms: mean(kind.runs.map(run => run.p50Ms)),
  }));
  results.add(
    'auth-overhead-ratio',
    api.requestsPerSecond / user.requestsPerSecond,
    3,
  );
  results.add('auth-api-token-req-per-sec', api.requestsPerSecond, 0);
  results.add('auth-user-token-req-per-sec', user.requestsPerSecond, 0);
  results.add('auth-api-token-p50-ms', api.p50Ms);
  results.add('auth-user-token-p50-ms', user.p50Ms);
}
