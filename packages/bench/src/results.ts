/** The figures every full run prints; `yarn bench --quick` checks them too. */
export const REQUIRED_RESULTS = [
  'auth-overhead-ratio',
  'exchange-p50-ms',
  'exchange-p99-ms',
  'verify-cached-ops-per-sec',
  'expiry-scan-1m-seconds',
  'expiry-scan-1m-peak-mb',
  'admin-list-100k-ms',
  'inventory-page-1m-ms',
  'two-replica-auth-overhead-ratio',
  'revocation-visible-p99-ms',
] as const;

/** The figures a full run prints too; the quick bench leaves them out. */
export const FULL_RUN_RESULTS = ['expiry-scan-10m-seconds'] as const;

interface Result {
  name: string;
  value: number;
  digits: number;
}

/**
 * Collects the figures of a run and prints them last, one
 * `RESULT <name> <value>` line each, in the order they were measured.
 */
export class BenchResults {
  readonly #results: Result[] = [];

  add(name: string, value: number, digits = 2): void {
    if (!Number.isFinite(value)) {
      throw new Error(`${name} is not a finite number: ${value}`);
    }
    this.#results.push({ name, value, digits });
    // Also shown as it is measured, so a long run shows progress.
    process.stderr.write(`  ${name} = ${value.toFixed(digits)}\n`);
  }

  /** Which of `names` have not been measured. */
  missing(names: readonly string[]): string[] {
    return names.filter(
      name => !this.#results.some(result => result.name === name),
    );
  }

  lines(): string[] {
    return this.#results.map(
      ({ name, value, digits }) => `RESULT ${name} ${value.toFixed(digits)}`,
    );
  }
}
