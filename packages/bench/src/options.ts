/** The figures the bench can measure, in the order it measures them. */
export const FIGURES = [
  'verify',
  'auth',
  'exchange',
  'expiry',
  'admin',
  'inventory',
  'replicas',
  'expiry10m',
] as const;

/** One figure of {@link FIGURES}. */
export type Figure = (typeof FIGURES)[number];

/** How big and how long each figure is. */
export interface BenchOptions {
  quick: boolean;
  figures: Figure[];
  /** The repository root; the backend runs from there. */
  repoRoot: string;
  backendPort: number;
  /** A PostgreSQL server where the bench may create and drop a database. */
  postgresUrl: string;
  /** Load runs per token kind for the auth overhead, interleaved. */
  loadRounds: number;
  loadSeconds: number;
  warmupSeconds: number;
  connections: number;
  /** Tokens used once each for the cold exchange latency. */
  coldExchanges: number;
  /** Measuring windows of the in-process cached verification. */
  verifyWindows: number;
  verifyWindowSeconds: number;
  /** Tokens in the table; a tenth of them belong to one user. */
  tokens: number;
  /** Tokens revoked on one replica while in use on the other. */
  revocations: number;
  /** A Redis that the replicas of the `replicas` figures share. */
  redisUrl: string;
  /**
   * Tokens of the large expiry scan (figure `expiry10m`,
   * `expiry-scan-10m-seconds`), in a database of its own; 0 leaves it out
   * (the quick bench).
   */
  largeExpiryTokens: number;
}

const USAGE = `Usage: yarn bench [--quick] [--only ${FIGURES.join(',')}]

  --quick   seconds-scale sizes (10k tokens, 2 s of load) to check that the
            bench still works; the figures are not comparable to a full run
  --only    measure only these figures

Environment: BENCH_BACKEND_PORT (default 7107; the two replicas take the
next two ports), BENCH_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432), BENCH_REDIS_URL (default
redis://127.0.0.1:6379).`;

export function parseBenchOptions(
  args: string[],
  env: NodeJS.ProcessEnv,
  repoRoot: string,
): BenchOptions {
  let quick = false;
  let figures: Figure[] = [...FIGURES];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--quick') {
      quick = true;
    } else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? args[++i] : arg.slice('--only='.length);
      figures = parseFigures(value ?? '');
    } else {
      throw new Error(`Unknown argument '${arg}'\n\n${USAGE}`);
    }
  }
  const sizes = quick
    ? {
        loadRounds: 2,
        loadSeconds: 0.5,
        warmupSeconds: 0.5,
        coldExchanges: 10,
        verifyWindows: 3,
        verifyWindowSeconds: 0.2,
        tokens: 10_000,
        revocations: 10,
        largeExpiryTokens: 0,
      }
    : {
        loadRounds: 20,
        loadSeconds: 2,
        warmupSeconds: 3,
        coldExchanges: 300,
        verifyWindows: 5,
        verifyWindowSeconds: 1,
        tokens: 1_000_000,
        revocations: 50,
        largeExpiryTokens: 10_000_000,
      };
  return {
    quick,
    figures,
    repoRoot,
    backendPort: Number(env.BENCH_BACKEND_PORT ?? 7107),
    postgresUrl:
      env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432',
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    connections: 10,
    ...sizes,
  };
}

function parseFigures(value: string): Figure[] {
  const names = value.split(',').filter(Boolean);
  const unknown = names.filter(
    name => !(FIGURES as readonly string[]).includes(name),
  );
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes some of ${FIGURES.join(',')}\n\n${USAGE}`);
  }
  return FIGURES.filter(figure => names.includes(figure));
}
