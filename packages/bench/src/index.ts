/**
 * `yarn bench`: measures what the API tokens cost where it matters, each
 * figure next to a baseline from the same run, and prints one
 * `RESULT <name> <value>` line per figure, last.
 *
 * @packageDocumentation
 */

import knexFactory from 'knex';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BenchDatabase } from './database/BenchDatabase';
import { measureAdminList } from './figures/adminList';
import { measureAuthOverhead } from './figures/authOverhead';
import { measureExchange } from './figures/exchange';
import { measureExpiryScan } from './figures/expiryScan';
import { measureInventory } from './figures/inventory';
import {
  BenchReplica,
  measureRevocationVisible,
  measureTwoReplicaAuthOverhead,
} from './figures/replicas';
import { measureVerifyCached } from './figures/verifyCached';
import { BenchOptions, Figure, FIGURES, parseBenchOptions } from './options';
import { BenchBackend } from './portal/BenchBackend';
import { BenchResults, FULL_RUN_RESULTS, REQUIRED_RESULTS } from './results';
import { elapsedMs } from './stats';

/** The owner of the tokens under load; alice (an admin) issues them. */
const OWNER = 'bob';
const OWNER_REF = `user:default/${OWNER}`;

/** The scope of the tokens under load: every scope check is in the figure. */
const LOAD_SCOPE = {
  plugins: ['catalog'],
  permissions: ['catalog.entity.read'],
  readOnly: true,
};

function findRepoRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'packages', 'backend', 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error('Run the bench from inside the repository');
    }
    dir = parent;
  }
  return dir;
}

function step(title: string) {
  process.stderr.write(`\n== ${title}\n`);
}

/** The figures that need the real backend running. */
async function measureOverHttp(bench: BenchOptions, results: BenchResults) {
  step(`starting the backend on port ${bench.backendPort}`);
  const startedAt = performance.now();
  const backend = await BenchBackend.start({
    repoRoot: bench.repoRoot,
    port: bench.backendPort,
  });
  process.stderr.write(
    `  ready in ${(elapsedMs(startedAt) / 1000).toFixed(0)} s\n`,
  );
  try {
    const { client } = backend;
    const adminToken = await client.signIn('alice');
    if (bench.figures.includes('auth')) {
      step('auth overhead: API token vs user token, same route and load');
      // Scoped, so that the figure includes every scope check: the
      // plugin and method limits and the scoped policy's, also for the
      // catalog's permission check forwarded on behalf of the owner.
      const { secret } = await client.createToken({
        adminToken,
        userRef: OWNER_REF,
        name: 'bench load',
        scope: LOAD_SCOPE,
      });
      await measureAuthOverhead({
        bench,
        results,
        baseUrl: client.baseUrl,
        apiToken: secret,
        userToken: await client.signIn(OWNER),
      });
    }
    if (bench.figures.includes('exchange')) {
      step(`cold exchange: first use of ${bench.coldExchanges} new tokens`);
      await measureExchange({
        bench,
        results,
        client,
        adminToken,
        ownerRef: OWNER_REF,
      });
    }
  } finally {
    await backend.stop();
  }
}

/** Drops the databases whose name starts with `prefix`. */
async function dropDatabases(postgresUrl: string, prefix: string) {
  const admin = knexFactory({ client: 'pg', connection: postgresUrl });
  try {
    const { rows } = await admin.raw(
      'SELECT datname FROM pg_database WHERE starts_with(datname, ?)',
      [prefix],
    );
    for (const { datname } of rows as Array<{ datname: string }>) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } finally {
    await admin.destroy();
  }
}

/**
 * The figures of two replicas of the real backend, one after the other on
 * the two ports after `backendPort`, sharing one PostgreSQL server (a
 * database per plugin under a prefix of this run, dropped at the end) and
 * one Redis (`backend.cache.store: redis`).
 */
async function measureTwoReplicas(bench: BenchOptions, results: BenchResults) {
  const prefix = `bench_replicas_${process.pid}_`;
  const env = {
    APP_CONFIG_backend_database_client: 'pg',
    APP_CONFIG_backend_database_connection: bench.postgresUrl,
    APP_CONFIG_backend_database_prefix: prefix,
    APP_CONFIG_backend_cache_store: 'redis',
    APP_CONFIG_backend_cache_connection: bench.redisUrl,
    // Every revocation measured ends in a 401 from loopback, which would
    // soon reach the failure limit. The limiter still runs, reading the
    // shared counts on every API token request, as in production.
    APP_CONFIG_apiTokens_failureLimit_maxFailures: '10000',
  };
  const backends: BenchBackend[] = [];
  try {
    // One after the other, as a rolling deploy would: the first migrates.
    for (const [index, name] of ['replica-a', 'replica-b'].entries()) {
      const port = bench.backendPort + 1 + index;
      step(`starting ${name} on port ${port}, on PostgreSQL and Redis`);
      const startedAt = performance.now();
      backends.push(
        await BenchBackend.start({ repoRoot: bench.repoRoot, port, name, env }),
      );
      process.stderr.write(
        `  ready in ${(elapsedMs(startedAt) / 1000).toFixed(0)} s\n`,
      );
    }
    const replicas: BenchReplica[] = await Promise.all(
      backends.map(async ({ client }) => ({
        client,
        adminToken: await client.signIn('alice'),
        userToken: await client.signIn(OWNER),
      })),
    );
    step('two replicas: API token vs user token through both at once');
    const { secret } = await replicas[0].client.createToken({
      adminToken: replicas[0].adminToken,
      userRef: OWNER_REF,
      name: 'bench load on replicas',
      scope: LOAD_SCOPE,
    });
    await measureTwoReplicaAuthOverhead({
      bench,
      results,
      replicas,
      apiToken: secret,
    });
    step(
      `two replicas: ${bench.revocations} tokens revoked on A while in use on B`,
    );
    await measureRevocationVisible({
      bench,
      results,
      replicas,
      ownerRef: OWNER_REF,
    });
  } finally {
    for (const backend of backends) {
      await backend.stop();
    }
    await dropDatabases(bench.postgresUrl, prefix);
  }
}

/** The figures that run in process against PostgreSQL. */
async function measureInDatabase(bench: BenchOptions, results: BenchResults) {
  step(`filling ${bench.tokens.toLocaleString('en')} tokens in PostgreSQL`);
  const database = await BenchDatabase.create(bench.postgresUrl);
  try {
    const startedAt = performance.now();
    const fill = await database.fillTokens(bench.tokens, new Date());
    process.stderr.write(
      `  ${database.name}: filled in ${(elapsedMs(startedAt) / 1000).toFixed(
        1,
      )} s, ${fill.dueTokens} due\n`,
    );
    if (bench.figures.includes('admin')) {
      step('admin list: one page of a user with many tokens');
      await measureAdminList({
        results,
        database,
        ownerRef: fill.bulkOwnerRef,
        ownerTokens: fill.bulkOwnerTokens,
      });
    }
    if (bench.figures.includes('inventory')) {
      step('credentials inventory: a page of every token, and the summary');
      await measureInventory({ results, database });
    }
    if (bench.figures.includes('expiry')) {
      step('expiry check over the whole table');
      await measureExpiryScan({
        results,
        database,
        dueTokens: fill.dueTokens,
        size: '1m',
      });
    }
  } finally {
    await database.drop();
  }
}

/** `expiry-scan-10m-seconds`: the expiry check over a table ten times larger. */
async function measureLargeExpiryScan(
  bench: BenchOptions,
  results: BenchResults,
) {
  const tokens = bench.largeExpiryTokens;
  step(`filling ${tokens.toLocaleString('en')} tokens in PostgreSQL`);
  const database = await BenchDatabase.create(bench.postgresUrl);
  try {
    const startedAt = performance.now();
    const fill = await database.fillTokens(tokens, new Date());
    const fillSeconds = elapsedMs(startedAt) / 1000;
    process.stderr.write(
      `  ${database.name}: filled in ${fillSeconds.toFixed(1)} s, ${
        fill.dueTokens
      } due\n`,
    );
    results.add('expiry-scan-10m-fill-seconds', fillSeconds, 1);
    step('expiry check over the whole table');
    await measureExpiryScan({
      results,
      database,
      dueTokens: fill.dueTokens,
      size: '10m',
    });
  } finally {
    await database.drop();
  }
}

async function main() {
  const bench = parseBenchOptions(
    process.argv.slice(2),
    process.env,
    findRepoRoot(process.cwd()),
  );
  const results = new BenchResults();
  const has = (...figures: Figure[]) =>
    figures.some(figure => bench.figures.includes(figure));
  const failures: string[] = [];
  const attempt = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.stack : error}`);
    }
  };

  if (bench.quick) {
    process.stderr.write(
      'Quick run: small sizes, only to check that the bench works.\n',
    );
  }
  if (has('verify')) {
    step('cached verification in process');
    await attempt('verify', () => measureVerifyCached({ bench, results }));
  }
  if (has('auth', 'exchange')) {
    await attempt('backend', () => measureOverHttp(bench, results));
  }
  if (has('expiry', 'admin', 'inventory')) {
    await attempt('database', () => measureInDatabase(bench, results));
  }
  if (has('replicas')) {
    await attempt('replicas', () => measureTwoReplicas(bench, results));
  }
  if (has('expiry10m') && bench.largeExpiryTokens > 0) {
    await attempt('large database', () =>
      measureLargeExpiryScan(bench, results),
    );
  }

  if (bench.figures.length === FIGURES.length) {
    const required = bench.quick
      ? REQUIRED_RESULTS
      : [...REQUIRED_RESULTS, ...FULL_RUN_RESULTS];
    for (const name of results.missing(required)) {
      failures.push(`${name}: not measured`);
    }
  }
  for (const failure of failures) {
    process.stderr.write(`\nFAILED ${failure}\n`);
  }
  process.stdout.write(`\n${results.lines().join('\n')}\n`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

// Exiting (rather than dying of the signal) runs the exit handlers, which
// stop the backend's process group.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});
