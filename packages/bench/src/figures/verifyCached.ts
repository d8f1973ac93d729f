import {
  PluginTokenHandler,
  pluginTokenHandlerDecoratorServiceRef,
} from '@backstage/backend-defaults/auth';
import { discoveryServiceFactory } from '@backstage/backend-defaults/discovery';
import {
  mockServices,
  ServiceFactoryTester,
} from '@backstage/backend-test-utils';
import { generateApiToken } from '@nholuongut/backstage-plugin-api-tokens-common';
import { apiTokenHandlerDecoratorServiceFactory } from '@nholuongut/backstage-plugin-api-tokens-node';
import { hash, randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { BenchOptions } from '../options';
import { BenchResults } from '../results';
import { median } from '../stats';

const BATCH = 1000;

/**
 * Stands in for the auth backend's `POST /api/auth/api-token/refresh` and
 * the api-tokens backend's state route (an active token without a scope),
 * so that the decorator can load its caches once without a whole backend.
 */
async function startRefreshStandIn(): Promise<{
  server: Server;
  userToken: string;
}> {
  const tokenId = randomUUID();
  const segment = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  // Shaped like the auth backend's user token, which the exchange client
  // checks; nothing verifies its signature here.
  const userToken = [
    segment({ alg: 'ES256', kid: 'bench' }),
    segment({
      sub: 'user:default/bob',
      exp: Math.floor(Date.now() / 1000) + 3600,
      api_token_id: tokenId,
    }),
    segment({ signature: 'bench' }),
  ].join('.');
  const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
  const server = createServer((req, res) => {
    if (
      req.method === 'GET' &&
      req.url === `/api/api-tokens/internal/tokens/${tokenId}/state`
    ) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ active: true, expiresAt, scope: null }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/api/auth/api-token/refresh') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        profile: {},
        providerInfo: {
          tokenId,
          ownerRef: 'user:default/bob',
          expiresAt,
        },
        backstageIdentity: {
          token: userToken,
          expiresInSeconds: 3600,
          identity: {
            type: 'user',
            userEntityRef: 'user:default/bob',
            ownershipEntityRefs: ['user:default/bob'],
          },
        },
      }),
    );
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  return { server, userToken };
}

/** Calls `fn` in batches for about `seconds`; returns calls per second. */
async function opsPerSecond(
  fn: () => Promise<unknown>,
  seconds: number,
): Promise<number> {
  const start = performance.now();
  const end = start + seconds * 1000;
  let ops = 0;
  for (;;) {
    for (let i = 0; i < BATCH; i++) {
      await fn();
    }
    ops += BATCH;
    const now = performance.now();
    if (now >= end) {
      return ops / ((now - start) / 1000);
    }
  }
}

/**
 * `verify-cached-ops-per-sec`: how often per second the token-handler
 * decorator verifies an API token it has cached, in process, the path every
 * request with a known API token takes. The baseline is an async function
 * that only hashes the token with SHA-256, the floor of any cache keyed by a
 * digest of the token; windows of the two alternate.
 */
export async function measureVerifyCached(options: {
  bench: BenchOptions;
  results: BenchResults;
}): Promise<void> {
  const { bench, results } = options;
  const { server, userToken } = await startRefreshStandIn();
  try {
    const { port } = server.address() as AddressInfo;
    const tester = ServiceFactoryTester.from(
      apiTokenHandlerDecoratorServiceFactory,
      {
        dependencies: [
          mockServices.rootConfig.factory({
            data: {
              // Discovery finds the stand-in as the backend.
              backend: {
                baseUrl: `http://127.0.0.1:${port}`,
                listen: { host: '127.0.0.1', port },
              },
              // The longest TTL, so that every measured call is a cache hit.
              apiTokens: { cache: { ttl: { seconds: 30 } } },
            },
          }),
          discoveryServiceFactory,
        ],
      },
    );
    const decorate = await tester.getService(
      pluginTokenHandlerDecoratorServiceRef,
      'catalog',
    );
    const defaultHandler: PluginTokenHandler = {
      async verifyToken() {
        throw new Error('API tokens never reach the default handler');
      },
      async issueToken() {
        return { token: 'plugin-token' };
      },
    };
    const handler = decorate(defaultHandler);
    const token = generateApiToken();
    const first = await handler.verifyToken(token);
    if (first?.limitedUserToken !== userToken) {
      throw new Error('The decorator did not exchange the token');
    }

    const verify = () => handler.verifyToken(token);
    const sha256 = async () => hash('sha256', token, 'base64');
    const verifyRuns: number[] = [];
    const sha256Runs: number[] = [];
    await opsPerSecond(verify, bench.verifyWindowSeconds);
    await opsPerSecond(sha256, bench.verifyWindowSeconds);
    for (let i = 0; i < bench.verifyWindows; i++) {
      verifyRuns.push(await opsPerSecond(verify, bench.verifyWindowSeconds));
      sha256Runs.push(await opsPerSecond(sha256, bench.verifyWindowSeconds));
    }
    results.add('verify-cached-ops-per-sec', median(verifyRuns), 0);
    results.add('verify-sha256-ops-per-sec', median(sha256Runs), 0);
    results.add(
      'verify-cached-vs-sha256-ratio',
      median(verifyRuns) / median(sha256Runs),
      3,
    );
  } finally {
    await new Promise(resolve => server.close(resolve));
  }
}
